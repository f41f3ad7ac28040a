"""Outgoing messages, written with the change that causes them and delivered later."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox, TicketMessage
from storage.repositories._sql import insert_unless_exists


def _pending(table: Any) -> ColumnElement[bool]:
    """Neither sent nor given up: the condition of the partial indexes on the outbox."""
    return and_(col(table.sent_at).is_(None), col(table.failed_at).is_(None))


def _first_of_its_chat() -> ColumnElement[bool]:
    """No earlier pending row in the same chat (an index range scan on ix_outbox_chat_pending)."""
    earlier = aliased(Outbox)
    return ~exists().where(
        col(earlier.chat_id) == col(Outbox.chat_id),
        col(earlier.id) < col(Outbox.id),
        _pending(earlier),
    )


class OutboxRepository:
    """Queues messages once per dedupe key and tracks their delivery."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        chat_id: int,
        payload: dict[str, Any],
        dedupe_key: str,
        now: datetime,
        not_before: datetime | None = None,
        ticket_id: int | None = None,
    ) -> bool:
        """Queue a message; False if one with this dedupe key was queued already."""
        values = {
            "chat_id": chat_id,
            "payload": payload,
            "dedupe_key": dedupe_key,
            "ticket_id": ticket_id,
            "created_at": now,
            "not_before": not_before or now,
            "attempts": 0,
        }
        return await insert_unless_exists(self.session, Outbox, values, ["dedupe_key"])

    async def claim_pending(self, now: datetime, limit: int = 100) -> Sequence[Outbox]:
        """Messages ready to send, oldest first, locked so another sender skips them."""
        query = (
            select(Outbox)
            .where(_pending(Outbox), col(Outbox.not_before) <= now)
            .order_by(col(Outbox.not_before), col(Outbox.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.exec(query)).all()

    async def claim_next_per_chat(self, now: datetime, limit: int = 100) -> Sequence[Outbox]:
        """The oldest pending message of each chat, if it is due: one per chat, so chats keep order.

        A chat whose oldest message waits (after a 429 or an error) holds its later messages back.
        Rows are locked (FOR UPDATE SKIP LOCKED on PostgreSQL) until the transaction ends.
        """
        query = (
            select(Outbox)
            .where(_pending(Outbox), col(Outbox.not_before) <= now, _first_of_its_chat())
            .order_by(col(Outbox.not_before), col(Outbox.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=Outbox)
        )
        return (await self.session.exec(query)).all()

    async def next_due(self) -> datetime | None:
        """When the earliest message that heads its chat's queue becomes due; None if none waits."""
        query = select(func.min(Outbox.not_before)).where(_pending(Outbox), _first_of_its_chat())
        return (await self.session.exec(query)).one()

    async def postpone(self, message_ids: Collection[int], until: datetime) -> None:
        """Move pending messages to `until` without counting an attempt (a lease, a rate wait)."""
        if message_ids:
            await self.session.exec(
                update(Outbox)
                .where(col(Outbox.id).in_(list(message_ids)), _pending(Outbox))
                .values(not_before=until)
            )

    async def extend_lease(self, message_id: int, leased_until: datetime, until: datetime) -> bool:
        """Move a lease on if it is still ours (not_before as we left it); False if it is not."""
        result = await self.session.exec(
            update(Outbox)
            .where(
                col(Outbox.id) == message_id,
                col(Outbox.not_before) == leased_until,
                _pending(Outbox),
            )
            .values(not_before=until)
        )
        return result.rowcount > 0

    async def by_key(self, dedupe_key: str) -> Outbox | None:
        """The row queued under a dedupe key, whatever its state; None if there is none."""
        query = select(Outbox).where(col(Outbox.dedupe_key) == dedupe_key)
        return (await self.session.exec(query)).first()

    async def mark_sent(
        self,
        message_id: int,
        at: datetime,
        message_ids: Sequence[int] | None = None,
        thread_id: int | None = None,
    ) -> bool:
        """Record a delivery, Telegram's ids of its parts and the forum topic it went to.

        A row about a ticket also gets one ticket_message per part, in the same transaction, so
        a reply to any of them finds the ticket. False if the row was no longer pending.
        """
        ids = list(message_ids) if message_ids is not None else None
        values: dict[str, Any] = {
            "sent_at": at,
            "attempts": Outbox.attempts + 1,
            "last_error": None,
            "message_ids": ids,
        }
        if thread_id is not None:  # None keeps a topic stored earlier (set_thread)
            values["thread_id"] = thread_id
        marked = (
            await self.session.exec(
                update(Outbox)
                .where(col(Outbox.id) == message_id, _pending(Outbox))
                .values(**values)
                .returning(col(Outbox.chat_id), col(Outbox.ticket_id), col(Outbox.thread_id))
            )
        ).first()
        if marked is None:
            return False
        chat_id, ticket_id, thread = marked
        if ticket_id is not None:
            for part in ids or ():
                values = {
                    "chat_id": chat_id,
                    "message_id": part,
                    "thread_id": thread,
                    "ticket_id": ticket_id,
                }
                await insert_unless_exists(
                    self.session, TicketMessage, values, ["chat_id", "message_id"]
                )
        return True

    async def set_thread(self, message_id: int, thread_id: int) -> bool:
        """Note the forum topic opened for a pending row, so a retry sends into it."""
        return await self._set(message_id, thread_id=thread_id)

    async def retry_later(self, message_id: int, error: str, retry_at: datetime) -> bool:
        """Record a transient failure and when to try again; False if it was no longer pending."""
        return await self._set(
            message_id, not_before=retry_at, attempts=Outbox.attempts + 1, last_error=error
        )

    async def give_up(self, message_id: int, error: str, at: datetime) -> bool:
        """Record a permanent failure (blocked by the user, unknown chat): never retried."""
        return await self._set(
            message_id, failed_at=at, attempts=Outbox.attempts + 1, last_error=error
        )

    async def _set(self, message_id: int, **values: Any) -> bool:
        """Update a row that is still pending: a sent or abandoned row never changes again."""
        result = await self.session.exec(
            update(Outbox).where(col(Outbox.id) == message_id, _pending(Outbox)).values(**values)
        )
        return result.rowcount > 0
