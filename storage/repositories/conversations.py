"""Conversation state per chat and person, kept in the database so it survives restarts."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Conversation


class ConversationRepository:
    """Loads, saves and clears where a person is in a conversation."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, chat_id: int, user_id: int, *, for_update: bool = False
    ) -> Conversation | None:
        """The conversation in progress, if any; `for_update` locks it until commit (PostgreSQL)."""
        query = select(Conversation).where(
            Conversation.chat_id == chat_id, Conversation.user_id == user_id
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.exec(query)).first()

    async def save(
        self, chat_id: int, user_id: int, step: str, data: dict[str, Any], now: datetime
    ) -> Conversation:
        """Store the current step and its data, replacing what was there."""
        conversation = await self.get(chat_id, user_id)
        if conversation is None:
            conversation = Conversation(chat_id=chat_id, user_id=user_id, step=step, updated_at=now)
            self.session.add(conversation)
        conversation.step, conversation.data, conversation.updated_at = step, dict(data), now
        await self.session.flush()
        return conversation

    async def older_than(
        self, moment: datetime, step_prefix: str, limit: int = 100
    ) -> Sequence[Conversation]:
        """Conversations at a `step_prefix` step untouched since `moment`, oldest first (drafts)."""
        query = (
            select(Conversation)
            .where(
                col(Conversation.updated_at) < moment,
                col(Conversation.step).startswith(step_prefix, autoescape=True),
            )
            .order_by(col(Conversation.updated_at), col(Conversation.id))
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def clear(self, chat_id: int, user_id: int) -> bool:
        """Forget the conversation (finished or cancelled); False if it was gone already."""
        result = await self.session.exec(
            delete(Conversation).where(
                col(Conversation.chat_id) == chat_id, col(Conversation.user_id) == user_id
            )
        )
        return bool(result.rowcount)
