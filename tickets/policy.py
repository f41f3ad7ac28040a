"""The compound's service rules as data: SLA clocks, reminders, quiet hours, escalation ladders."""

import re
from collections.abc import Mapping
from datetime import time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from tickets.labels import Route, Urgency

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?(?:(\d+)s)?$")


def parse_duration(value: object) -> object:
    """Read "15m", "4h", "1h30m", "2d" or "90s" as a timedelta; a bare number needs a unit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == 0:
            return timedelta(0)
        raise ValueError(f"{value} has no unit; write it like 15m, 4h, 1h30m or 2d")
    if not isinstance(value, str):
        return value
    match = _DURATION.match(value.strip().lower().replace(" ", ""))
    if not match or not any(match.groups()):
        raise ValueError(f'"{value}" is not a duration; write it like 15m, 4h, 1h30m or 2d')
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def parse_time_of_day(value: object) -> object:
    """Read "22:00" as a local time of day; YAML sexagesimal numbers (22:00 is 1320) are refused."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("a time of day here is local time; leave out the time zone")
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value.strip()):
        return value.strip()
    raise ValueError(f'{value!r} is not a time of day; write it in quotes, like "22:00"')


TimeOfDay = Annotated[time, BeforeValidator(parse_time_of_day)]


def _parse_resolution(value: object) -> object:
    if value == "committed":
        return value
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(f'"{value}" is neither a duration (like 24h) nor "committed"') from None


Resolution = Annotated[timedelta | Literal["committed"], BeforeValidator(_parse_resolution)]


def with_defaults(data: object, key: str, defaults: Mapping[Any, object]) -> object:
    """Raw config data whose table under `key` has every entry of `defaults` it does not set."""
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return {**data, key: {**defaults, **data[key]}}
    return data


class _Rules(BaseModel):
    """Base for rule tables: immutable, and unknown keys are a mistake worth reporting."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class UrgencyClock(_Rules):
    """Deadlines of one urgency level, counted from when the ticket is opened."""

    first_response: Duration
    # "committed": the handler must contact the resident before `first_response` and commit to a
    # deadline then; that committed deadline becomes the resolution deadline (difficult tickets).
    resolution: Resolution

    @property
    def needs_commitment(self) -> bool:
        """True when resolution is the deadline the handler commits to at first contact."""
        return self.resolution == "committed"


class ReminderPlan(_Rules):
    """When handlers are reminded of a deadline."""

    before: tuple[float, ...] = Field(default=(0.5,), description="fractions of the time allowed")
    lead: Duration = timedelta(minutes=30)  # "shortly before" the deadline
    repeat_every: Duration = timedelta(hours=2)  # after a missed deadline, until closed
    emergency_every: Duration = timedelta(minutes=5)  # until an emergency is acknowledged

    @model_validator(mode="after")
    def _fractions_between_zero_and_one(self) -> "ReminderPlan":
        if any(not 0 < f < 1 for f in self.before):
            raise ValueError("before: each fraction must be between 0 and 1, such as 0.5")
        if self.repeat_every <= timedelta(0) or self.emergency_every <= timedelta(0):
            raise ValueError("repeat_every and emergency_every must be longer than zero")
        return self


class QuietHours(_Rules):
    """Local hours without reminders (emergencies excepted); may wrap past midnight."""

    start: TimeOfDay = time(22, 0)
    end: TimeOfDay = time(7, 0)


DEFAULT_CLOCKS: dict[Urgency, UrgencyClock] = {
    Urgency.EMERGENCY: UrgencyClock(first_response="15m", resolution="4h"),
    Urgency.DIFFICULT: UrgencyClock(first_response="4h", resolution="committed"),
    Urgency.MEDIUM: UrgencyClock(first_response="4h", resolution="24h"),
    Urgency.GENERAL: UrgencyClock(first_response="4h", resolution="4h"),
}


class SlaPolicy(_Rules):
    """The whole service clock of a community; defaults follow the compound's own rules."""

    clocks: dict[Urgency, UrgencyClock] = Field(default_factory=lambda: dict(DEFAULT_CLOCKS))
    reminders: ReminderPlan = ReminderPlan()
    quiet_hours: QuietHours | None = QuietHours()

    @model_validator(mode="before")
    @classmethod
    def _fill_missing_levels(cls, data: object) -> object:
        """A config may override one level; the others keep their defaults."""
        return with_defaults(data, "clocks", DEFAULT_CLOCKS)

    def clock(self, urgency: Urgency) -> UrgencyClock:
        """The deadlines for one urgency level."""
        return self.clocks[urgency]


class EscalationTarget(StrEnum):
    """Who a late ticket is escalated to, step by step."""

    HANDLER = "handler"  # 经办人: the assignee, or the team chat when nobody has taken it
    TEAM_LEAD = "team_lead"  # 负责人: the property manager or the grid workers' lead
    COMMUNITY_SUPERVISOR = "community_supervisor"  # 社区督办
    STREET_OFFICE = "street_office"  # 街道办


class EscalationStep(_Rules):
    """One rung: who is told, and how long after the previous rung."""

    to: EscalationTarget
    after: Duration = timedelta(0)


EscalationLadder = tuple[EscalationStep, ...]

DEFAULT_LADDERS: dict[Route, EscalationLadder] = {
    Route.PROPERTY: (
        EscalationStep(to=EscalationTarget.HANDLER),
        EscalationStep(to=EscalationTarget.TEAM_LEAD, after="2h"),
        EscalationStep(to=EscalationTarget.COMMUNITY_SUPERVISOR, after="24h"),
        EscalationStep(to=EscalationTarget.STREET_OFFICE, after="48h"),
    ),
    Route.COMMUNITY: (
        EscalationStep(to=EscalationTarget.HANDLER),
        EscalationStep(to=EscalationTarget.COMMUNITY_SUPERVISOR, after="4h"),
        EscalationStep(to=EscalationTarget.STREET_OFFICE, after="48h"),
    ),
}
