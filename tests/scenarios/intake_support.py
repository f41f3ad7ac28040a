"""Helpers for the intake scenarios: press a button and read what it became; read the tickets."""

import contextlib
from typing import Any

from sqlmodel import col, select

from bot.sandbox import Sandbox, SentMessage
from storage.models import Attachment, Outbox, Ticket, TicketEvent

GROUP = -100555  # the residents' group of compound JH in the scenario community
PROPERTY_CHAT = -100700  # the JH property team's chat
COMMUNITY_CHAT = -100701  # the grid workers' chat


def current(sandbox: Sandbox, chat: int, message_id: int) -> SentMessage:
    """A bot message as it reads now (after edits)."""
    return next(m for m in sandbox.messages(chat) if m.message_id == message_id)


async def last(sandbox: Sandbox, chat: int, count: int) -> SentMessage:
    """The `count`th bot message in a chat, once it has arrived."""
    return (await sandbox.wait_for(chat, count, timeout=10))[count - 1]


async def tap(
    sandbox: Sandbox, user: Any, message: SentMessage, text: str, chat: Any = None
) -> tuple[dict[str, Any], SentMessage]:
    """Press the button labelled `text`; the answer and the message after its edit (if any)."""
    before = current(sandbox, message.chat_id, message.message_id)
    edits = len(before.edits)
    query = await user.press(message.message_id, text=text, chat=chat)
    answer = await sandbox.wait_for_answer(query, timeout=10)
    with contextlib.suppress(TimeoutError):  # a refusal leaves the message as it was
        await sandbox.wait_until(
            lambda: len(current(sandbox, message.chat_id, message.message_id).edits) > edits, 2
        )
    return answer, current(sandbox, message.chat_id, message.message_id)


async def tickets(db: Any) -> list[Ticket]:
    """Every ticket, oldest first."""
    async with db.uow() as uow:
        rows = list((await uow.session.exec(select(Ticket).order_by(col(Ticket.id)))).all())
        uow.session.expunge_all()  # readable after the session closes
        return rows


async def attachments(db: Any, ticket_id: int) -> list[Attachment]:
    """A ticket's files."""
    async with db.uow() as uow:
        rows = list(await uow.tickets.attachments(ticket_id))
        uow.session.expunge_all()
        return rows


async def events(db: Any, ticket_id: int) -> list[str]:
    """A ticket's audit log, as kinds."""
    async with db.uow() as uow:
        query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        return [e.kind for e in (await uow.session.exec(query.order_by(col(TicketEvent.id)))).all()]


async def queued(db: Any, chat_id: int) -> list[Outbox]:
    """Outbox rows for a chat."""
    async with db.uow() as uow:
        query = select(Outbox).where(Outbox.chat_id == chat_id).order_by(col(Outbox.id))
        rows = list((await uow.session.exec(query)).all())
        uow.session.expunge_all()
        return rows
