"""A team's key rates over a period, as a pure function; the definitions are docs/metrics.md."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from tickets.calendar import Calendar
from tickets.events import Mark
from tickets.labels import Urgency
from tickets.lifecycle import OPEN_STATUSES, Status
from tickets.policy import SlaPolicy
from tickets.sla import REAL_TIME, Clock, ClockEvent, compute_clock

GOOD_VERDICTS = frozenset({"satisfied", "mostly"})  # 满意, 基本满意
UNSATISFIED = "unsatisfied"  # 不满意: reopens the ticket
NOT_WORK = frozenset({Status.CANCELLED, Status.REJECTED})  # withdrawn, or not ours to do


@dataclass(frozen=True)
class Transfer:
    """One 转办 of the audit log: the ticket left `from_team` for `to_team` at `at`."""

    at: datetime
    from_team: str
    to_team: str


@dataclass(frozen=True)
class TicketFacts:
    """What the rates need of one ticket, its clock as it stands at the rates' `now`."""

    id: int
    team: str  # the team that holds it now
    urgency: Urgency
    status: Status
    created_at: datetime
    first_response_due: datetime
    first_responded_at: datetime | None
    first_response_met: bool | None  # the clock's verdict; None: not decided yet
    resolution_due: datetime | None  # the latest cycle's (a contact deadline before commitment)
    resolved_at: datetime | None  # the resolution of the latest cycle
    resolution_met: bool | None
    closed_at: datetime | None = None
    satisfaction: str | None = None  # the latest verdict given, as stored on the ticket
    reopened: int = 0
    earlier_cycles_on_time: bool = True  # every cycle before the latest reopening met its deadline
    transfers: tuple[Transfer, ...] = ()  # oldest first

    def __post_init__(self) -> None:
        """Refuse transfers out of order, or whose chain does not end with `team`."""
        chain = [t.from_team for t in self.transfers] + [self.team]
        times = [t.at for t in self.transfers]
        broken = any(t.to_team != chain[i + 1] for i, t in enumerate(self.transfers))
        if broken or times != sorted(times):
            raise ValueError(f"ticket {self.id}: transfers out of order or not ending at its team")

    @classmethod
    def from_clock(cls, clock: Clock, **facts: Any) -> "TicketFacts":
        """Facts whose deadlines, times and verdicts are the clock's (`compute_clock` at now)."""
        due, met = resolution_of(clock)
        return cls(
            first_response_due=clock.first_response_due,
            first_responded_at=clock.first_responded_at,
            first_response_met=clock.first_response_met,
            resolution_due=due,
            resolved_at=clock.resolved_at,
            resolution_met=met,
            **facts,
        )

    def team_at(self, moment: datetime) -> str:
        """The team that held the ticket at `moment` (a transfer counts from its own instant)."""
        return next((t.from_team for t in self.transfers if moment < t.at), self.team)

    @property
    def response_team(self) -> str | None:
        """Who answers for the first response: the holder when it was met, or when it was missed."""
        if self.first_response_met is None:
            return None
        met_at = self.first_responded_at if self.first_response_met else None
        return self.team_at(met_at or self.first_response_due)

    @property
    def resolution_team(self) -> str | None:
        """Who answers for the resolution: the holder when the latest cycle's was met or missed."""
        if self.resolution_met is None:
            return None
        moment = self.resolved_at if self.resolution_met else self.resolution_due
        return self.team_at(moment) if moment is not None else self.team

    @property
    def verdict(self) -> str | None:
        """The verdict that stands: a closed ticket's, or the 不满意 that reopened it."""
        if self.status is Status.CLOSED or self.satisfaction == UNSATISFIED:
            return self.satisfaction
        return None

    def overdue(self, now: datetime) -> bool:
        """Open, and the deadline being chased (response, then resolution) passed before `now`."""
        due = self.first_response_due if self.first_responded_at is None else self.resolution_due
        return self.status in OPEN_STATUSES and due is not None and due < now


def resolution_of(clock: Clock) -> tuple[datetime | None, bool | None]:
    """The latest cycle's resolution deadline and verdict; without a commitment, the contact's."""
    if clock.resolution_due is not None or clock.resolved_at is None:
        return clock.resolution_due or clock.contact_due, clock.resolution_met
    due = clock.contact_due or clock.first_response_due  # resolved before committing to a date
    return due, clock.resolved_at <= due


