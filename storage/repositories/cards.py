"""Ticket cards in team chats, and the bot's messages about tickets (to route replies)."""

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import TicketCard, TicketMessage


class CardRepository:
    """Where each ticket's card is, and which ticket a bot message in a chat is about."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, card: TicketCard) -> TicketCard:
        """Keep a new card (its outbox row is queued in the same transaction)."""
        self.session.add(card)
        await self.session.flush()
        return card

    async def of_ticket(self, ticket_id: int) -> Sequence[TicketCard]:
        """Every card of a ticket, oldest first (a transferred ticket has one per team)."""
        query = (
            select(TicketCard).where(TicketCard.ticket_id == ticket_id).order_by(col(TicketCard.id))
        )
        return (await self.session.exec(query)).all()

    async def latest(self, ticket_id: int, team_id: int) -> TicketCard | None:
        """The newest card of a ticket in a team's chat."""
        query = (
            select(TicketCard)
            .where(TicketCard.ticket_id == ticket_id, TicketCard.team_id == team_id)
            .order_by(col(TicketCard.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def ticket_of_message(self, chat_id: int, message_id: int) -> int | None:
        """The ticket a bot message in this chat is about."""
        query = select(TicketMessage.ticket_id).where(
            TicketMessage.chat_id == chat_id, TicketMessage.message_id == message_id
        )
        return (await self.session.exec(query)).first()
