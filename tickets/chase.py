"""What the SLA sweep owes one ticket at `now`: the reminder due, the rung of the escalation
ladder reached, and when to look at the ticket again. Pure: the sweep brings what was sent."""

from dataclasses import dataclass
from datetime import datetime, tzinfo

from tickets.calendar import Calendar
from tickets.escalation import escalation_level, next_escalation_at
from tickets.labels import Urgency
from tickets.policy import EscalationLadder, QuietHours, SlaPolicy
from tickets.sla import (
    REAL_TIME,
    Clock,
    Deadline,
    Reminder,
    after_quiet_hours,
    last_reminder,
    next_reminder,
)

FIRST_ESCALATION = 1  # rung 0 is the handler, whom the reminders already chase


@dataclass(frozen=True)
class Sent:
    """What was already sent about the deadline being chased (from the ticket's audit log)."""

    reminded_until: datetime | None = None  # the latest reminder slot sent
    rung: int = 0  # the highest rung told


@dataclass(frozen=True)
class Chase:
    """The sweep's work for a ticket now: a reminder, a rung to tell, the next look."""

    deadline: Deadline | None = None
    due: datetime | None = None
    reminder: Reminder | None = None
    rung: int | None = None
    next_at: datetime | None = None


def chase(
    policy: SlaPolicy,
    ladder: EscalationLadder,
    urgency: Urgency,
    clock: Clock,
    sent: Sent,
    tz: tzinfo,
    calendar: Calendar = REAL_TIME,
) -> Chase:
    """The reminder and rung due at `clock.now` that were not sent yet, and when to look again.

    After downtime this is one reminder (the latest slot) and one rung (the highest reached),
    never the backlog. A missed deadline climbs the ladder from rung 1, each rung `after` the
    one before; outside emergencies, rungs reached in quiet hours are told when they end.
    """
    if not clock.is_running:
        return Chase()
    deadline, due = clock.chased()
    if due is None:
        return Chase()
    now = clock.now
    last = last_reminder(policy, urgency, clock, tz, calendar)
    reminder = (
        last if last and (sent.reminded_until is None or last.at > sent.reminded_until) else None
    )
    upcoming = next_reminder(policy, urgency, clock, tz, calendar)
    quiet = policy.quiet_hours if urgency is not Urgency.EMERGENCY else None
    rung, next_rung_at = (
        _climb(ladder, due, now, sent.rung, quiet, tz) if due <= now else (None, None)
    )
    times = [at for at in (upcoming.at if upcoming else None, next_rung_at) if at and at > now]
    return Chase(deadline, due, reminder, rung, min(times) if times else None)


def _climb(
    ladder: EscalationLadder,
    missed: datetime,
    now: datetime,
    told: int,
    quiet: QuietHours | None,
    tz: tzinfo,
) -> tuple[int | None, datetime | None]:
    """The rung to tell now (the highest reached, from rung 1) and when the next one is due; a
    rung reached in quiet hours waits for their end (`quiet` is None for emergencies)."""
    reached = escalation_level(ladder, missed, now)
    if reached >= FIRST_ESCALATION and reached > told:
        if quiet is not None and after_quiet_hours(now, quiet, tz) > now:
            return None, after_quiet_hours(now, quiet, tz)
        told = reached
        rung: int | None = reached
    else:
        rung = None
    upcoming = next_escalation_at(ladder, missed, told)
    if upcoming is not None and quiet is not None:
        upcoming = after_quiet_hours(upcoming, quiet, tz)
    return rung, upcoming
