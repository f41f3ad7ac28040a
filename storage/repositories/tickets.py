"""Tickets, their audit log and their attachments."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Attachment,
    Building,
    Person,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketFollower,
)
from storage.repositories._sql import insert_unless_exists
from tickets.events import EventKind
from tickets.labels import Category
from tickets.lifecycle import OPEN_STATUSES, Status


class TicketRepository:
    """Reads and writes tickets; the caller's unit of work commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._histories: dict[int, list[TicketEvent]] = {}  # audit logs read in this unit

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

    async def of_resident(self, person_id: int, limit: int = 10) -> Sequence[Ticket]:
        """Tickets a resident reported or follows: open ones first, each group newest first."""
        followed = select(TicketFollower.ticket_id).where(TicketFollower.person_id == person_id)
        closed_last = case((col(Ticket.status).in_(OPEN_STATUSES), 0), else_=1)
        query = (
            select(Ticket)
            .where(or_(Ticket.reporter_id == person_id, col(Ticket.id).in_(followed)))
            .order_by(closed_last, col(Ticket.created_at).desc(), col(Ticket.id).desc())
            .limit(limit)
        )
        return (await self.session.exec(query)).all()

    async def reported_since(self, reporter_id: int, since: datetime) -> int:
        """How many tickets a resident reported at or after `since`, for the per-resident limit."""
        query = select(func.count()).where(
            Ticket.reporter_id == reporter_id, col(Ticket.created_at) >= since
        )
        return (await self.session.exec(query)).one()

    async def same_problem(
        self,
        compound_id: int,
        building_id: int | None,
        category: Category,
        since: datetime,
        exclude_reporter: int,
    ) -> Ticket | None:
        """The newest open ticket of the same place and category since `since`, to offer a "+1".

        No building on both sides (a common area) counts as the same place. Tickets the person
        reported or already follows are left out.
        """
        if building_id is None:
            same_building = col(Ticket.building_id).is_(None)
        else:
            same_building = col(Ticket.building_id) == building_id
        followed = exists().where(
            col(TicketFollower.ticket_id) == col(Ticket.id),
            col(TicketFollower.person_id) == exclude_reporter,
        )
        query = (
            select(Ticket)
            .where(
                Ticket.compound_id == compound_id,
                same_building,
                col(Ticket.created_at) >= since,
                Ticket.category == category,
                col(Ticket.status).in_(OPEN_STATUSES),
                Ticket.reporter_id != exclude_reporter,
                ~followed,
            )
            .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def follow(self, ticket_id: int, person_id: int, now: datetime) -> bool:
        """Add a follower ("+1") who is told what happens like the reporter; False if following."""
        values = {"ticket_id": ticket_id, "person_id": person_id, "created_at": now}
        return await insert_unless_exists(
            self.session, TicketFollower, values, ["ticket_id", "person_id"]
        )

    async def is_follower(self, ticket_id: int, person_id: int) -> bool:
        """Whether the person follows the ticket."""
        query = select(TicketFollower.id).where(
            TicketFollower.ticket_id == ticket_id, TicketFollower.person_id == person_id
        )
        return (await self.session.exec(query)).first() is not None

    async def followers(self, ticket_id: int) -> Sequence[Person]:
        """A ticket's followers in the order they followed, to notify them like the reporter."""
        query = (
            select(Person)
            .join(TicketFollower, col(TicketFollower.person_id) == col(Person.id))
            .where(TicketFollower.ticket_id == ticket_id)
            .order_by(col(TicketFollower.created_at), col(TicketFollower.id))
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

    async def open_of_assignee(self, person_id: int) -> Sequence[Ticket]:
        """The open tickets assigned to a person, oldest first."""
        query = (
            select(Ticket)
            .where(Ticket.assignee_id == person_id, col(Ticket.status).in_(OPEN_STATUSES))
            .order_by(col(Ticket.created_at), col(Ticket.id))
        )
        return (await self.session.exec(query)).all()

    async def find(
        self, team_ids: Sequence[int | None], building: str, words: str, limit: int
    ) -> Sequence[Ticket]:
        """Tickets of these teams in a building of this code, or with these words; newest first."""
        in_building = select(Building.id).where(Building.code == building)
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = (
            select(Ticket)
            .where(
                col(Ticket.team_id).in_([i for i in team_ids if i is not None]),
                or_(
                    col(Ticket.building_id).in_(in_building),
                    col(Ticket.text).ilike(f"%{escaped}%", escape="\\"),
                ),
            )
            .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
            .limit(limit)
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

    async def unrated(self, resolved_before: datetime, limit: int = 100) -> Sequence[Ticket]:
        """Resolved tickets still waiting for a verdict since before then, locked (skip locked)."""
        query = (
            select(Ticket)
            .where(Ticket.status == Status.RESOLVED, col(Ticket.resolved_at) <= resolved_before)
            .order_by(col(Ticket.resolved_at), col(Ticket.id))
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
        known = self._histories.get(event.ticket_id)
        if known is not None:  # a log already read in this unit stays whole
            known.append(event)
            known.sort(key=lambda e: (e.at, e.id))
        return event

    async def history(self, ticket_id: int) -> Sequence[TicketEvent]:
        """A ticket's audit log in the order it happened, read once per unit of work (a move
        re-clocks the ticket, redraws its card and tells its ladder, each from the same log)."""
        if ticket_id not in self._histories:
            query = (
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket_id)
                .order_by(col(TicketEvent.at), col(TicketEvent.id))
            )
            self._histories[ticket_id] = list((await self.session.exec(query)).all())
        return list(self._histories[ticket_id])

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
