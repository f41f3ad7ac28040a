"""The SLA sweep: every ticket whose next look has come is reminded, escalated and given its next
look, in one transaction per batch; tickets locked by another instance are skipped."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.chat import Message
from handlers.context import Context
from handlers.report import wording
from handlers.staff import card
from handlers.staff.clock import calendar_of, owed
from handlers.staff.escalate import tell_rung
from handlers.texts import t
from storage.models import Ticket
from storage.uow import UnitOfWork
from tickets.chase import Chase
from tickets.events import EventKind
from tickets.labels import Urgency

log = logging.getLogger(__name__)
ON_TIME = timedelta(minutes=1)  # a reminder this close to its deadline is "due now"
BATCH = 200  # tickets per transaction: locks held briefly, work shared among instances


@dataclass
class Swept:
    """What one sweep did."""

    tickets: int = 0
    reminders: int = 0
    escalations: int = 0


async def sweep(ctx: Context, batch: int = BATCH) -> Swept:
    """Work through every due ticket, a batch per transaction, until none is due."""
    done = Swept()
    while True:
        now = ctx.now()
        async with ctx.uow() as uow:
            due = await uow.tickets.claim_due(now, batch)
            if due:
                log.info("sweep: claimed %d due tickets", len(due))
            for ticket in due:
                planned = await chase_one(ctx, uow, ticket, now)
                done.reminders += planned.reminder is not None
                done.escalations += planned.rung is not None
            await uow.commit()
        done.tickets += len(due)
        if len(due) < batch:
            break
    if done.tickets:
        log.info("swept %d tickets: %d reminders, %d escalations", *vars(done).values())
    return done


async def chase_one(ctx: Context, uow: UnitOfWork, ticket: Ticket, now: datetime) -> Chase:
    """Send what the ticket is owed now and set its next look."""
    assert ticket.id is not None
    calendar = await calendar_of(ctx, uow, ticket)
    planned = owed(ctx, ticket, await uow.tickets.history(ticket.id), now, calendar)
    if planned.reminder is not None:
        await remind(ctx, uow, ticket, planned, now)
    if planned.rung is not None:
        await climb(ctx, uow, ticket, planned, now)
    ticket.next_remind_at = planned.next_at  # what was owed is sent: the next time after now
    return planned


def _about(planned: Chase) -> dict[str, str]:
    """The deadline a reminder or rung is about, as the audit log keeps it."""
    assert planned.deadline is not None and planned.due is not None
    return {"about": planned.deadline.value, "due": planned.due.isoformat()}


async def remind(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, planned: Chase, now: datetime
) -> None:
    """The reminder, with the card's buttons, to the handler (the team chat if nobody has it)."""
    reminder = planned.reminder
    assert reminder is not None
    data = _about(planned) | {"slot": reminder.at.isoformat()}
    event = await uow.tickets.record(ticket, EventKind.REMINDED, now, None, data)
    holder = await uow.people.get(ticket.assignee_id) if ticket.assignee_id else None
    unacknowledged = ticket.urgency is Urgency.EMERGENCY and ticket.first_responded_at is None
    to_team = holder is None or holder.started_at is None or unacknowledged
    language = card.TEAM_LANGUAGE if to_team or holder is None else holder.language
    note = reminder_text(ctx, language, await card.label_of(uow, ticket), planned, now)
    drawn = await card.render(ctx, uow, ticket)
    message = Message(f"{note}\n\n{drawn.text}", drawn.buttons)
    what = f"remind:{event.id}"
    if to_team:
        await card.tell_team(uow, ticket, message, what, now)
    else:
        assert holder is not None
        await card.tell_person(uow, holder, message, what, ticket, now)


def reminder_text(ctx: Context, language: str, label: str, planned: Chase, now: datetime) -> str:
    """ "⏰ JH-0042 响应截止 11月22日 18:30（还有30分钟）", or how late it is."""
    assert planned.deadline is not None and planned.due is not None
    what = t(language, f"remind.{planned.deadline.value}")
    at = wording.moment(language, planned.due, ctx.tz)
    if abs(planned.due - now) < ON_TIME:
        return t(language, "remind.now", ticket=label, what=what, at=at)
    if planned.due > now:
        left = wording.duration(language, to_the_minute(planned.due - now))
        return t(language, "remind.before", ticket=label, what=what, at=at, left=left)
    late = wording.duration(language, to_the_minute(now - planned.due))
    return t(language, "remind.late", ticket=label, what=what, at=at, late=late)


def to_the_minute(span: timedelta) -> timedelta:
    """A span rounded to the nearest minute (a sweep runs a few seconds after its slot)."""
    return timedelta(minutes=round(span.total_seconds() / 60))


async def climb(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, planned: Chase, now: datetime
) -> None:
    """Tell the rung reached and the resident, in plain words, that the request went up."""
    assert planned.rung is not None and planned.due is not None and planned.deadline is not None
    target = ctx.community.escalation[ticket.route][planned.rung].to
    label = await card.label_of(uow, ticket)
    language = card.TEAM_LANGUAGE
    what = t(language, f"remind.{planned.deadline.value}")
    late = wording.duration(language, to_the_minute(now - planned.due))
    rung = t(language, f"escalation.{target.value}")
    note = t(language, "escalation.note", ticket=label, what=what, late=late, rung=rung)
    event = await tell_rung(ctx, uow, ticket, planned.rung, note, _about(planned), None, now)
    reporter = await uow.people.get(ticket.reporter_id)
    if reporter is not None:
        words = t(reporter.language, f"escalation.{target.value}")
        text = t(reporter.language, "escalation.resident", ticket=label, rung=words)
        await card.tell_person(uow, reporter, Message(text), f"escalated:{event.id}", ticket, now)
