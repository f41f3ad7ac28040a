"""Album parts, kept until the whole album has arrived, so a restart between parts loses none."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AlbumPart
from storage.repositories._sql import insert_unless_exists


class AlbumRepository:
    """Stores parts as they come and hands each finished album out exactly once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(
        self,
        chat_id: int,
        media_group_id: str,
        message_id: int,
        incoming: dict[str, Any],
        now: datetime,
    ) -> bool:
        """Store one part; False if it was stored already (a redelivered update)."""
        values = {
            "chat_id": chat_id,
            "media_group_id": media_group_id,
            "message_id": message_id,
            "incoming": incoming,
            "received_at": now,
        }
        keys = ["chat_id", "media_group_id", "message_id"]
        return await insert_unless_exists(self.session, AlbumPart, values, keys)

    async def settled(self, quiet_since: datetime, limit: int = 50) -> Sequence[tuple[int, str]]:
        """Albums (chat id, media group id) with no new part since `quiet_since`, oldest first."""
        newest = func.max(AlbumPart.received_at)
        query = (
            select(AlbumPart.chat_id, AlbumPart.media_group_id)
            .group_by(col(AlbumPart.chat_id), col(AlbumPart.media_group_id))
            .having(newest <= quiet_since)
            .order_by(newest)
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def take(self, chat_id: int, media_group_id: str) -> list[dict[str, Any]]:
        """Remove an album's parts and return them in message order; empty if already taken."""
        query = (
            delete(AlbumPart)
            .where(
                col(AlbumPart.chat_id) == chat_id,
                col(AlbumPart.media_group_id) == media_group_id,
            )
            .returning(AlbumPart.message_id, AlbumPart.incoming)
        )
        rows = (await self.session.exec(query)).all()  # type: ignore[call-overload]
        return [incoming for _, incoming in sorted(rows, key=lambda row: row[0])]
