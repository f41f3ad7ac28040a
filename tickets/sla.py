"""The SLA clock: a ticket's deadlines, whether they were met, pauses, and its next reminder."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from tickets.calendar import Calendar, RealTime
from tickets.events import CLOCK_MARKS, EventKind, Mark
from tickets.labels import Urgency
from tickets.policy import QuietHours, SlaPolicy

REAL_TIME = RealTime()
ZERO = timedelta(0)


@dataclass(frozen=True)
class ClockEvent:
    """One moment that matters to the clock (see `tickets.events.CLOCK_MARKS`)."""

    mark: Mark
    at: datetime
    deadline: datetime | None = None  # the committed deadline, for Mark.COMMITTED


class Deadline(StrEnum):
    """Which deadline a reminder or escalation is about."""

    FIRST_RESPONSE = "first_response"
    CONTACT = "contact"  # first response of a difficult ticket: visit or call, with a commitment
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class Clock:
    """The state of a ticket's clock at `now`. A `*_met` of None means not yet decided."""

    now: datetime
    first_deadline: Deadline
    first_response_due: datetime
    first_responded_at: datetime | None
    first_response_met: bool | None
    cycle_started_at: datetime  # when the ticket was opened, or last reopened
    contact_due: datetime | None  # a reopened difficult ticket: contact again and recommit
    resolution_due: datetime | None  # None: a difficult ticket still waiting for its commitment
    resolved_at: datetime | None
    resolution_met: bool | None
    paused_for: timedelta
    paused_since: datetime | None
    ended_at: datetime | None

    @property
    def is_paused(self) -> bool:
        """True while the ticket waits for the resident."""
        return self.paused_since is not None

    @property
    def is_running(self) -> bool:
        """True while a deadline is being chased: not paused, resolved or ended."""
        return not self.is_paused and self.resolved_at is None and self.ended_at is None

    def chased(self) -> tuple[Deadline, datetime | None]:
        """The deadline being chased now: the first response until it is given, then resolution."""
        if self.first_responded_at is None:
            return self.first_deadline, self.first_response_due
        if self.resolution_due is None and self.contact_due is not None:
            return Deadline.CONTACT, self.contact_due
        return Deadline.RESOLUTION, self.resolution_due


def clock_events(
    kind: EventKind, at: datetime, deadline: datetime | None = None
) -> list[ClockEvent]:
    """The clock marks one audit event sets, in order; most events set none."""
    return [ClockEvent(mark, at, deadline) for mark in CLOCK_MARKS.get(kind, ())]


def _require_aware(*moments: datetime | None) -> None:
    if any(m is not None and m.tzinfo is None for m in moments):
        raise ValueError("the clock needs timezone-aware datetimes")


def _pause_intervals(events: list[ClockEvent]) -> list[tuple[datetime, datetime | None]]:
    """Pairs of (paused at, resumed at); the last one may still be open."""
    intervals: list[tuple[datetime, datetime | None]] = []
    paused_at: datetime | None = None
    for event in events:
        if event.mark is Mark.PAUSED and paused_at is None:
            paused_at = event.at
        elif event.mark in (Mark.RESUMED, Mark.RESOLVED, Mark.ENDED) and paused_at is not None:
            intervals.append((paused_at, event.at))
            paused_at = None
    if paused_at is not None:
        intervals.append((paused_at, None))
    return intervals


def _due(
    start: datetime,
    allowed: timedelta,
    pauses: list[tuple[datetime, datetime | None]],
    now: datetime,
    calendar: Calendar,
) -> datetime:
    """When `allowed` working time after `start` runs out; paused time does not count.

    While a pause is still open the result is projected: now plus the time that was left.
    """
    due = calendar.add(start, allowed)
    for paused_at, resumed_at in pauses:
        if paused_at >= due:
            break
        if resumed_at is not None and resumed_at <= start:
            continue
        counted_from = max(paused_at, start)
        if resumed_at is None:
            return calendar.add(max(now, counted_from), calendar.between(counted_from, due))
        due = calendar.add(due, calendar.between(counted_from, resumed_at))
    return due


def _met(done_at: datetime | None, due: datetime | None, now: datetime) -> bool | None:
    if due is None:
        return None
    if done_at is not None:
        return done_at <= due
    return False if now > due else None


