"""Working time: a team's business hours and holidays, for deadlines that count only the hours
a team works. Off by default (the compound's rules count real hours): then time is time."""

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tickets.policy import TimeOfDay

Weekday = Annotated[int, Field(ge=1, le=7)]  # 1 Monday ... 7 Sunday
MAX_DAYS = 3660  # a deadline further than ten years of working days is a mistake in the rules


class Calendar(Protocol):
    """How working time is added and measured."""

    def add(self, start: datetime, span: timedelta) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> timedelta: ...


class RealTime:
    """Every hour counts (the default)."""

    def add(self, start: datetime, span: timedelta) -> datetime:
        """`span` after `start`."""
        return start + span

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The time from `start` to `end` (negative if `end` is earlier)."""
        return end - start


class BusinessHours(BaseModel):
    """A team's working hours on working days, in local time, and its holidays."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: TimeOfDay = time(8, 30)
    end: TimeOfDay = time(17, 30)
    days: tuple[Weekday, ...] = (1, 2, 3, 4, 5)
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()  # weekend days worked instead (调休)

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: time, info) -> time:
        """A working day must end after it starts."""
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("must be later than start, such as 17:30")
        return end


class WorkingTime:
    """Adds and measures time counting only `hours` in the time zone `tz`."""

    def __init__(self, hours: BusinessHours, tz: tzinfo) -> None:
        self.hours, self.tz = hours, tz

    def _works(self, day: date) -> bool:
        if day in self.hours.workdays:
            return True
        return day.isoweekday() in self.hours.days and day not in self.hours.holidays

    def _span(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.hours.start, self.tz),
            datetime.combine(day, self.hours.end, self.tz),
        )

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The moment when `span` of working time after `start` has passed (the earliest one:
        a deadline that falls at a day's end is that evening, not the next morning)."""
        left, day = span, start.astimezone(self.tz).date()
        for _ in range(MAX_DAYS):
            if self._works(day):
                opens, closes = self._span(day)
                begin = max(opens, start)
                if begin < closes:
                    if left <= closes - begin:
                        return (begin + left).astimezone(start.tzinfo)
                    left -= closes - begin
            day += timedelta(days=1)
        raise ValueError("no working time found within ten years: check business_hours")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end` (negative if `end` is earlier)."""
        if end < start:
            return -self.between(end, start)
        total, day = timedelta(0), start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            if self._works(day):
                opens, closes = self._span(day)
                begin, finish = max(opens, start), min(closes, end)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total
