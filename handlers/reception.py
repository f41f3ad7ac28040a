"""What the bot says to anything else a person sends, until the report flow takes over."""

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import FileKind, Incoming
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


def attachments_note(incoming: Incoming, language: str) -> str:
    """ "(with 3 photos)" or "(with 2 attachments)", or nothing."""
    photos = sum(1 for f in incoming.files if f.kind is FileKind.PHOTO)
    if photos and photos == len(incoming.files):
        return t(language, "received.photos", count=photos)
    if incoming.files:
        return t(language, "received.files", count=len(incoming.files))
    return ""


async def acknowledge(ctx: Context, incoming: Incoming) -> None:
    """Say what arrived; content the bot cannot take gets a friendly word instead."""
    person = await remember(ctx, incoming)
    language = person.language
    if not incoming.is_private:
        link = Button(t(language, "group.open_private"), url=ctx.chat.deep_link("report"))
        text = t(language, "group.reply")
        reply = Message(text, buttons=((link,),), reply_to=incoming.message_id)
    elif incoming.other and not (incoming.text or incoming.files):
        kind = t(language, f"received.kind_{'sticker' if incoming.other == 'sticker' else 'other'}")
        reply = Message(t(language, "received.unsupported", kind=kind))
    else:
        note = attachments_note(incoming, language)
        reply = Message(t(language, "received.message", attachments=note))
    await ctx.chat.send(incoming.chat_id, reply)
