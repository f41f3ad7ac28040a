"""Tickets, their audit log and their attachments."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Attachment, Ticket, TicketCounter, TicketEvent
from tickets.events import EventKind
from tickets.lifecycle import OPEN_STATUSES


class TicketRepository:
    """Reads and writes tickets; the caller's unit of work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self, compound_id: int) -> int:
        """The next human-friendly number in a compound, safe under concurrent reports."""
        bump = (
            update(TicketCounter)
            .where(col(TicketCounter.compound_id) == compound_id)
            .values(last_number=TicketCounter.last_number + 1)
            .returning(TicketCounter.last_number)
        )
        number = (await self.session.exec(bump)).scalar_one_or_none()
        if number is None:
            raise LookupError(f"compound {compound_id} has no ticket counter; sync the community")
        return number

    async def add(self, ticket: Ticket) -> Ticket:
        """Store a new ticket and give it its id."""
        self.session.add(ticket)
        await self.session.flush()
        return ticket

    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        """A ticket by id; `for_update` locks its row until commit (PostgreSQL)."""
        query = select(Ticket).where(Ticket.id == ticket_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.exec(query)).first()

    async def by_number(self, compound_id: int, number: int) -> Ticket | None:
        """A ticket by the number residents quote."""
        query = select(Ticket).where(Ticket.compound_id == compound_id, Ticket.number == number)
        return (await self.session.exec(query)).first()

    async def of_reporter(self, reporter_id: int, limit: int = 20) -> Sequence[Ticket]:
        """A resident's tickets, newest first."""
        query = (
            select(Ticket)
            .where(Ticket.reporter_id == reporter_id)
            .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def open_of_team(self, team_id: int) -> Sequence[Ticket]:
        """A team's open tickets, oldest first."""
        query = (
            select(Ticket)
            .where(Ticket.team_id == team_id, col(Ticket.status).in_(OPEN_STATUSES))
            .order_by(col(Ticket.created_at), col(Ticket.id))
        )
        return (await self.session.exec(query)).all()

    async def claim_due(self, now: datetime, limit: int = 500) -> Sequence[Ticket]:
        """Tickets whose next reminder is due, locked so another instance skips them."""
        query = (
            select(Ticket)
            .where(col(Ticket.next_remind_at).is_not(None), col(Ticket.next_remind_at) <= now)
            .order_by(col(Ticket.next_remind_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.exec(query)).all()

    async def record(
        self,
        ticket: Ticket,
        kind: EventKind,
        at: datetime,
        actor_id: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> TicketEvent:
        """Append a line to the ticket's audit log."""
        if ticket.id is None:
            await self.session.flush()
        event = TicketEvent(
            ticket_id=ticket.id, kind=kind.value, at=at, actor_id=actor_id, data=data or {}
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def history(self, ticket_id: int) -> Sequence[TicketEvent]:
        """A ticket's audit log in the order it happened."""
        query = (
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
        )
        return (await self.session.exec(query)).all()

    async def attach(self, attachment: Attachment) -> Attachment:
        """Keep a file of a ticket."""
        self.session.add(attachment)
        await self.session.flush()
        return attachment

    async def attachments(self, ticket_id: int) -> Sequence[Attachment]:
        """A ticket's files in the order they were added."""
        query = (
            select(Attachment).where(Attachment.ticket_id == ticket_id).order_by(col(Attachment.id))
        )
        return (await self.session.exec(query)).all()