def compute_clock(
    policy: SlaPolicy,
    urgency: Urgency,
    opened_at: datetime,
    events: list[ClockEvent],
    now: datetime,
    calendar: Calendar = REAL_TIME,
) -> Clock:
    """The clock of a ticket of `urgency` opened at `opened_at`, after `events`, seen at `now`.

    Deadlines count the hours of `calendar` (every hour by default; a team's business hours
    when it has them); reminders, quiet hours and escalation steps stay in real time.
    """
    _require_aware(opened_at, now, *(e.at for e in events), *(e.deadline for e in events))
    if urgency is Urgency.EMERGENCY:
        calendar = REAL_TIME  # danger does not wait for office hours
    rules = policy.clock(urgency)
    events = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    pauses = _pause_intervals(events)

    responded_at = None
    committed: datetime | None = None
    cycle_started_at, resolved_at, ended_at = opened_at, None, None
    first_response_marks = {Mark.COMMITTED if rules.needs_commitment else Mark.RESPONDED}
    first_response_marks.add(Mark.RESOLVED)  # resolving answers the resident too
    for event in events:
        if event.mark in first_response_marks and responded_at is None:
            responded_at = event.at
        if event.mark is Mark.COMMITTED and event.deadline is not None:
            committed = event.deadline
        elif event.mark is Mark.RESOLVED:
            resolved_at = event.at
        elif event.mark is Mark.REOPENED:  # a new cycle: a difficult ticket needs a new contact
            cycle_started_at, resolved_at, ended_at, committed = event.at, None, None, None
        elif event.mark is Mark.ENDED:
            ended_at = event.at

    pauses_before_response = [p for p in pauses if responded_at is None or p[0] < responded_at]
    first_due = _due(opened_at, rules.first_response, pauses_before_response, now, calendar)
    contact_due = None
    if rules.needs_commitment:
        resolution_due = committed
        if committed is None and cycle_started_at > opened_at:
            contact_due = _due(cycle_started_at, rules.first_response, pauses, now, calendar)
    else:
        resolution_due = _due(cycle_started_at, rules.resolution, pauses, now, calendar)

    open_pause = pauses[-1][0] if pauses and pauses[-1][1] is None else None
    judged_at = min(now, ended_at) if ended_at else now  # a withdrawn ticket is judged as it ended
    paused_for = sum(
        ((resumed_at or now) - paused_at for paused_at, resumed_at in pauses), timedelta(0)
    )
    first_deadline = Deadline.CONTACT if rules.needs_commitment else Deadline.FIRST_RESPONSE
    return Clock(
        now=now,
        first_deadline=first_deadline,
        first_response_due=first_due,
        first_responded_at=responded_at,
        first_response_met=_met(responded_at, first_due, judged_at),
        cycle_started_at=cycle_started_at,
        contact_due=contact_due,
        resolution_due=resolution_due,
        resolved_at=resolved_at,
        resolution_met=_met(resolved_at, resolution_due, judged_at),
        paused_for=paused_for,
        paused_since=open_pause,
        ended_at=ended_at,
    )


@dataclass(frozen=True)
class Reminder:
    """The next reminder: when, which deadline it is about, and that deadline."""

    at: datetime
    deadline: Deadline
    due: datetime
    overdue: bool


def next_reminder(
    policy: SlaPolicy,
    urgency: Urgency,
    clock: Clock,
    tz: tzinfo = UTC,
    calendar: Calendar = REAL_TIME,
) -> Reminder | None:
    """The first reminder strictly after `clock.now`, or None when nothing is being chased.

    After downtime this yields one reminder, not one per missed slot: only the next slot counts.
    """
    found = _slots(policy, urgency, clock, tz, calendar)
    if found is None:
        return None
    slots, deadline, due = found
    at = min(at for at in slots if at > clock.now)
    return Reminder(at=at, deadline=deadline, due=due, overdue=at > due)


def last_reminder(
    policy: SlaPolicy,
    urgency: Urgency,
    clock: Clock,
    tz: tzinfo = UTC,
    calendar: Calendar = REAL_TIME,
) -> Reminder | None:
    """The latest reminder slot at or before `clock.now`: the one a sweep sends when it comes.

    However long the sweep was away, this is one reminder: the slots it missed are not replayed.
    """
    found = _slots(policy, urgency, clock, tz, calendar)
    if found is None:
        return None
    slots, deadline, due = found
    past = [at for at in slots if at <= clock.now]
    if not past:
        return None
    at = max(past)
    return Reminder(at=at, deadline=deadline, due=due, overdue=at > due)


def _slots(
    policy: SlaPolicy, urgency: Urgency, clock: Clock, tz: tzinfo, calendar: Calendar
) -> tuple[list[datetime], Deadline, datetime] | None:
    """The reminder slots around `clock.now` of the deadline being chased, and that deadline.

    The slots hold every slot before the deadline, the deadline, and of the repeats after it the
    last one at or before `now` and the next one after it; a slot in quiet hours moves to their
    end (not for emergencies). An unacknowledged emergency has its own cadence from the start.
    """
    if not clock.is_running:
        return None
    deadline, due = clock.chased()
    if due is None:
        return None
    plan, start = policy.reminders, clock.cycle_started_at
    if urgency is Urgency.EMERGENCY and clock.first_responded_at is None:
        return _cadence_slots(start, plan.emergency_every, clock.now), deadline, due
    window = calendar.between(start, due)
    slots = [calendar.add(start, window * fraction) for fraction in plan.before]
    slots += [due - plan.lead, due, *_cadence_slots(due, plan.repeat_every, clock.now)]
    if urgency is not Urgency.EMERGENCY:
        slots = [calendar.add(at, ZERO) for at in slots]  # outside working time: when it opens
    if urgency is not Urgency.EMERGENCY and policy.quiet_hours is not None:
        slots = [after_quiet_hours(at, policy.quiet_hours, tz) for at in slots]
    return slots, deadline, due


def _cadence_slots(origin: datetime, every: timedelta, now: datetime) -> list[datetime]:
    """Of origin + k * every (k >= 1): the last one at or before `now`, then the next one after."""
    last = max(int((now - origin) / every), 0)
    return [origin + every * k for k in (last, last + 1) if k >= 1]


def in_quiet_hours(at: datetime, quiet: QuietHours, tz: tzinfo) -> bool:
    """True when `at` falls in the quiet hours, read in local time `tz`."""
    local = at.astimezone(tz).time()
    if quiet.start <= quiet.end:
        return quiet.start <= local < quiet.end
    return local >= quiet.start or local < quiet.end


def after_quiet_hours(at: datetime, quiet: QuietHours, tz: tzinfo) -> datetime:
    """`at` itself, or the end of the quiet hours it falls in."""
    if not in_quiet_hours(at, quiet, tz):
        return at
    local = at.astimezone(tz)
    end = local.replace(
        hour=quiet.end.hour, minute=quiet.end.minute, second=quiet.end.second, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(at.tzinfo)
