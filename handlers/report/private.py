"""A private message that is not a command: to the open question, report or ticket."""

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import intake, mine
from handlers.report.intake import Turn, key_of
from handlers.staff import talk
from handlers.texts import t
from storage.models import Conversation


async def message(ctx: Context, incoming: Incoming) -> None:
    """Answer a private message in one transaction."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        conversation = await uow.conversations.get(*key_of(incoming), for_update=True)
        reply = await answer(Turn(ctx, uow, person, key_of(incoming), now), conversation, incoming)
        await uow.commit()
    await ctx.chat.send(incoming.chat_id, reply)


async def answer(turn: Turn, conversation: Conversation | None, incoming: Incoming) -> Message:
    """A handler's answer or a verdict's reason first; a shared phone number; then an addition to
    a ticket (a reply to the bot's message about it, or asked for); else the report."""
    ctx, uow, person = turn.ctx, turn.uow, turn.person
    if incoming.contact_phone:
        person.phone = incoming.contact_phone[:32]  # handlers see it on the resident's cards
        return Message(t(person.language, "mine.phone_saved", phone=person.phone))
    if not (incoming.text.strip() or incoming.files or incoming.location):
        return await intake.not_taken(turn, conversation, incoming)
    reply = await talk.in_private(ctx, uow, person, conversation, incoming)
    if reply is not None:
        return reply
    if incoming.reply_to_message_id is not None:
        about = await uow.cards.ticket_of_message(incoming.chat_id, incoming.reply_to_message_id)
        if about is not None:
            return await mine.add_to(ctx, uow, person, about, incoming)
    if conversation is not None and conversation.step == mine.ADDING:
        return await mine.added(ctx, uow, person, conversation, incoming)
    return await intake.take(turn, conversation, incoming)
