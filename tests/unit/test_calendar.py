"""Working time: deadlines that count a team's business hours, holidays and swapped workdays."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.calendar import BusinessHours, RealTime, WorkingTime
from tickets.community import ConfigProblem, parse_community
from tickets.events import Mark
from tickets.labels import Urgency
from tickets.policy import SlaPolicy
from tickets.sla import ClockEvent, compute_clock, next_reminder

TZ = ZoneInfo("Asia/Shanghai")
OFFICE = WorkingTime(
    BusinessHours(holidays=(date(2026, 12, 1),), workdays=(date(2026, 12, 5),)), TZ
)  # 08:30-17:30 Monday to Friday; Tuesday 1 December off; Saturday 5 December worked


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "span", "due"),
    [
        (at(11, 23, 9), timedelta(hours=4), at(11, 23, 13)),  # Monday morning
        (at(11, 23, 16), timedelta(hours=4), at(11, 24, 11)),  # 1.5 h today, 2.5 h tomorrow
        (at(11, 27, 17), timedelta(hours=4), at(11, 30, 12)),  # Friday evening -> Monday
        (at(11, 28, 10), timedelta(hours=1), at(11, 30, 9, 30)),  # Saturday -> Monday
        (at(11, 30, 16, 30), timedelta(hours=1), at(11, 30, 17, 30)),  # ends at closing time
        (at(11, 30, 17), timedelta(hours=2), at(12, 2, 10)),  # Tuesday 1 December is a holiday
        (at(12, 4, 17), timedelta(hours=1), at(12, 5, 9)),  # Saturday 5 December is worked
        (at(11, 23, 20), timedelta(0), at(11, 24, 8, 30)),  # at night: the next opening
    ],
)
def test_adding_working_time(start, span, due):
    assert OFFICE.add(start, span) == due


def test_measuring_working_time_is_the_inverse_of_adding_it():
    start = at(11, 27, 16)
    for hours in (0.5, 3, 9, 20, 45):
        span = timedelta(hours=hours)
        assert OFFICE.between(start, OFFICE.add(start, span)) == span
    assert OFFICE.between(at(11, 28, 9), at(11, 29, 18)) == timedelta(0)  # the weekend
    assert OFFICE.between(at(11, 24, 9), at(11, 23, 9)) == -timedelta(hours=9)  # 8.5 + 0.5


def test_a_report_on_friday_evening_is_due_on_monday_with_business_hours_and_not_without():
    policy, opened, now = SlaPolicy(), at(11, 27, 17), at(11, 27, 17, 5)
    with_hours = compute_clock(policy, Urgency.MEDIUM, opened, [], now, OFFICE)
    assert with_hours.first_response_due == at(11, 30, 12)
    assert with_hours.resolution_due == at(12, 3, 14)  # 0.5 + 9 (Mon) + 9 (Wed) + 5.5; Tue off
    real = compute_clock(policy, Urgency.MEDIUM, opened, [], now, RealTime())
    assert real.first_response_due == at(11, 27, 21)


def test_a_pause_in_business_hours_moves_the_deadline_by_the_working_time_paused():
    events = [ClockEvent(Mark.PAUSED, at(11, 23, 10)), ClockEvent(Mark.RESUMED, at(11, 23, 17))]
    clock = compute_clock(
        SlaPolicy(), Urgency.MEDIUM, at(11, 23, 9), events, at(11, 23, 18), OFFICE
    )
    assert clock.first_response_due == at(11, 24, 11)  # 13:00 + 7 working hours: 4.5 + 2.5


def test_business_hours_in_the_community_file_are_checked():
    data = {
        "name": "x",
        "compounds": [
            {"code": "JH", "name": "锦华苑", "buildings": [{"code": "1", "name": "1栋"}]}
        ],
        "teams": [
            {
                "code": "grid",
                "name": "网格",
                "kind": "community",
                "compounds": ["JH"],
                "business_hours": {"start": "17:30", "end": "08:30"},
            },
        ],
    }
    with pytest.raises(ConfigProblem) as problem:
        parse_community(data)
    assert "teams[0].business_hours.end" in str(problem.value)
    data["teams"][0]["business_hours"] = {
        "start": "09:00",
        "end": "18:00",
        "days": [1, 2, 3, 4, 5, 6],
    }
    team = parse_community(data).teams[0]
    assert team.business_hours is not None and team.business_hours.days[-1] == 6


def test_an_emergency_counts_real_time_even_for_a_team_with_business_hours():
    opened = at(11, 27, 23)  # Friday night
    clock = compute_clock(SlaPolicy(), Urgency.EMERGENCY, opened, [], opened, OFFICE)
    assert clock.first_response_due == opened + timedelta(minutes=15)


def test_reminders_of_a_team_with_business_hours_fall_in_its_working_hours():
    opened = at(11, 27, 17)  # Friday 17:00; first response due Monday 12:00
    clock = compute_clock(SlaPolicy(), Urgency.MEDIUM, opened, [], opened, OFFICE)
    reminder = next_reminder(SlaPolicy(), Urgency.MEDIUM, clock, TZ, OFFICE)
    assert reminder is not None and reminder.at == at(11, 30, 10)  # half of the 4 working hours
