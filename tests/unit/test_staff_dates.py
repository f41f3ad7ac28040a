"""Deadlines as handlers type them (handlers.staff.dates): each form, the year rule, refusals."""

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from handlers.staff.dates import DEFAULT_TIME, QUICK_DAYS, parse_deadline, quick

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=SHANGHAI)  # a Sunday morning in Chengdu


def local(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-30", local(2026, 11, 30)),
        ("11/30", local(2026, 11, 30)),
        ("11.30", local(2026, 11, 30)),
        ("11月30日", local(2026, 11, 30)),
        ("11月30", local(2026, 11, 30)),
        ("11月30日 9:00", local(2026, 11, 30, 9)),
        ("11月30日9:05", local(2026, 11, 30, 9, 5)),
        ("11月30日 9点", local(2026, 11, 30, 9)),
        ("11月30日 9点30分", local(2026, 11, 30, 9, 30)),
        ("11-30 14：45", local(2026, 11, 30, 14, 45)),  # a full-width colon
        ("2026-12-01 18:30", local(2026, 12, 1, 18, 30)),
        ("2026/12/1", local(2026, 12, 1)),
        ("2026年12月1日", local(2026, 12, 1)),
        ("2027-01-05 08:00", local(2027, 1, 5, 8)),
        ("今天", local(2026, 11, 22)),
        ("today", local(2026, 11, 22)),
        ("明天", local(2026, 11, 23)),
        ("tomorrow", local(2026, 11, 23)),
        ("Tomorrow", local(2026, 11, 23)),
        ("后天", local(2026, 11, 24)),
        ("+3", local(2026, 11, 25)),
        ("3天", local(2026, 11, 25)),
        ("3 天", local(2026, 11, 25)),
        ("+3天", local(2026, 11, 25)),
        ("3d", local(2026, 11, 25)),
        ("7 days", local(2026, 11, 29)),
        ("  11-30  ", local(2026, 11, 30)),
        ("\u300011-30\u3000", local(2026, 11, 30)),  # ideographic spaces around it
    ],
)
def test_each_form_a_handler_types(text, expected):
    found = parse_deadline(text, NOW)
    assert found == expected
    assert found.tzinfo is SHANGHAI


def test_a_date_without_a_time_is_the_end_of_that_working_day():
    assert time(18, 0) == DEFAULT_TIME
    found = parse_deadline("12-02", NOW)
    assert (found.hour, found.minute, found.second, found.microsecond) == (18, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-5", local(2027, 1, 5)),  # January is past in November: next January
        ("11-21", local(2027, 11, 21)),  # yesterday: next year's
        ("3月1日", local(2027, 3, 1)),
        ("11-22", local(2026, 11, 22)),  # today stays today
        ("11-22 8:00", local(2026, 11, 22, 8)),  # today, even at an hour gone by
        ("12-31", local(2026, 12, 31)),
    ],
)
def test_a_date_earlier_this_year_means_next_year(text, expected):
    assert parse_deadline(text, NOW) == expected


def test_a_date_with_its_year_is_kept_even_if_it_is_past():
    assert parse_deadline("2026-01-05", NOW) == local(2026, 1, 5)


def test_on_new_years_eve_the_next_day_is_next_year():
    eve = datetime(2026, 12, 31, 20, 0, tzinfo=SHANGHAI)
    assert parse_deadline("1-1", eve) == local(2027, 1, 1)
    assert parse_deadline("明天", eve) == local(2027, 1, 1)
    assert parse_deadline("+1", eve) == local(2027, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nonsense",
        "下周",
        "abc",
        "13-01",  # no 13th month
        "0-10",  # no month 0
        "2-30",  # no 30 February
        "11-31",  # no 31 November
        "11-00",
        "25:00",
        "11-30 25:00",  # no 25 o'clock
        "11-30 9:60",  # no 60th minute
        "2026-13-01",
        "1234",  # more than three digits of days
        "+",
        "-3",
        "11-30-2026",
    ],
)
def test_nonsense_gives_none(text):
    assert parse_deadline(text, NOW) is None


def test_the_time_zone_of_now_is_kept():
    utc_now = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
    assert parse_deadline("11-30", utc_now) == datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    assert parse_deadline("11-30", utc_now).tzinfo is UTC
    plus_five = timezone(timedelta(hours=5))
    five_now = datetime(2026, 11, 22, 9, 0, tzinfo=plus_five)
    found = parse_deadline("明天", five_now)
    assert found.tzinfo is plus_five and found.utcoffset() == timedelta(hours=5)
    assert found == datetime(2026, 11, 23, 18, 0, tzinfo=plus_five)


def test_today_and_tomorrow_are_read_in_nows_time_zone():
    # 23:30 on the 21st in UTC is already 07:30 on the 22nd in Chengdu
    utc_now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert parse_deadline("明天", utc_now.astimezone(SHANGHAI)) == local(2026, 11, 23)
    assert parse_deadline("明天", utc_now) == datetime(2026, 11, 22, 18, 0, tzinfo=UTC)


def test_the_29th_of_february_does_not_crash_the_parser():
    """2028 is a leap year and 2029 is not: "2-29" typed on 1 March 2028 is in the past; moving
    it to next year must not raise (there is no 29 February 2029)."""
    now = datetime(2028, 3, 1, 9, 0, tzinfo=SHANGHAI)
    found = parse_deadline("2-29", now)  # must not raise ValueError
    assert found is None or found > now


def test_the_29th_of_february_in_a_leap_year_ahead():
    now = datetime(2028, 1, 10, 9, 0, tzinfo=SHANGHAI)
    assert parse_deadline("2-29", now) == datetime(2028, 2, 29, 18, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("days", "expected"), [(0, 22), (1, 23), (3, 25), (7, 29)])
def test_quick_is_the_end_of_the_working_day_days_from_now(days, expected):
    assert quick(days, NOW) == local(2026, 11, expected)
    assert quick(days, NOW).tzinfo is SHANGHAI


def test_quick_choices_and_their_time_zone():
    assert QUICK_DAYS == (0, 1, 3, 7)
    late = datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI)
    assert quick(0, late) == local(2026, 11, 22)  # already past: the caller hides that choice
    assert quick(0, late) < late < quick(1, late)
    assert quick(2, datetime(2026, 12, 30, 9, 0, tzinfo=UTC)) == datetime(
        2027, 1, 1, 18, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明天 9:00", (11, 23, 9, 0)),
        ("明天9点", (11, 23, 9, 0)),
        ("11月30号", (11, 30, 18, 0)),
        ("今天 20:30", (11, 22, 20, 30)),
    ],
)
def test_named_days_with_a_time_and_dates_with_hao(text, expected):
    now = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    found = parse_deadline(text, now)
    assert found is not None and (found.month, found.day, found.hour, found.minute) == expected


@pytest.mark.parametrize("text", ["明天 25:00", "明天 晚上", "今天 9:61"])
def test_a_named_day_with_an_unreadable_time_is_not_guessed(text):
    now = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert parse_deadline(text, now) is None
