"""Deadlines as handlers type them: "11-30", "11月30号 18:00", "2026-11-30 9:00", "明天 9点"."""

import re
from datetime import date, datetime, time, timedelta

DEFAULT_TIME = time(18, 0)  # a date without a time means the end of that working day
QUICK_DAYS = (0, 1, 3, 7)  # the quick choices: today, tomorrow, in 3 and in 7 days
_RELATIVE = {"今天": 0, "today": 0, "明天": 1, "tomorrow": 1, "后天": 2}
_NAMED_DAY = re.compile(r"^(?P<day>今天|明天|后天|today|tomorrow)\s*(?P<clock>.*)$")
_DATE = re.compile(
    r"^(?:(?P<year>\d{4})[-/.年])?(?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})[日号]?"
    r"\s*(?P<clock>.*)$"
)
_CLOCK = re.compile(r"^(?P<hour>\d{1,2})(?:[:：点](?P<minute>\d{2})?分?)?$")
_DAYS = re.compile(r"^\+?(?P<days>\d{1,3})\s*(?:天|d|days?)?$")


def quick(days: int, now: datetime) -> datetime:
    """The end of the working day `days` from now, in `now`'s time zone."""
    return datetime.combine(now.date() + timedelta(days=days), DEFAULT_TIME, now.tzinfo)


def _time_of(text: str) -> time | None:
    """ "9:00", "9点", "18点30", "" (the default); None if it cannot be read."""
    if not text:
        return DEFAULT_TIME
    found = _CLOCK.match(text)
    try:
        return time(int(found["hour"]), int(found["minute"] or 0)) if found else None
    except ValueError:  # 25:00, 9:60
        return None


def parse_deadline(text: str, now: datetime) -> datetime | None:
    """A deadline in `now`'s time zone from what a handler typed; None if it cannot be read.

    A date without a year is the next such date (so "1-5" in December is next January).
    """
    words = text.strip().lower().replace("\u3000", " ")
    if found := _NAMED_DAY.match(words):
        at = _time_of(found["clock"].strip())
        day = now.date() + timedelta(days=_RELATIVE[found["day"]])
        return datetime.combine(day, at, now.tzinfo) if at else None
    if found := _DAYS.match(words):
        return quick(int(found["days"]), now)
    found = _DATE.match(words)
    at = _time_of(found["clock"].strip()) if found else None
    if found is None or at is None:
        return None
    year = int(found["year"]) if found["year"] else now.year
    for candidate in (year, year + 1) if found["year"] is None else (year,):
        try:
            day = date(candidate, int(found["month"]), int(found["day"]))
        except ValueError:  # 13月, 2月30日, 2-29 in a year without it
            continue
        if found["year"] is not None or day >= now.date():
            return datetime.combine(day, at, now.tzinfo)
    return None
