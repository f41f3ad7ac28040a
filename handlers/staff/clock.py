"""A ticket's deadlines and next reminder, recomputed from its own audit log after each move."""

from datetime import datetime

from handlers.context import Context
from storage.models import Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.sla import ClockEvent, clock_events, compute_clock, next_reminder

KNOWN = frozenset(EventKind)


def _deadline(data: dict) -> datetime | None:
    """The committed deadline a `contacted` event carries (ISO text), if any."""
    value = data.get("deadline")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


async def reclock(ctx: Context, uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    """Set the ticket's deadlines, response and resolution times and next reminder from its log."""
    assert ticket.id is not None
    events: list[ClockEvent] = []
    for event in await uow.tickets.history(ticket.id):
        if event.kind in KNOWN:
            events += clock_events(EventKind(event.kind), event.at, _deadline(event.data))
    policy = ctx.community.sla
    clock = compute_clock(policy, ticket.urgency, ticket.created_at, events, now)
    reminder = next_reminder(policy, ticket.urgency, clock, ctx.tz)
    ticket.first_response_due = clock.first_response_due
    ticket.first_responded_at = clock.first_responded_at
    ticket.resolution_due = clock.resolution_due or clock.contact_due
    ticket.committed_deadline = (
        clock.resolution_due if policy.clock(ticket.urgency).needs_commitment else None
    )
    ticket.resolved_at = clock.resolved_at
    ticket.next_remind_at = reminder.at if reminder else None
    ticket.updated_at = now
