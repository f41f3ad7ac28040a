"""Outgoing messages, written with the change that causes them and delivered later."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox
from storage.repositories._sql import insert_unless_exists


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
            .where(
                col(Outbox.sent_at).is_(None),
                col(Outbox.failed_at).is_(None),
                col(Outbox.not_before) <= now,
            )
            .order_by(col(Outbox.not_before), col(Outbox.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.exec(query)).all()

    async def mark_sent(self, message_id: int, at: datetime) -> None:
        """Record a delivery."""
        await self._set(message_id, sent_at=at, attempts=Outbox.attempts + 1, last_error=None)

    async def retry_later(self, message_id: int, error: str, retry_at: datetime) -> None:
        """Record a transient failure and when to try again."""
        await self._set(
            message_id, not_before=retry_at, attempts=Outbox.attempts + 1, last_error=error
        )

    async def give_up(self, message_id: int, error: str, at: datetime) -> None:
        """Record a permanent failure (blocked by the user, unknown chat): never retried."""
        await self._set(message_id, failed_at=at, attempts=Outbox.attempts + 1, last_error=error)

    async def _set(self, message_id: int, **values: Any) -> None:
        await self.session.exec(update(Outbox).where(col(Outbox.id) == message_id).values(**values))
