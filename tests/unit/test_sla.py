"""The SLA clock, example by example, on a frozen clock.

All instants are fixed aware datetimes. T0 is Monday 2025-03-03 02:00 UTC (10:00 in Chengdu);
`h(x)` and `m(x)` are T0 plus x hours or minutes.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.events import CLOCK_MARKS, EventKind, Mark
from tickets.labels import Urgency
from tickets.policy import QuietHours, ReminderPlan, SlaPolicy
from tickets.sla import (
    ClockEvent,
    Deadline,
    Reminder,
    after_quiet_hours,
    clock_events,
    compute_clock,
    in_quiet_hours,
    next_reminder,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
POLICY = SlaPolicy()
NO_QUIET = SlaPolicy(quiet_hours=None)
K = EventKind
E, D, M, G = Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.MEDIUM, Urgency.GENERAL


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SH)


def history(*items: tuple) -> list[ClockEvent]:
    """(kind, at) or (kind, at, committed deadline) items, as clock events."""
    return [event for item in items for event in clock_events(*item)]


def clock_at(urgency, now, *items, opened=T0, policy=POLICY):
    return compute_clock(policy, urgency, opened, history(*items), now)


def reminder_at(urgency, now, *items, opened=T0, policy=NO_QUIET, tz=UTC):
    clock = compute_clock(policy, urgency, opened, history(*items), now)
    return next_reminder(policy, urgency, clock, tz)


# --- events -> marks ----------------------------------------------------------------------------


def test_clock_events_follow_the_marks_table():
    assert clock_events(K.CONTACTED, h(1), h(48)) == [
        ClockEvent(Mark.RESPONDED, h(1), h(48)),
        ClockEvent(Mark.COMMITTED, h(1), h(48)),
    ]
    assert [e.mark for e in clock_events(K.WAITING_RESIDENT, h(1))] == [
        Mark.RESPONDED,
        Mark.PAUSED,
    ]
    assert [e.mark for e in clock_events(K.REJECTED, h(1))] == [Mark.RESPONDED, Mark.ENDED]
    for kind in (K.CREATED, K.ASSIGNED, K.RESIDENT_MESSAGE, K.RATED, K.REMINDED, K.ESCALATED):
        assert clock_events(kind, h(1)) == []
        assert kind not in CLOCK_MARKS


# --- default deadlines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "first", "resolution"),
    [(E, m(15), h(4)), (M, h(4), h(24)), (G, h(4), h(4)), (D, h(4), None)],
)
def test_default_deadlines(urgency, first, resolution):
    clock = clock_at(urgency, m(1))
    assert clock.first_response_due == first
    assert clock.resolution_due == resolution
    assert clock.cycle_started_at == T0
    assert clock.first_deadline is (Deadline.CONTACT if urgency is D else Deadline.FIRST_RESPONSE)
    assert clock.first_response_met is None
    assert clock.resolution_met is None
    assert clock.paused_for == timedelta(0)
    assert clock.is_running
    assert clock.chased() == (clock.first_deadline, first)


def test_deadlines_do_not_depend_on_the_time_zone_of_the_input():
    opened = T0.astimezone(SH)
    clock = compute_clock(POLICY, M, opened, history((K.ACKNOWLEDGED, h(1).astimezone(SH))), h(2))
    assert clock.first_response_due == h(4)
    assert clock.resolution_due == h(24)
    assert clock.first_response_met is True


# --- first response -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "responded", "now", "met"),
    [
        (M, h(3), h(5), True),
        (M, h(4), h(5), True),  # on the deadline counts as met
        (M, h(4) + timedelta(seconds=1), h(5), False),
        (E, m(10), m(11), True),
        (E, m(20), h(1), False),
        (G, h(5), h(5), False),
    ],
)
def test_first_response_met_or_missed(urgency, responded, now, met):
    clock = clock_at(urgency, now, (K.ACKNOWLEDGED, responded))
    assert clock.first_responded_at == responded
    assert clock.first_response_met is met
    assert clock.chased()[0] is Deadline.RESOLUTION


@pytest.mark.parametrize(
    ("now", "met"),
    [(h(1), None), (h(4), None), (h(4) + timedelta(seconds=1), False), (h(30), False)],
)
def test_first_response_pending_then_missed(now, met):
    clock = clock_at(M, now)
    assert clock.first_responded_at is None
    assert clock.first_response_met is met


@pytest.mark.parametrize(
    "kind", [K.ACKNOWLEDGED, K.STARTED, K.REPLIED, K.WAITING_RESIDENT, K.RESOLVED, K.REJECTED]
)
def test_events_that_count_as_a_first_response(kind):
    assert clock_at(M, h(5), (kind, h(2))).first_responded_at == h(2)


@pytest.mark.parametrize(
    "kind", [K.CREATED, K.ASSIGNED, K.TRANSFERRED, K.RESIDENT_MESSAGE, K.REMINDED, K.ESCALATED]
)
def test_events_that_do_not_count_as_a_first_response(kind):
    clock = clock_at(M, h(5), (kind, h(2)))
    assert clock.first_responded_at is None
    assert clock.first_response_met is False


def test_the_earliest_response_counts():
    clock = clock_at(M, h(9), (K.STARTED, h(6)), (K.ACKNOWLEDGED, h(3)), (K.REPLIED, h(8)))
    assert clock.first_responded_at == h(3)
    assert clock.first_response_met is True


def test_events_after_now_are_ignored():
    clock = clock_at(M, h(2), (K.ACKNOWLEDGED, h(3)), (K.RESOLVED, h(5)))
    assert clock.first_responded_at is None
    assert clock.resolved_at is None
    assert clock.is_running


# --- difficult tickets: contact and commitment ---------------------------------------------------


def test_contact_is_the_first_response_and_commits_the_resolution_deadline():
    committed = h(72)
    clock = clock_at(D, h(3), (K.ACKNOWLEDGED, h(1)), (K.CONTACTED, h(2), committed))
    assert clock.first_deadline is Deadline.CONTACT
    assert clock.first_responded_at == h(2)
    assert clock.first_response_met is True
    assert clock.resolution_due == committed
    assert clock.chased() == (Deadline.RESOLUTION, committed)


def test_acknowledging_alone_does_not_satisfy_the_contact_deadline():
    clock = clock_at(D, h(5), (K.ACKNOWLEDGED, h(1)), (K.STARTED, h(2)), (K.REPLIED, h(3)))
    assert clock.first_responded_at is None
    assert clock.first_response_met is False
    assert clock.resolution_due is None
    assert clock.chased() == (Deadline.CONTACT, h(4))
    reminder = next_reminder(NO_QUIET, D, clock)
    assert reminder == Reminder(at=h(6), deadline=Deadline.CONTACT, due=h(4), overdue=True)


def test_late_contact_misses_the_contact_deadline_but_still_commits():
    clock = clock_at(D, h(6), (K.CONTACTED, h(5), h(48)))
    assert clock.first_response_met is False
    assert clock.resolution_due == h(48)


@pytest.mark.parametrize(("resolved", "met"), [(h(40), True), (h(48), True), (h(49), False)])
def test_committed_deadline_is_judged(resolved, met):
    clock = clock_at(D, h(50), (K.CONTACTED, h(2), h(48)), (K.RESOLVED, resolved))
    assert clock.resolution_met is met


def test_committed_deadline_missed_while_unresolved():
    assert clock_at(D, h(47), (K.CONTACTED, h(2), h(48))).resolution_met is None
    assert clock_at(D, h(49), (K.CONTACTED, h(2), h(48))).resolution_met is False


def test_resolving_a_difficult_ticket_counts_as_its_contact():
    clock = clock_at(D, h(3), (K.RESOLVED, h(2)))
    assert clock.first_responded_at == h(2)
    assert clock.first_response_met is True
    assert next_reminder(NO_QUIET, D, clock) is None


def test_a_contact_without_a_deadline_leaves_nothing_to_chase():
    clock = clock_at(D, h(3), (K.CONTACTED, h(2)))
    assert clock.first_responded_at == h(2)
    assert clock.resolution_due is None
    assert next_reminder(NO_QUIET, D, clock) is None


def test_waiting_for_the_resident_pauses_the_contact_clock():
    clock = clock_at(D, h(6), (K.WAITING_RESIDENT, h(1)), (K.RESIDENT_REPLIED, h(3)))
    assert clock.first_responded_at is None
    assert clock.first_response_due == h(6)
    assert clock.first_response_met is None


def test_a_committed_deadline_is_a_date_and_pauses_do_not_move_it():
    clock = clock_at(
        D,
        h(30),
        (K.CONTACTED, h(2), h(48)),
        (K.WAITING_RESIDENT, h(10)),
        (K.RESIDENT_REPLIED, h(20)),
    )
    assert clock.paused_for == timedelta(hours=10)
    assert clock.resolution_due == h(48)


# --- pauses -------------------------------------------------------------------------------------


def test_pause_and_resume_shift_the_resolution_deadline():
    clock = clock_at(
        M, h(6), (K.ACKNOWLEDGED, h(1)), (K.WAITING_RESIDENT, h(2)), (K.RESIDENT_REPLIED, h(5))
    )
    assert clock.resolution_due == h(27)
    assert clock.paused_for == timedelta(hours=3)
    assert clock.paused_since is None
    assert not clock.is_paused
    assert clock.is_running
    assert clock.first_response_due == h(4)  # the response was given when it paused


def test_several_pauses_add_up():
    clock = clock_at(
        M,
        h(13),
        (K.WAITING_RESIDENT, h(2)),
        (K.RESIDENT_REPLIED, h(5)),
        (K.WAITING_RESIDENT, h(10)),
        (K.RESIDENT_REPLIED, h(12)),
    )
    assert clock.resolution_due == h(29)
    assert clock.paused_for == timedelta(hours=5)


def test_a_pause_after_the_deadline_does_not_extend_it():
    clock = clock_at(
        G, h(9), (K.ACKNOWLEDGED, h(1)), (K.WAITING_RESIDENT, h(5)), (K.RESIDENT_REPLIED, h(8))
    )
    assert clock.resolution_due == h(4)
    assert clock.resolution_met is False
    assert clock.paused_for == timedelta(hours=3)


def test_a_pause_extended_by_an_earlier_pause_counts():
    # 4h allowed; paused 1h-3h moves the deadline to 6h, so a pause at 5h still counts
    clock = clock_at(
        G,
        h(10),
        (K.WAITING_RESIDENT, h(1)),
        (K.RESIDENT_REPLIED, h(3)),
        (K.WAITING_RESIDENT, h(5)),
        (K.RESIDENT_REPLIED, h(7)),
    )
    assert clock.resolution_due == h(8)


def test_an_open_pause_projects_the_deadline():
    items = ((K.ACKNOWLEDGED, h(1)), (K.WAITING_RESIDENT, h(2)))
    clock = clock_at(M, h(10), *items)
    assert clock.is_paused
    assert not clock.is_running
    assert clock.paused_since == h(2)
    assert clock.paused_for == timedelta(hours=8)
    assert clock.resolution_due == h(10) + timedelta(hours=22)  # now + the time that was left
    assert clock.resolution_met is None
    assert next_reminder(POLICY, M, clock, SH) is None
    later = clock_at(M, h(30), *items)  # past the original 24h, still paused
    assert later.resolution_due == h(52)
    assert later.resolution_met is None
    assert next_reminder(POLICY, M, later, SH) is None


def test_a_repeated_wait_while_paused_changes_nothing():
    once = clock_at(M, h(10), (K.WAITING_RESIDENT, h(2)))
    twice = clock_at(M, h(10), (K.WAITING_RESIDENT, h(2)), (K.WAITING_RESIDENT, h(6)))
    assert twice.paused_since == once.paused_since == h(2)
    assert twice.resolution_due == once.resolution_due


def test_resolving_ends_the_pause():
    clock = clock_at(M, h(10), (K.WAITING_RESIDENT, h(2)), (K.RESOLVED, h(6)))
    assert not clock.is_paused
    assert clock.paused_for == timedelta(hours=4)
    assert clock.resolution_due == h(28)
    assert clock.resolution_met is True


def test_cancelling_ends_the_pause():
    clock = clock_at(M, h(10), (K.WAITING_RESIDENT, h(2)), (K.CANCELLED, h(3)))
    assert clock.paused_for == timedelta(hours=1)
    assert clock.paused_since is None
    assert clock.ended_at == h(3)


# --- resolution and reopening -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "resolved", "met"),
    [(M, h(23), True), (M, h(24), True), (M, h(25), False), (G, h(4), True), (E, h(5), False)],
)
def test_resolution_met_or_missed(urgency, resolved, met):
    clock = clock_at(urgency, h(30), (K.ACKNOWLEDGED, m(5)), (K.RESOLVED, resolved))
    assert clock.resolved_at == resolved
    assert clock.resolution_met is met
    assert not clock.is_running


def test_reopen_starts_a_new_resolution_cycle():
    items = ((K.ACKNOWLEDGED, h(1)), (K.RESOLVED, h(5)), (K.REOPENED, h(30)))
    clock = clock_at(M, h(31), *items)
    assert clock.cycle_started_at == h(30)
    assert clock.resolution_due == h(54)
    assert clock.resolved_at is None
    assert clock.resolution_met is None
    assert clock.first_responded_at == h(1)
    assert clock.first_response_met is True
    assert clock.is_running
    reminder = next_reminder(NO_QUIET, M, clock)
    assert reminder == Reminder(at=h(42), deadline=Deadline.RESOLUTION, due=h(54), overdue=False)
    resolved_again = clock_at(M, h(60), *items, (K.RESOLVED, h(50)))
    assert resolved_again.resolution_met is True
    assert clock_at(M, h(55), *items).resolution_met is False


def test_reopen_after_close_runs_the_clock_again():
    clock = clock_at(
        G, h(21), (K.RESOLVED, h(2)), (K.CLOSED, h(10)), (K.REOPENED, h(20)), opened=T0
    )
    assert clock.ended_at is None
    assert clock.cycle_started_at == h(20)
    assert clock.resolution_due == h(24)
    assert clock.is_running


def test_pauses_of_the_previous_cycle_do_not_move_the_new_deadline():
    clock = clock_at(
        M,
        h(31),
        (K.WAITING_RESIDENT, h(2)),
        (K.RESIDENT_REPLIED, h(6)),
        (K.RESOLVED, h(8)),
        (K.REOPENED, h(30)),
    )
    assert clock.resolution_due == h(54)
    assert clock.paused_for == timedelta(hours=4)


def test_reopened_difficult_ticket_is_not_born_overdue():
    clock = clock_at(
        D,
        h(121),
        (K.CONTACTED, h(1), h(48)),
        (K.RESOLVED, h(24)),
        (K.REOPENED, h(120)),
    )
    assert clock.cycle_started_at == h(120)
    assert clock.resolution_met is not False
    assert clock.resolution_due is None or clock.resolution_due > clock.cycle_started_at


def test_a_reopened_difficult_ticket_chases_a_new_contact_within_the_contact_time():
    clock = clock_at(
        D,
        h(121),
        (K.CONTACTED, h(1), h(48)),
        (K.RESOLVED, h(24)),
        (K.REOPENED, h(120)),
    )
    assert clock.chased() == (Deadline.CONTACT, h(124))
    reminder = next_reminder(POLICY.model_copy(update={"quiet_hours": None}), D, clock)
    assert reminder is not None
    assert (reminder.at, reminder.deadline, reminder.overdue) == (h(122), Deadline.CONTACT, False)


def test_a_new_contact_after_reopen_commits_a_new_deadline():
    clock = clock_at(
        D,
        h(122),
        (K.CONTACTED, h(1), h(48)),
        (K.RESOLVED, h(24)),
        (K.REOPENED, h(120)),
        (K.CONTACTED, h(121), h(200)),
    )
    assert clock.resolution_due == h(200)
    assert clock.resolution_met is None


# --- ended tickets ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [K.CANCELLED, K.REJECTED])
def test_withdrawn_tickets_have_no_reminder(kind):
    clock = clock_at(M, h(50), (kind, h(1)))
    assert clock.ended_at == h(1)
    assert not clock.is_running
    assert next_reminder(POLICY, M, clock, SH) is None
    assert next_reminder(POLICY, E, clock_at(E, h(50), (kind, m(1))), SH) is None


def test_closed_and_resolved_tickets_have_no_reminder():
    resolved = clock_at(M, h(3), (K.RESOLVED, h(2)))
    closed = clock_at(M, h(50), (K.RESOLVED, h(2)), (K.CLOSED, h(30)))
    assert next_reminder(POLICY, M, resolved, SH) is None
    assert next_reminder(POLICY, M, closed, SH) is None
    assert closed.ended_at == h(30)
    assert closed.resolution_met is True


def test_a_cancelled_ticket_is_judged_as_it_ended():
    clock = clock_at(M, h(50), (K.CANCELLED, h(3)))
    assert clock.first_response_met is None  # withdrawn before the 4h deadline
    assert clock.resolution_met is None
    late = clock_at(M, h(50), (K.CANCELLED, h(5)))
    assert late.first_response_met is False
    assert late.resolution_met is None


def test_rejecting_is_a_response():
    clock = clock_at(M, h(50), (K.REJECTED, h(1)))
    assert clock.first_response_met is True
    assert clock.resolution_met is None


# --- reminders ----------------------------------------------------------------------------------

FIRST_RESPONSE_SLOTS = [
    # now, next reminder (medium ticket, 4h to respond; half, 30 min before, at, then every 2h)
    (m(1), h(2)),
    (h(2) - timedelta(seconds=1), h(2)),
    (h(2), h(3.5)),
    (h(3.5), h(4)),
    (h(3.9), h(4)),
    (h(4), h(6)),
    (h(5), h(6)),
    (h(6), h(8)),
    (h(7.99), h(8)),
]


@pytest.mark.parametrize(("now", "at"), FIRST_RESPONSE_SLOTS)
def test_first_response_reminders(now, at):
    reminder = reminder_at(M, now)
    assert reminder == Reminder(
        at=at, deadline=Deadline.FIRST_RESPONSE, due=h(4), overdue=at > h(4)
    )


@pytest.mark.parametrize(
    ("now", "at"),
    [(h(1.5), h(12.375)), (h(13), h(24.25)), (h(24.5), h(24.75)), (h(25), h(26.75))],
)
def test_resolution_reminders_count_from_the_cycle_start(now, at):
    # responded (and paused) at 0:15, resumed at 1:00: resolution due at 24:45, a 24h45m window
    reminder = reminder_at(
        M, now, (K.WAITING_RESIDENT, m(15)), (K.RESIDENT_REPLIED, h(1)), opened=T0
    )
    assert reminder is not None
    assert reminder.deadline is Deadline.RESOLUTION
    assert reminder.due == h(24.75)
    assert reminder.at == at


def test_reminder_plan_is_configurable():
    plan = ReminderPlan(before=(0.25, 0.75), lead="10m", repeat_every="1h")
    policy = SlaPolicy(reminders=plan, quiet_hours=None)
    expected = [(m(1), h(1)), (h(1), h(3)), (h(3), m(230)), (m(230), h(4))]
    expected += [(h(4), h(5)), (h(5.5), h(6))]
    for now, at in expected:
        assert reminder_at(G, now, policy=policy).at == at


def test_no_half_time_reminder_when_none_is_configured():
    policy = SlaPolicy(reminders=ReminderPlan(before=()), quiet_hours=None)
    assert reminder_at(M, m(1), policy=policy).at == h(3.5)


def test_after_a_long_downtime_only_the_next_slot_counts():
    now = h(4) + timedelta(days=3, minutes=17)  # 36 slots of 2h have passed unseen
    reminder = reminder_at(M, now)
    assert reminder == Reminder(
        at=h(4) + timedelta(days=3, hours=2),
        deadline=Deadline.FIRST_RESPONSE,
        due=h(4),
        overdue=True,
    )


def test_reminders_walk_forward_one_slot_at_a_time():
    """Asking again at each reminder gives the next one: no slot twice, none skipped."""
    seen, now = [], m(1)
    while now < h(12):
        reminder = reminder_at(M, now)
        assert reminder.at > now
        seen.append(reminder.at)
        now = reminder.at
    assert seen == [h(2), h(3.5), h(4), h(6), h(8), h(10), h(12)]


@pytest.mark.parametrize(
    ("now", "at"),
    [
        (T0, m(5)),
        (m(1), m(5)),
        (m(5), m(10)),
        (m(14), m(15)),
        (m(15), m(20)),
        (m(16), m(20)),
        (m(182), m(185)),
    ],
)
def test_unacknowledged_emergency_is_reminded_every_five_minutes(now, at):
    reminder = reminder_at(E, now, policy=POLICY, tz=SH)
    assert reminder == Reminder(
        at=at, deadline=Deadline.FIRST_RESPONSE, due=m(15), overdue=at > m(15)
    )


def test_emergency_cadence_is_configurable():
    policy = SlaPolicy(reminders=ReminderPlan(emergency_every="3m"))
    assert [reminder_at(E, m(n), policy=policy).at for n in (0, 3, 4, 16)] == [
        m(3),
        m(6),
        m(6),
        m(18),
    ]


def test_unacknowledged_emergency_ignores_quiet_hours():
    opened = local(3, 23, 0)
    now = opened + timedelta(minutes=7)
    clock = compute_clock(POLICY, E, opened, [], now)
    reminder = next_reminder(POLICY, E, clock, SH)
    assert reminder is not None
    assert reminder.at == local(3, 23, 10)
    assert in_quiet_hours(reminder.at, POLICY.quiet_hours, SH)


def test_acknowledged_emergency_follows_the_plan_and_still_ignores_quiet_hours():
    opened = local(3, 22, 30)
    ack = opened + timedelta(minutes=10)
    clock = compute_clock(POLICY, E, opened, history((K.ACKNOWLEDGED, ack)), ack)
    reminder = next_reminder(POLICY, E, clock, SH)
    assert reminder == Reminder(
        at=local(4, 0, 30), deadline=Deadline.RESOLUTION, due=local(4, 2, 30), overdue=False
    )


# --- quiet hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [
        (21, 59, False),
        (22, 0, True),
        (23, 30, True),
        (0, 0, True),
        (3, 0, True),
        (6, 59, True),
        (7, 0, False),
        (12, 0, False),
    ],
)
def test_in_quiet_hours_reads_local_time(hour, minute, quiet):
    at = local(5, hour, minute).astimezone(UTC)
    assert in_quiet_hours(at, QuietHours(), SH) is quiet


@pytest.mark.parametrize(
    ("at", "moved_to"),
    [
        (local(5, 23, 30), local(6, 7, 0)),
        (local(5, 22, 0), local(6, 7, 0)),
        (local(6, 3, 15), local(6, 7, 0)),
        (local(6, 6, 59), local(6, 7, 0)),
        (local(6, 7, 0), local(6, 7, 0)),
        (local(6, 12, 34), local(6, 12, 34)),
    ],
)
def test_after_quiet_hours(at, moved_to):
    moved = after_quiet_hours(at.astimezone(UTC), QuietHours(), SH)
    assert moved == moved_to
    assert moved.tzinfo is UTC  # given back in the caller's zone


def test_quiet_hours_that_do_not_wrap_midnight():
    siesta = QuietHours(start="12:00", end="14:00")
    assert in_quiet_hours(local(5, 13, 0), siesta, SH)
    assert not in_quiet_hours(local(5, 14, 0), siesta, SH)
    assert not in_quiet_hours(local(5, 23, 0), siesta, SH)
    assert after_quiet_hours(local(5, 12, 5), siesta, SH) == local(5, 14, 0)


def test_the_end_of_quiet_hours_is_outside_them_even_with_seconds():
    quiet = QuietHours(start="22:00", end="07:00:30")
    moved = after_quiet_hours(local(5, 6, 0), quiet, SH)
    assert not in_quiet_hours(moved, quiet, SH)


def test_a_reminder_in_quiet_hours_moves_to_seven_local():
    opened = local(3, 20, 0)  # medium ticket, response due at midnight local
    clock = compute_clock(POLICY, M, opened, [], opened + timedelta(minutes=1))
    reminder = next_reminder(POLICY, M, clock, SH)
    assert reminder == Reminder(
        at=local(4, 7, 0), deadline=Deadline.FIRST_RESPONSE, due=local(4, 0, 0), overdue=True
    )


def test_a_reminder_in_the_day_is_not_moved():
    opened = local(3, 14, 0)
    clock = compute_clock(POLICY, M, opened, [], opened + timedelta(minutes=1))
    assert next_reminder(POLICY, M, clock, SH).at == local(3, 16, 0)


def test_quiet_hours_are_read_in_the_given_time_zone():
    opened = local(3, 20, 0)  # the half-time reminder is 22:00 Chengdu = 14:00 UTC
    clock = compute_clock(POLICY, M, opened, [], opened + timedelta(minutes=1))
    assert next_reminder(POLICY, M, clock, SH).at == local(4, 7, 0)
    assert next_reminder(POLICY, M, clock, UTC).at == local(3, 22, 0)


def test_no_quiet_hours_when_switched_off():
    opened = local(3, 20, 0)
    clock = compute_clock(NO_QUIET, M, opened, [], opened + timedelta(minutes=1))
    assert next_reminder(NO_QUIET, M, clock, SH).at == local(3, 22, 0)


def test_overdue_reminders_through_the_night():
    opened = local(3, 17, 0)  # general ticket: respond by 21:00 local
    seen, now = [], opened
    while now < local(4, 10, 0):
        clock = compute_clock(POLICY, G, opened, [], now)
        now = next_reminder(POLICY, G, clock, SH).at
        seen.append(now.astimezone(SH).time().isoformat("minutes"))
    assert seen == ["19:00", "20:30", "21:00", "07:00", "09:00", "11:00"]


def test_a_reminder_moved_out_of_quiet_hours_is_not_lost_by_asking_again():
    opened = local(3, 3, 20)  # medium: respond by 07:20; 05:20 and 06:50 are quiet -> 07:00
    early = compute_clock(POLICY, M, opened, [], local(3, 4, 0))
    assert next_reminder(POLICY, M, early, SH).at == local(3, 7, 0)
    again = compute_clock(POLICY, M, opened, [], local(3, 6, 55))
    assert next_reminder(POLICY, M, again, SH).at == local(3, 7, 0)


# --- naive datetimes ----------------------------------------------------------------------------

NAIVE = datetime(2025, 3, 3, 2, 0)


@pytest.mark.parametrize(
    ("opened", "events", "now"),
    [
        pytest.param(
            NAIVE,
            history((K.ACKNOWLEDGED, NAIVE + timedelta(hours=1))),
            NAIVE + timedelta(hours=2),
            id="all-naive",
        ),
        pytest.param(
            T0,
            history((K.ACKNOWLEDGED, NAIVE + timedelta(hours=1))),
            h(2),
            id="naive-event",
        ),
        pytest.param(
            T0,
            [],
            NAIVE + timedelta(hours=2),
            id="naive-now",
        ),
        pytest.param(
            NAIVE,
            [],
            NAIVE + timedelta(hours=2),
            id="naive-opened-no-events",
        ),
    ],
)
def test_naive_datetimes_raise_value_error(opened, events, now):
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_clock(POLICY, M, opened, events, now)
