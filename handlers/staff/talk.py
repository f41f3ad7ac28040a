"""Messages that are not commands, for the handlers' side: answers to a card's question, a
handler's reply to a card (relayed to the resident), and a resident's answer to a handler."""

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import FileKind, Incoming
from handlers.people import seen
from handlers.report.draft import MAX_TEXT
from handlers.staff import moves, prompts, verdict
from handlers.staff.auth import may_handle
from handlers.texts import t
from storage.models import Conversation, Person
from storage.uow import UnitOfWork


async def in_team_chat(ctx: Context, incoming: Incoming) -> bool:
    """A group message for the handlers' side; False if it is not one (the caller goes on)."""
    if incoming.is_button or incoming.command is not None:
        return False
    now = ctx.now()
    async with ctx.uow() as uow:
        conversation = await uow.conversations.get(
            incoming.chat_id, incoming.sender.telegram_id, for_update=True
        )
        ticket_id = None
        if incoming.reply_to_message_id is not None:
            ticket_id = await uow.cards.ticket_of_message(
                incoming.chat_id, incoming.reply_to_message_id
            )
        if not prompts.waiting(conversation) and ticket_id is None:
            return False
        person = await seen(uow, incoming, now)
        if prompts.waiting(conversation):
            assert conversation is not None
            reply = await prompts.answer(ctx, uow, person, conversation, incoming)
        else:
            assert ticket_id is not None
            reply = await relay_reply(ctx, uow, person, ticket_id, incoming)
        await uow.commit()
    if reply is not None:
        await ctx.chat.send(
            incoming.chat_id, Message(reply.text, reply.buttons, reply_to=incoming.message_id)
        )
    return True


async def relay_reply(
    ctx: Context, uow: UnitOfWork, person: Person, ticket_id: int, incoming: Incoming
) -> Message | None:
    """A handler's Telegram reply to a card (or a relayed message) goes to the resident."""
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None or not await may_handle(ctx, uow, person, ticket):
        return None  # a resident or a stranger answering in the chat: not for the resident
    text = incoming.text.strip()[:MAX_TEXT]
    photos = [f.file_id for f in incoming.files if f.kind is FileKind.PHOTO]
    if not text and not photos:
        return None
    notice, values = await moves.reply(ctx, uow, ticket, person, text, photos, ctx.now())
    return Message(t(person.language, notice, **values))


async def in_private(
    ctx: Context,
    uow: UnitOfWork,
    person: Person,
    conversation: Conversation | None,
    incoming: Incoming,
) -> Message | None:
    """A private message for the handlers' side or a verdict's reason; None if it is neither."""
    if prompts.waiting(conversation):
        assert conversation is not None
        return await prompts.answer(ctx, uow, person, conversation, incoming)
    if conversation is not None and conversation.step == verdict.REASON:
        text = incoming.text.strip()
        if not text:
            return Message(t(person.language, "verdict.why_again"))
        await uow.conversations.clear(conversation.chat_id, conversation.user_id)
        ticket_id = int(conversation.data.get("ticket_id") or 0)
        return await verdict.unsatisfied(ctx, uow, person, ticket_id, text, ctx.now())
    return None
