"""Invariants of the SLA clock over generated ticket histories (hypothesis).

Realistic histories walk the ticket state machine (tickets.lifecycle) from NEW, one legal action
at a time, each turned into its audit event and then into clock marks with `clock_events`;
handlers' replies and, for difficult tickets, contacts with a committed deadline are mixed in.
Arbitrary histories drop the state machine: any clock-relevant events, in any order.
Policies are generated too (clock lengths, reminder plans, quiet hours or none).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.events import EventKind, Mark
from tickets.labels import Urgency
from tickets.lifecycle import Action, Status, allowed_actions, is_open, next_status
from tickets.policy import QuietHours, ReminderPlan, SlaPolicy, UrgencyClock
from tickets.sla import (
    Clock,
    ClockEvent,
    Reminder,
    clock_events,
    compute_clock,
    in_quiet_hours,
    next_reminder,
)

SH = ZoneInfo("Asia/Shanghai")
K = EventKind
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

ACTION_EVENT = {
    Action.ACKNOWLEDGE: K.ACKNOWLEDGED,
    Action.START: K.STARTED,
    Action.WAIT_FOR_RESIDENT: K.WAITING_RESIDENT,
    Action.RESIDENT_REPLIED: K.RESIDENT_REPLIED,
    Action.RESOLVE: K.RESOLVED,
    Action.CLOSE: K.CLOSED,
    Action.REOPEN: K.REOPENED,
    Action.CANCEL: K.CANCELLED,
    Action.REJECT: K.REJECTED,
    Action.TRANSFER: K.TRANSFERRED,
}
WITHDRAWALS = frozenset({Action.CANCEL, Action.REJECT})
ARBITRARY_KINDS = [
    K.ACKNOWLEDGED,
    K.WAITING_RESIDENT,
    K.RESIDENT_REPLIED,
    K.RESOLVED,
    K.REOPENED,
    K.CANCELLED,
    K.CONTACTED,
    K.RESIDENT_MESSAGE,
]


def minutes(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda n: timedelta(minutes=n))


# gaps between events: mostly seconds to hours, sometimes days
GAPS = st.one_of(
    st.integers(1, 3600).map(lambda s: timedelta(seconds=s)),
    minutes(60, 3 * 24 * 60),
)
LOCAL_TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def policies(draw) -> SlaPolicy:
    clocks = {
        Urgency.EMERGENCY: UrgencyClock(
            first_response=draw(minutes(1, 60)), resolution=draw(minutes(30, 24 * 60))
        ),
        Urgency.DIFFICULT: UrgencyClock(
            first_response=draw(minutes(30, 8 * 60)), resolution="committed"
        ),
        Urgency.MEDIUM: UrgencyClock(
            first_response=draw(minutes(30, 8 * 60)), resolution=draw(minutes(60, 3 * 24 * 60))
        ),
        Urgency.GENERAL: UrgencyClock(
            first_response=draw(minutes(30, 8 * 60)), resolution=draw(minutes(30, 24 * 60))
        ),
    }
    if draw(st.booleans()):
        return SlaPolicy(clocks=clocks)  # default plan and quiet hours
    fractions = draw(st.lists(st.floats(0.05, 0.95), max_size=3))
    plan = ReminderPlan(
        before=tuple(fractions),
        lead=draw(minutes(1, 180)),
        repeat_every=draw(minutes(10, 6 * 60)),
        emergency_every=draw(minutes(1, 30)),
    )
    quiet = draw(st.one_of(st.none(), st.builds(QuietHours, start=LOCAL_TIMES, end=LOCAL_TIMES)))
    return SlaPolicy(clocks=clocks, reminders=plan, quiet_hours=quiet)


@dataclass(frozen=True)
class Scenario:
    policy: SlaPolicy
    urgency: Urgency
    opened_at: datetime
    events: list[ClockEvent]
    now: datetime
    tz: tzinfo

    @property
    def last_event_at(self) -> datetime:
        return max((e.at for e in self.events), default=self.opened_at)

    def clock(self, now: datetime | None = None, events: list[ClockEvent] | None = None) -> Clock:
        return compute_clock(
            self.policy,
            self.urgency,
            self.opened_at,
            self.events if events is None else events,
            self.now if now is None else now,
        )

    def reminder(self, clock: Clock, policy: SlaPolicy | None = None) -> Reminder | None:
        return next_reminder(policy or self.policy, self.urgency, clock, self.tz)


def _realistic_kinds(draw, urgency: Urgency, steps: int) -> list[EventKind]:
    status, kinds = Status.NEW, []
    for _ in range(steps):
        options: list[Action | EventKind] = sorted(allowed_actions(status) - WITHDRAWALS)
        if not options or draw(st.integers(0, 15)) == 0:  # withdrawn now and then, not often
            options = sorted(allowed_actions(status))
        if is_open(status):
            options.append(K.REPLIED)
            if urgency is Urgency.DIFFICULT:
                options += [K.CONTACTED, K.CONTACTED]  # likelier than a reply
        if not options:
            break
        choice = draw(st.sampled_from(options))
        if isinstance(choice, Action):
            status = next_status(status, choice)
            kinds.append(ACTION_EVENT[choice])
        else:
            kinds.append(choice)
    return kinds


@st.composite
def scenarios(draw, realistic: bool = True, now_after_events: bool = False) -> Scenario:
    policy = draw(policies())
    urgency = draw(st.sampled_from(list(Urgency)))
    opened_at = draw(
        st.datetimes(
            min_value=datetime(2024, 1, 1),
            max_value=datetime(2026, 12, 31),
            timezones=st.just(UTC),
        )
    )
    steps = draw(st.integers(0, 10))
    if realistic:
        kinds = _realistic_kinds(draw, urgency, steps)
    else:
        kinds = draw(st.lists(st.sampled_from(ARBITRARY_KINDS), max_size=steps))
    events, at = [], opened_at
    for kind in kinds:
        at += draw(GAPS)
        committed = at + draw(minutes(60, 10 * 24 * 60)) if kind is K.CONTACTED else None
        events += clock_events(kind, at, committed)
    last = max((e.at for e in events), default=opened_at)
    if now_after_events:
        now = last + draw(st.one_of(st.just(timedelta(0)), GAPS))
    else:
        now = opened_at + draw(st.timedeltas(timedelta(0), last - opened_at + timedelta(days=5)))
    tz = draw(st.sampled_from([SH, UTC]))
    return Scenario(policy, urgency, opened_at, events, now, tz)


ANY_SCENARIO = st.one_of(scenarios(), scenarios(realistic=False))


def replace_quiet(policy: SlaPolicy, quiet: QuietHours | None) -> SlaPolicy:
    return policy.model_copy(update={"quiet_hours": quiet})


# --- deadlines and pauses -----------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_deadlines_are_never_earlier_than_the_time_allowed(s: Scenario):
    clock = s.clock()
    rules = s.policy.clock(s.urgency)
    assert clock.first_response_due >= s.opened_at + rules.first_response
    assert s.opened_at <= clock.cycle_started_at <= s.now
    if rules.needs_commitment:
        seen = sorted((e for e in s.events if e.at <= s.now), key=lambda e: e.at)
        committed = None  # the last commitment of the current cycle: a reopen clears it
        for event in seen:
            if event.mark is Mark.COMMITTED and event.deadline is not None:
                committed = event.deadline
            elif event.mark is Mark.REOPENED:
                committed = None
        assert clock.resolution_due == committed
    else:
        assert clock.resolution_due is not None
        assert clock.resolution_due >= clock.cycle_started_at + rules.resolution


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_pausing_never_makes_a_deadline_earlier(s: Scenario):
    clock = s.clock()
    unpaused = s.clock(events=[e for e in s.events if e.mark not in (Mark.PAUSED, Mark.RESUMED)])
    assert clock.first_response_due >= unpaused.first_response_due
    if clock.resolution_due is not None:
        assert clock.resolution_due >= unpaused.resolution_due
    assert unpaused.paused_for == timedelta(0)


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_paused_time_is_within_the_life_of_the_ticket(s: Scenario):
    clock = s.clock()
    assert timedelta(0) <= clock.paused_for <= s.now - s.opened_at
    if clock.is_paused:
        assert s.opened_at <= clock.paused_since <= s.now
        assert clock.paused_for >= s.now - clock.paused_since
        assert not clock.is_running


@PROPERTY_SETTINGS
@given(scenarios())
def test_an_open_pause_is_the_last_wait_without_a_reply(s: Scenario):
    clock = s.clock()
    marks = [e for e in s.events if e.at <= s.now and e.mark is not Mark.RESPONDED]
    stoppers = (Mark.PAUSED, Mark.RESUMED, Mark.RESOLVED, Mark.ENDED)
    last = next((e for e in reversed(marks) if e.mark in stoppers), None)
    assert clock.is_paused == (last is not None and last.mark is Mark.PAUSED)


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_recorded_moments_are_not_in_the_future(s: Scenario):
    clock = s.clock()
    for moment in (clock.first_responded_at, clock.resolved_at, clock.ended_at):
        assert moment is None or s.opened_at <= moment <= s.now


# --- met / missed -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_met_means_done_by_the_deadline(s: Scenario):
    clock = s.clock()
    if clock.first_responded_at is not None:
        assert clock.first_response_met is (clock.first_responded_at <= clock.first_response_due)
    elif clock.first_response_met is not None:
        assert clock.first_response_met is False
    if clock.resolved_at is not None and clock.resolution_due is not None:
        assert clock.resolution_met is (clock.resolved_at <= clock.resolution_due)
    if clock.resolution_due is None:
        assert clock.resolution_met is None


@PROPERTY_SETTINGS
@given(scenarios(now_after_events=True), GAPS)
def test_a_decided_deadline_stays_decided_as_time_passes(s: Scenario, later: timedelta):
    before, after = s.clock(), s.clock(now=s.now + later)
    if before.first_response_met is not None:
        assert after.first_response_met is before.first_response_met
    if before.resolution_met is not None:
        assert after.resolution_met is before.resolution_met
    # in particular, met=True never turns into False


@PROPERTY_SETTINGS
@given(scenarios(now_after_events=True), GAPS)
def test_a_pending_deadline_is_missed_once_its_time_is_past(s: Scenario, later: timedelta):
    clock = s.clock(now=s.now + later)
    if (
        clock.is_running
        and clock.first_responded_at is None
        and clock.now > clock.first_response_due
    ):
        assert clock.first_response_met is False


# --- reminders ----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_the_next_reminder_is_strictly_after_now(s: Scenario):
    reminder = s.reminder(s.clock())
    assert reminder is None or reminder.at > s.now


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_no_reminder_unless_a_deadline_is_chased(s: Scenario):
    clock = s.clock()
    reminder = s.reminder(clock)
    if clock.is_paused or clock.resolved_at is not None or clock.ended_at is not None:
        assert reminder is None
    else:
        deadline, due = clock.chased()
        assert (reminder is None) == (due is None)
        if reminder is not None:
            assert (reminder.deadline, reminder.due) == (deadline, due)
            assert reminder.overdue is (reminder.at > due)


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_non_emergency_reminders_avoid_quiet_hours(s: Scenario):
    reminder = s.reminder(s.clock())
    if reminder is not None and s.policy.quiet_hours is not None:
        quiet = in_quiet_hours(reminder.at, s.policy.quiet_hours, s.tz)
        assert not quiet or s.urgency is Urgency.EMERGENCY


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_unacknowledged_emergencies_are_reminded_on_their_cadence(s: Scenario):
    clock = s.clock()
    if s.urgency is not Urgency.EMERGENCY or clock.first_responded_at is not None:
        return
    reminder = s.reminder(clock)
    if reminder is None:
        assert not clock.is_running
        return
    every = s.policy.reminders.emergency_every
    assert s.now < reminder.at <= s.now + every
    assert (reminder.at - clock.cycle_started_at) % every == timedelta(0)


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_a_late_ticket_is_reminded_within_one_repeat(s: Scenario):
    """After downtime or not: the reminder is the next slot, neither a past one nor far away."""
    policy = replace_quiet(s.policy, None)
    clock = s.clock()
    reminder = s.reminder(clock, policy)
    if reminder is None or (clock.first_responded_at is None and s.urgency is Urgency.EMERGENCY):
        return
    if reminder.due <= s.now:
        assert reminder.at <= s.now + policy.reminders.repeat_every
        assert (reminder.at - reminder.due) % policy.reminders.repeat_every == timedelta(0)
    else:
        assert reminder.at <= reminder.due


@PROPERTY_SETTINGS
@given(scenarios(now_after_events=True), st.floats(0, 1, exclude_max=True))
def test_a_reminder_stays_the_same_until_it_is_due(s: Scenario, fraction: float):
    """Asking again before the reminder fires (without quiet hours) gives the same reminder."""
    policy = replace_quiet(s.policy, None)
    reminder = s.reminder(s.clock(), policy)
    if reminder is None:
        return
    later = s.now + (reminder.at - s.now) * fraction
    if later >= reminder.at:  # rounding to the microsecond
        return
    assert s.reminder(s.clock(now=later), policy) == reminder


# --- what the clock does not depend on ----------------------------------------------------------


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_events_after_now_are_ignored(s: Scenario):
    seen = [e for e in s.events if e.at <= s.now]
    assert s.clock() == s.clock(events=seen)


@PROPERTY_SETTINGS
@given(ANY_SCENARIO, st.data())
def test_the_order_events_are_given_in_does_not_matter(s: Scenario, data):
    shuffled = data.draw(st.permutations(s.events))
    clock = s.clock(events=list(shuffled))
    assert clock == s.clock()
    assert s.reminder(clock) == s.reminder(s.clock())


@PROPERTY_SETTINGS
@given(ANY_SCENARIO)
def test_the_time_zone_of_the_input_does_not_matter(s: Scenario):
    def local(at: datetime | None) -> datetime | None:
        return None if at is None else at.astimezone(SH)

    events = [ClockEvent(e.mark, local(e.at), local(e.deadline)) for e in s.events]
    local_clock = compute_clock(s.policy, s.urgency, local(s.opened_at), events, local(s.now))
    assert local_clock == s.clock()
    assert s.reminder(local_clock) == s.reminder(s.clock())


def test_generated_histories_are_ordered():
    """The generator itself: events come after the opening, in order."""

    @settings(max_examples=50, deadline=None)
    @given(scenarios())
    def check(s: Scenario):
        assert all(e.at >= s.opened_at for e in s.events)
        assert [e.at for e in s.events] == sorted(e.at for e in s.events)

    check()