def earlier_cycles_on_time(
    policy: SlaPolicy,
    urgency: Urgency,
    opened_at: datetime,
    events: list[ClockEvent],
    calendar: Calendar = REAL_TIME,
) -> bool:
    """False when a resolution cycle closed by a reopening had missed its deadline."""
    for reopened_at in sorted(e.at for e in events if e.mark is Mark.REOPENED):
        before = [e for e in events if e.at < reopened_at]
        clock = compute_clock(policy, urgency, opened_at, before, reopened_at, calendar)
        if resolution_of(clock)[1] is False:
            return False
    return True


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


@dataclass(frozen=True)
class Period:
    """The half-open span [start, end) in which the counted tickets were reported."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        """Refuse naive or reversed bounds."""
        if self.start.tzinfo is None or self.end.tzinfo is None or self.end < self.start:
            raise ValueError("a period needs timezone-aware bounds, start <= end")

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @classmethod
    def last_days(cls, days: int, now: datetime, tz: tzinfo) -> "Period":
        """The `days` whole local days before today."""
        today = now.astimezone(tz).date()
        return cls(_midnight(today - timedelta(days=days), tz), _midnight(today, tz))

    @classmethod
    def month_to_date(cls, now: datetime, tz: tzinfo) -> "Period":
        """From the 1st of yesterday's month to the start of today (on the 1st: last month)."""
        today = now.astimezone(tz).date()
        first = (today - timedelta(days=1)).replace(day=1)
        return cls(_midnight(first, tz), _midnight(today, tz))


@dataclass(frozen=True)
class Rate:
    """A count of tickets that did well out of the tickets that count."""

    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        """Between 0 and 1; None when no ticket counts."""
        return self.numerator / self.denominator if self.denominator else None


def _rate(counted: list[TicketFacts], good: Callable[[TicketFacts], object]) -> Rate:
    return Rate(sum(1 for t in counted if good(t)), len(counted))


@dataclass(frozen=True)
class Rates:
    """A team's rates and counts for the tickets reported in a period, seen at `now`."""

    response: Rate  # 响应率
    completion: Rate  # 办结率
    on_time: Rate  # 按时办结率
    satisfaction: Rate  # 满意率
    rated: Rate  # 参评率: the share of judged tickets with a verdict
    received: int  # = closed + awaiting_verdict + open + cancelled + rejected
    closed: int
    awaiting_verdict: int
    open: int
    overdue: int
    cancelled: int
    rejected: int
    transferred_out: int  # reported in the period, passed by this team to another, held there now
    closed_in_period: int  # closed in the period, whenever reported


def rates(tickets: Iterable[TicketFacts], team: str, period: Period, now: datetime) -> Rates:
    """The rates of `team` over the tickets reported in `period`, as they stand at `now`."""
    every = list(tickets)
    cohort = [t for t in every if t.created_at in period]
    held = [t for t in cohort if t.team == team]
    work = [t for t in held if t.status not in NOT_WORK]
    responses = [t for t in cohort if t.response_team == team]
    resolutions = [t for t in cohort if t.status not in NOT_WORK and t.resolution_team == team]
    judged = [t for t in work if t.status is Status.CLOSED or t.verdict is not None]
    rated = [t for t in judged if t.verdict is not None]
    closings = [t.closed_at for t in every if t.team == team and t.status is Status.CLOSED]
    statuses = Counter(t.status for t in held)
    return Rates(
        response=_rate(responses, lambda t: t.first_response_met),
        completion=_rate(work, lambda t: t.status is Status.CLOSED),
        on_time=_rate(resolutions, lambda t: t.resolution_met and t.earlier_cycles_on_time),
        satisfaction=_rate(rated, lambda t: t.verdict in GOOD_VERDICTS),
        rated=Rate(len(rated), len(judged)),
        received=len(held),
        closed=statuses[Status.CLOSED],
        awaiting_verdict=statuses[Status.RESOLVED],
        open=sum(statuses[s] for s in OPEN_STATUSES),
        overdue=sum(1 for t in held if t.overdue(now)),
        cancelled=statuses[Status.CANCELLED],
        rejected=statuses[Status.REJECTED],
        transferred_out=sum(
            1 for t in cohort if t.team != team and any(x.from_team == team for x in t.transfers)
        ),
        closed_in_period=sum(1 for at in closings if at is not None and at in period),
    )
