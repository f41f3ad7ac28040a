"""A ticket's clock from its own audit log: deadlines after each move, and what the SLA sweep
still owes it (the reminders and rungs already sent are in the log too)."""

from collections.abc import Sequence
from datetime import datetime

from handlers.context import Context
from storage.models import Ticket, TicketEvent
from storage.uow import UnitOfWork
from tickets.calendar import Calendar, WorkingTime
from tickets.chase import Chase, Sent, chase
from tickets.events import CLOCK_MARKS, EventKind
from tickets.policy import EscalationLadder
from tickets.sla import REAL_TIME, Clock, ClockEvent, clock_events, compute_clock

MARKED = frozenset(CLOCK_MARKS)  # the kinds of event the clock reads


def _moment(data: dict, name: str) -> datetime | None:
    """A moment an event carries as ISO text (a committed deadline, a reminder's slot)."""
    value = data.get(name)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def calendar_for(ctx: Context, team_code: str | None) -> Calendar:
    """The team's working time if it has business hours, else real time (the default)."""
    spec = next((t for t in ctx.community.teams if t.code == team_code), None)
    if spec is None or spec.business_hours is None:
        return REAL_TIME
    return WorkingTime(spec.business_hours, ctx.tz)


async def calendar_of(ctx: Context, uow: UnitOfWork, ticket: Ticket) -> Calendar:
    """The calendar of the ticket's team."""
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    return calendar_for(ctx, team.code if team else None)


def clock_of(
    ctx: Context,
    ticket: Ticket,
    history: Sequence[TicketEvent],
    now: datetime,
    calendar: Calendar = REAL_TIME,
) -> Clock:
    """The ticket's clock at `now`."""
    events: list[ClockEvent] = []
    for event in history:
        if event.kind in MARKED:
            events += clock_events(EventKind(event.kind), event.at, _moment(event.data, "deadline"))
    policy = ctx.community.sla
    return compute_clock(policy, ticket.urgency, ticket.created_at, events, now, calendar)


def sent_of(history: Sequence[TicketEvent], deadline: str, due: datetime) -> Sent:
    """The latest reminder slot and highest rung already sent about this deadline."""
    reminded, rung = None, 0
    for event in history:
        data = event.data
        if data.get("about") != deadline or _moment(data, "due") != due:
            continue
        if event.kind == EventKind.REMINDED:
            slot = _moment(data, "slot")
            reminded = slot if reminded is None or (slot and slot > reminded) else reminded
        elif event.kind == EventKind.ESCALATED:
            rung = max(rung, int(data.get("level", 0)))
    return Sent(reminded, rung)


def ladder_of(ctx: Context, ticket: Ticket) -> EscalationLadder:
    """The escalation ladder of the ticket's route (its team's kind)."""
    return ctx.community.escalation[ticket.route]


def owed(
    ctx: Context,
    ticket: Ticket,
    history: Sequence[TicketEvent],
    now: datetime,
    calendar: Calendar = REAL_TIME,
) -> Chase:
    """What the sweep owes the ticket at `now`, and when to look at it again."""
    clock = clock_of(ctx, ticket, history, now, calendar)
    sent = Sent()
    if clock.is_running:
        deadline, due = clock.chased()
        sent = sent_of(history, deadline.value, due) if due is not None else sent
    policy, ladder = ctx.community.sla, ladder_of(ctx, ticket)
    return chase(policy, ladder, ticket.urgency, clock, sent, ctx.tz, calendar)


async def reclock(ctx: Context, uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    """Set the ticket's deadlines, response and resolution times and next look from its log."""
    assert ticket.id is not None
    history = await uow.tickets.history(ticket.id)
    calendar = await calendar_of(ctx, uow, ticket)
    clock = clock_of(ctx, ticket, history, now, calendar)
    policy = ctx.community.sla
    ticket.first_response_due = clock.first_response_due
    ticket.first_responded_at = clock.first_responded_at
    ticket.resolution_due = clock.resolution_due or clock.contact_due
    ticket.committed_deadline = (
        clock.resolution_due if policy.clock(ticket.urgency).needs_commitment else None
    )
    ticket.resolved_at = clock.resolved_at
    ticket.next_remind_at = next_look(owed(ctx, ticket, history, now, calendar), now)
    ticket.updated_at = now


def next_look(planned: Chase, now: datetime) -> datetime | None:
    """When the sweep should take the ticket: now if something is owed, else the next time."""
    return now if planned.reminder or planned.rung else planned.next_at
