"""What reaches the bot besides reports: which group messages are for it, unknown commands."""

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import remember
from handlers.texts import t

REPORT_TAGS = ("#报修", "#report")


def addressed_to_bot(incoming: Incoming) -> bool:
    """In a group, whether the message is for the bot: a mention, a reply, a command or a tag."""
    text = incoming.text.lstrip().lower()
    return (
        incoming.mentions_bot
        or incoming.reply_to_bot
        or incoming.command is not None
        or text.startswith(REPORT_TAGS)
    )


async def unknown_command(ctx: Context, incoming: Incoming) -> None:
    """A command the bot does not have: say which ones it has; an open report is untouched."""
    person = await remember(ctx, incoming)
    await ctx.chat.send(incoming.chat_id, Message(t(person.language, "received.unknown_command")))
