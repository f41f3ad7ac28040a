"""A message in private chat that is not a command: it goes to the open report or ticket."""

from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import intake, mine
from handlers.report.intake import Turn, key_of


async def message(ctx: Context, incoming: Incoming) -> None:
    """Add to a ticket if the resident asked to; otherwise start or continue a report."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        conversation = await uow.conversations.get(*key_of(incoming), for_update=True)
        turn = Turn(ctx, uow, person, key_of(incoming), now)
        content = incoming.text.strip() or incoming.files or incoming.location
        if conversation is not None and conversation.step == mine.ADDING and content:
            reply = await mine.added(ctx, uow, person, conversation, incoming)
        elif content:
            reply = await intake.take(turn, conversation, incoming)
        else:
            reply = await intake.not_taken(turn, conversation, incoming)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, reply)
