"""The sweep's plan for one ticket, with a frozen clock moved to each next look: every reminder
and rung for each urgency, quiet hours, pauses, a committed deadline moved, and downtime."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tickets.chase import Sent, chase
from tickets.events import Mark
from tickets.labels import Route, Urgency
from tickets.policy import DEFAULT_LADDERS, SlaPolicy
from tickets.sla import ClockEvent, compute_clock

TZ = ZoneInfo("Asia/Shanghai")
POLICY = SlaPolicy()
LADDER = DEFAULT_LADDERS[Route.PROPERTY]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in Chengdu, November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def run(urgency, opened, until, events=(), down=None):
    """Sweep the ticket at each of its next looks until `until`; what was sent, when (local).

    `down` is (from, to): the sweep does not run then, and looks once when it is back.
    """
    sent, log, now = Sent(), [], opened
    while True:
        clock = compute_clock(POLICY, urgency, opened, [e for e in events if e.at <= now], now)
        plan = chase(POLICY, LADDER, urgency, clock, sent, TZ)
        if plan.reminder is not None:
            log.append((now.astimezone(TZ).strftime("%d %H:%M"), "remind", plan.deadline.value))
            sent = Sent(plan.reminder.at, sent.rung)
        if plan.rung is not None:
            log.append(
                (now.astimezone(TZ).strftime("%d %H:%M"), f"rung {plan.rung}", plan.deadline.value)
            )
            sent = Sent(sent.reminded_until, plan.rung)
        nexts = [plan.next_at] + [e.at for e in events if e.at > now]
        nexts = [n for n in nexts if n is not None]
        if not nexts or min(nexts) > until:
            return log
        now = min(nexts)
        if down and down[0] <= now < down[1]:
            now = down[1]
        # a new deadline starts from nothing sent about it
        new_clock = compute_clock(POLICY, urgency, opened, [e for e in events if e.at <= now], now)
        if new_clock.is_running and new_clock.chased() != clock.chased():
            sent = Sent()


def test_a_medium_ticket_is_reminded_at_half_time_shortly_before_at_and_after_its_deadline():
    log = run(Urgency.MEDIUM, at(23, 9), at(23, 21, 30))
    assert log == [
        ("23 11:00", "remind", "first_response"),  # half of the 4 hours
        ("23 12:30", "remind", "first_response"),  # 30 minutes before
        ("23 13:00", "remind", "first_response"),  # the deadline
        ("23 15:00", "remind", "first_response"),  # every 2 hours after ...
        ("23 15:00", "rung 1", "first_response"),  # ... and the team lead 2 hours after it
        ("23 17:00", "remind", "first_response"),
        ("23 19:00", "remind", "first_response"),
        ("23 21:00", "remind", "first_response"),
    ]


def test_night_reminders_wait_for_the_morning_and_come_once():
    log = run(Urgency.MEDIUM, at(23, 9), at(24, 16))
    night = [entry for entry in log if entry[0] > "23 21:00"]
    assert night == [
        ("24 07:00", "remind", "first_response"),  # 23:00, 01:00, ... 05:00 fold into one
        ("24 09:00", "remind", "first_response"),
        ("24 11:00", "remind", "first_response"),
        ("24 13:00", "remind", "first_response"),
        ("24 15:00", "remind", "first_response"),
        ("24 15:00", "rung 2", "first_response"),  # the supervisor 24 hours after the lead
    ]


def test_an_emergency_is_reminded_every_five_minutes_until_someone_answers_even_at_night():
    opened = at(23, 23, 0)
    answered = ClockEvent(Mark.RESPONDED, opened + timedelta(minutes=22))
    log = run(Urgency.EMERGENCY, opened, opened + timedelta(minutes=40), [answered])
    assert log == [
        ("23 23:05", "remind", "first_response"),
        ("23 23:10", "remind", "first_response"),
        ("23 23:15", "remind", "first_response"),
        ("23 23:20", "remind", "first_response"),
    ]  # answered at 23:22; the resolution (03:00) is first reminded at 01:00, night or not


def test_a_general_ticket_has_the_same_first_response_clock():
    assert run(Urgency.GENERAL, at(23, 9), at(23, 16)) == [
        ("23 11:00", "remind", "first_response"),
        ("23 12:30", "remind", "first_response"),
        ("23 13:00", "remind", "first_response"),
        ("23 15:00", "remind", "first_response"),
        ("23 15:00", "rung 1", "first_response"),
    ]


def test_a_difficult_ticket_is_chased_to_the_committed_deadline():
    contacted = [
        ClockEvent(Mark.RESPONDED, at(23, 10)),
        ClockEvent(Mark.COMMITTED, at(23, 10), deadline=at(25, 18)),
    ]
    assert run(Urgency.DIFFICULT, at(23, 9), at(25, 20), contacted) == [
        ("24 13:30", "remind", "resolution"),  # half of the 57 hours from the report
        ("25 17:30", "remind", "resolution"),
        ("25 18:00", "remind", "resolution"),
        ("25 20:00", "remind", "resolution"),
        ("25 20:00", "rung 1", "resolution"),
    ]


def test_a_committed_deadline_moved_by_the_handler_is_chased_instead():
    contacted = [
        ClockEvent(Mark.RESPONDED, at(23, 10)),
        ClockEvent(Mark.COMMITTED, at(23, 10), deadline=at(25, 18)),
        ClockEvent(Mark.COMMITTED, at(24, 10), deadline=at(27, 18)),  # a second visit
    ]
    log = run(Urgency.DIFFICULT, at(23, 9), at(27, 18, 30), contacted)
    assert ("25 18:00", "remind", "resolution") not in log
    assert log[-2:] == [("27 17:30", "remind", "resolution"), ("27 18:00", "remind", "resolution")]
    assert not [entry for entry in log if entry[1].startswith("rung")]


def test_no_reminder_while_the_ticket_waits_for_the_resident_and_the_deadline_moves():
    waiting = [ClockEvent(Mark.PAUSED, at(23, 10)), ClockEvent(Mark.RESUMED, at(23, 12))]
    log = run(Urgency.MEDIUM, at(23, 9), at(23, 15, 30), waiting)
    assert not [entry for entry in log if "10:00" < entry[0][3:] < "12:00"]
    assert ("23 15:00", "remind", "first_response") in log  # 13:00 plus the 2 hours paused
    assert ("23 13:00", "remind", "first_response") not in log


def test_after_two_days_down_one_reminder_and_the_highest_rung_not_the_backlog():
    log = run(Urgency.MEDIUM, at(23, 9), at(25, 11, 30), down=(at(23, 10), at(25, 10)))
    back = [entry for entry in log if entry[0] >= "25 10:00"]
    assert back == [
        ("25 10:00", "remind", "first_response"),
        ("25 10:00", "rung 2", "first_response"),  # the lead's rung is passed over, not replayed
        ("25 11:00", "remind", "first_response"),
    ]
    assert [entry for entry in log if entry[0] < "25 10:00"] == []  # down from 10:00 on the 23rd


def test_a_rung_reached_just_before_the_night_is_told_in_the_morning_and_not_looked_at_meanwhile():
    opened = at(23, 15, 50)  # medium: first response due 19:50, the lead's rung at 21:50
    clock = compute_clock(POLICY, Urgency.MEDIUM, opened, [], at(23, 22, 5))
    plan = chase(POLICY, LADDER, Urgency.MEDIUM, clock, Sent(at(23, 21, 50), 0), TZ)
    assert plan.rung is None  # 22:05 is in the quiet hours
    assert plan.next_at == at(24, 7)  # the sweep comes back when they end, not every 30 s
    morning = compute_clock(POLICY, Urgency.MEDIUM, opened, [], at(24, 7))
    assert chase(POLICY, LADDER, Urgency.MEDIUM, morning, Sent(at(23, 21, 50), 0), TZ).rung == 1
