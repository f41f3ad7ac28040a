"""The key rates (docs/metrics.md), on a hand-computed week of one compound.

Every ticket below is a short history of audit events at explicit local times (Asia/Shanghai),
turned into facts by the real clock (`compute_clock` at NOW) and the default policy: first
response 15 minutes for an emergency, else 4 hours; resolution 4 hours (emergency, general),
24 hours (medium), or the committed date (difficult). The week is Monday 3 March 2025 00:00 to
Monday 10 March 00:00; NOW is Monday 10 March 08:30, when the daily digest goes out.
The expected numbers were worked out by hand, ticket by ticket, in the comments.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.events import EventKind, Mark
from tickets.labels import Urgency
from tickets.lifecycle import Status
from tickets.metrics import (
    Period,
    Rate,
    Rates,
    TicketFacts,
    Transfer,
    earlier_cycles_on_time,
    rates,
    resolution_of,
)
from tickets.policy import SlaPolicy
from tickets.sla import ClockEvent, clock_events, compute_clock

SH = ZoneInfo("Asia/Shanghai")
POLICY = SlaPolicy()
K = EventKind
E, D, M, G = Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.MEDIUM, Urgency.GENERAL
P, C = "jh-property", "grid-workers"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A local time in Chengdu, 2025."""
    return datetime(2025, month, day, hour, minute, tzinfo=SH)


NOW = at(10, 8, 30)
WEEK = Period(at(3, 0), at(10, 0))
RATE_NAMES = ("response", "completion", "on_time", "satisfaction", "rated")


def events_of(items: tuple) -> list[ClockEvent]:
    return [event for item in items for event in clock_events(*item)]


def build(
    number: int,
    team: str,
    urgency: Urgency,
    created: datetime,
    *items: tuple,
    status: Status,
    verdict: str | None = None,
    transfers: tuple[Transfer, ...] = (),
    now: datetime = NOW,
) -> TicketFacts:
    """A ticket's facts from its history, as the clock sees it at `now`."""
    events = events_of(items)
    closings = [at_ for kind, at_, *_ in items if kind is K.CLOSED]
    return TicketFacts.from_clock(
        compute_clock(POLICY, urgency, created, events, now),
        id=number,
        team=team,
        urgency=urgency,
        status=status,
        created_at=created,
        closed_at=closings[-1] if status is Status.CLOSED else None,
        satisfaction=verdict,
        reopened=sum(1 for e in events if e.mark is Mark.REOPENED),
        earlier_cycles_on_time=earlier_cycles_on_time(POLICY, urgency, created, events),
        transfers=transfers,
    )


S = Status
TICKETS = [
    # 1: medium; taken 09:30 (due 13:00), resolved Tue 08:00 (due Tue 09:00), 满意.
    build(1, P, M, at(3, 9), (K.ACKNOWLEDGED, at(3, 9, 30)), (K.RESOLVED, at(4, 8)),
          (K.CLOSED, at(4, 10)), status=S.CLOSED, verdict="satisfied"),
    # 2: general; taken 15:00 (due 14:00: missed), resolved 16:00 (due 14:00: missed), closed
    # unrated after the three-day wait.
    build(2, P, G, at(3, 10), (K.ACKNOWLEDGED, at(3, 15)), (K.RESOLVED, at(3, 16)),
          (K.CLOSED, at(6, 16)), status=S.CLOSED),
    # 3: emergency at 20:00; taken 20:10 (due 20:15), resolved 23:00 (due 00:00), 基本满意.
    build(3, P, E, at(4, 20), (K.ACKNOWLEDGED, at(4, 20, 10)), (K.RESOLVED, at(4, 23)),
          (K.CLOSED, at(5, 9)), status=S.CLOSED, verdict="mostly"),
    # 4: medium, paused 24 h waiting for the resident: resolution due Thu 09:00 + 24 h = Fri
    # 09:00; resolved Fri 08:00, on time thanks to the pause.
    build(4, P, M, at(5, 9), (K.ACKNOWLEDGED, at(5, 9, 20)), (K.WAITING_RESIDENT, at(5, 10)),
          (K.RESIDENT_REPLIED, at(6, 10)), (K.RESOLVED, at(7, 8)), (K.CLOSED, at(7, 12)),
          status=S.CLOSED, verdict="satisfied"),
    # 5: difficult; contacted 12:00 (contact due 13:00) committing to Sun 18:00; resolved Sun
    # 17:00; the resident has not answered yet.
    build(5, P, D, at(6, 9), (K.CONTACTED, at(6, 12), at(9, 18)), (K.RESOLVED, at(9, 17)),
          status=S.RESOLVED),
    # 6: medium; resolved 18:00 (due Tue 14:00), 不满意 at 20:00 reopens it (new cycle due Tue
    # 20:00); resolved again Tue 19:00, 满意. Both cycles on time.
    build(6, P, M, at(3, 14), (K.ACKNOWLEDGED, at(3, 14, 30)), (K.RESOLVED, at(3, 18)),
          (K.REOPENED, at(3, 20)), (K.ACKNOWLEDGED, at(3, 20, 30)), (K.RESOLVED, at(4, 19)),
          (K.CLOSED, at(4, 21)), status=S.CLOSED, verdict="satisfied"),
    # 7: general; resolved 15:00 (due 13:00: late), 满意, then reopened from /my on Wed 10:00
    # and resolved 11:00 (new cycle due 14:00). The first cycle was late; no verdict stands.
    build(7, P, G, at(4, 9), (K.ACKNOWLEDGED, at(4, 9, 10)), (K.RESOLVED, at(4, 15)),
          (K.CLOSED, at(4, 16)), (K.REOPENED, at(5, 10)), (K.RESOLVED, at(5, 11)),
          status=S.RESOLVED, verdict="satisfied"),
    # 8: medium; resolved 12:00 (on time), 不满意 on Sun 13:00: the new cycle is due Mon 13:00,
    # after NOW, so undecided.
    build(8, P, M, at(7, 9), (K.ACKNOWLEDGED, at(7, 9, 5)), (K.RESOLVED, at(7, 12)),
          (K.REOPENED, at(9, 13)), (K.ACKNOWLEDGED, at(9, 13, 30)),
          status=S.ACKNOWLEDGED, verdict="unsatisfied"),
    # 9: medium, filed to the property team, unanswered at 14:00 (missed, theirs), transferred
    # to the community at 15:00, taken 15:30, resolved Thu 09:00 (due Thu 10:00, theirs).
    build(9, C, M, at(5, 10), (K.ACKNOWLEDGED, at(5, 15, 30)), (K.RESOLVED, at(6, 9)),
          (K.CLOSED, at(6, 12)), status=S.CLOSED, verdict="mostly",
          transfers=(Transfer(at(5, 15), P, C),)),
    # 10: emergency filed to the community, taken 08:05 (due 08:15, theirs), transferred to the
    # property team 08:20, resolved 11:00 (due 12:00, theirs), 满意.
    build(10, P, E, at(8, 8), (K.ACKNOWLEDGED, at(8, 8, 5)), (K.ACKNOWLEDGED, at(8, 8, 30)),
          (K.RESOLVED, at(8, 11)), (K.CLOSED, at(8, 12)), status=S.CLOSED, verdict="satisfied",
          transfers=(Transfer(at(8, 8, 20), C, P),)),
    # 11: general, withdrawn at 10:30 before anything was due: nothing was decided.
    build(11, P, G, at(8, 10), (K.CANCELLED, at(8, 10, 30)), status=S.CANCELLED),
    # 12: general, unanswered at 18:00 (missed), withdrawn at 19:00.
    build(12, P, G, at(8, 14), (K.CANCELLED, at(8, 19)), status=S.CANCELLED),
    # 13: general, rejected as a duplicate at 09:30: the rejection answered (due 13:00).
    build(13, P, G, at(9, 9), (K.REJECTED, at(9, 9, 30)), status=S.REJECTED),
    # 14: medium, untouched: response due Sun 11:00 and resolution due Mon 07:00 both missed.
    build(14, P, M, at(9, 7), status=S.NEW),
    # 15: medium, taken 21:10: resolution due Mon 21:00, undecided.
    build(15, P, M, at(9, 21), (K.ACKNOWLEDGED, at(9, 21, 10)), status=S.ACKNOWLEDGED),
    # 16: reported the Friday before the week, closed in it (Mon 10:00).
    build(16, P, M, at(28, 10, month=2), (K.ACKNOWLEDGED, at(28, 10, 10, month=2)),
          (K.RESOLVED, at(28, 12, month=2)), (K.CLOSED, at(3, 10)),
          status=S.CLOSED, verdict="satisfied"),
    # 17: reported this morning, after the week: response due 11:00, undecided.
    build(17, P, G, at(10, 7), status=S.NEW),
]  # fmt: skip
BY_ID = {t.id: t for t in TICKETS}

# id: (first response met, latest resolution met, earlier cycles on time), by hand
VERDICTS = {
    1: (True, True, True),
    2: (False, False, True),
    3: (True, True, True),
    4: (True, True, True),
    5: (True, True, True),
    6: (True, True, True),
    7: (True, True, False),
    8: (True, None, True),
    9: (False, True, True),
    10: (True, True, True),
    11: (None, None, True),
    12: (False, False, True),  # cancelled: judged as of 19:00, both deadlines (18:00) missed
    13: (True, None, True),
    14: (False, False, True),
    15: (True, None, True),
    16: (True, True, True),
    17: (None, None, True),
}


def without(*ids: int) -> list[TicketFacts]:
    return [t for t in TICKETS if t.id not in ids]


def numbers(r: Rates) -> dict[str, tuple[int, int]]:
    """Each rate as (numerator, denominator)."""
    return {name: (getattr(r, name).numerator, getattr(r, name).denominator) for name in RATE_NAMES}


PROPERTY_WEEK = rates(TICKETS, P, WEEK, NOW)
COMMUNITY_WEEK = rates(TICKETS, C, WEEK, NOW)


# --- the fixture is what the comments say ---------------------------------------------------


@pytest.mark.parametrize("number", sorted(VERDICTS))
def test_the_clock_judges_each_fixture_as_computed_by_hand(number):
    t = BY_ID[number]
    assert (t.first_response_met, t.resolution_met, t.earlier_cycles_on_time) == VERDICTS[number]


def test_the_paused_ticket_has_its_deadline_moved_by_the_pause():
    assert BY_ID[4].resolution_due == at(7, 9)
    assert BY_ID[4].resolved_at == at(7, 8)
    unpaused = build(
        4, P, M, at(5, 9), (K.ACKNOWLEDGED, at(5, 9, 20)), (K.RESOLVED, at(7, 8)), status=S.RESOLVED
    )
    assert unpaused.resolution_due == at(6, 9) and unpaused.resolution_met is False


# --- one test per rate -------------------------------------------------------------------------


def test_response_rate():
    # decided, and charged to the team holding the ticket when met (or when missed):
    # met 1 3 4 5 6 7 8 13 15; missed 2 9 (missed at 14:00, before its transfer) 12 14;
    # 10 was met by the community; 11 never decided; 16 and 17 are outside the week.
    assert numbers(PROPERTY_WEEK)["response"] == (9, 13)
    assert numbers(COMMUNITY_WEEK)["response"] == (1, 1)  # ticket 10
    assert PROPERTY_WEEK.response.ratio == pytest.approx(9 / 13)


def test_completion_rate():
    # held now, neither cancelled (11, 12) nor rejected (13): 1-8, 10, 14, 15 = 11;
    # closed: 1 2 3 4 6 10 = 6 (5 and 7 await the verdict, 8 14 15 are open).
    assert numbers(PROPERTY_WEEK)["completion"] == (6, 11)
    assert numbers(COMMUNITY_WEEK)["completion"] == (1, 1)  # ticket 9


def test_on_time_resolution_rate():
    # decided: 1 2 3 4 5 6 7 10 14 (8 and 15 undecided; 9 resolved by the community);
    # on time: 1 3 4 5 6 10 (2 and 14 missed; 7's first cycle was late).
    assert numbers(PROPERTY_WEEK)["on_time"] == (6, 9)
    assert numbers(COMMUNITY_WEEK)["on_time"] == (1, 1)


def test_satisfaction_rate():
    # standing verdicts: 1 满意, 3 基本满意, 4 满意, 6 满意, 10 满意, 8 不满意 (reopened by it);
    # 7's old 满意 no longer stands (reopened from /my); 2 was closed unrated.
    assert numbers(PROPERTY_WEEK)["satisfaction"] == (5, 6)
    assert numbers(COMMUNITY_WEEK)["satisfaction"] == (1, 1)


def test_share_rated():
    # judged: closed 1 2 3 4 6 10, plus 8 reopened by 不满意 = 7; with a verdict: all but 2.
    assert numbers(PROPERTY_WEEK)["rated"] == (6, 7)
    assert numbers(COMMUNITY_WEEK)["rated"] == (1, 1)


def test_counts():
    assert (
        PROPERTY_WEEK.received,
        PROPERTY_WEEK.closed,
        PROPERTY_WEEK.awaiting_verdict,
        PROPERTY_WEEK.open,
        PROPERTY_WEEK.overdue,
        PROPERTY_WEEK.cancelled,
        PROPERTY_WEEK.rejected,
        PROPERTY_WEEK.transferred_out,
        PROPERTY_WEEK.closed_in_period,
    ) == (14, 6, 2, 3, 1, 2, 1, 1, 7)
    assert (COMMUNITY_WEEK.received, COMMUNITY_WEEK.transferred_out) == (1, 1)
    assert COMMUNITY_WEEK.closed_in_period == 1


def test_open_now_is_the_cohort_of_all_time():
    since_ever = Period(at(1, 0, month=1), NOW)
    everything = rates(TICKETS, P, since_ever, NOW)
    assert (everything.open, everything.overdue) == (4, 1)  # 8 14 15 17; 14 is overdue


# --- edges ----------------------------------------------------------------------------------


def test_an_empty_period_has_no_ratios():
    empty = rates(TICKETS, P, Period(at(20, 0), at(27, 0)), NOW)
    for rate in (empty.response, empty.completion, empty.on_time, empty.satisfaction, empty.rated):
        assert rate == Rate(0, 0) and rate.ratio is None
    assert (empty.received, empty.open, empty.closed_in_period) == (0, 0, 0)


def test_no_tickets_at_all():
    assert rates([], P, WEEK, NOW).response.ratio is None


def test_a_ticket_withdrawn_before_anything_was_due_changes_no_rate():
    assert numbers(rates(without(11), P, WEEK, NOW)) == numbers(PROPERTY_WEEK)


def test_a_ticket_withdrawn_after_a_missed_response_counts_only_as_that_miss():
    less = numbers(rates(without(12), P, WEEK, NOW))
    assert less == {**numbers(PROPERTY_WEEK), "response": (9, 12)}


def test_a_rejected_ticket_counts_only_as_a_response():
    less = numbers(rates(without(13), P, WEEK, NOW))
    assert less == {**numbers(PROPERTY_WEEK), "response": (8, 12)}


def test_a_transfer_splits_the_ticket_between_the_teams_as_documented():
    moved_late, moved_early = BY_ID[9], BY_ID[10]
    assert (moved_late.response_team, moved_late.resolution_team) == (P, C)
    assert (moved_early.response_team, moved_early.resolution_team) == (C, P)
    # 9 stays on the property team's record as a missed response and a transfer out
    assert numbers(rates(without(9), P, WEEK, NOW))["response"] == (9, 12)
    assert rates(without(9), P, WEEK, NOW).transferred_out == 0


def test_a_response_missed_after_the_transfer_is_the_new_teams():
    late = build(
        20, C, M, at(5, 10), status=S.NEW, transfers=(Transfer(at(5, 11), P, C),)
    )  # due 14:00, unanswered: missed in the community's hands
    assert late.response_team == C
    assert numbers(rates([late], C, WEEK, NOW))["response"] == (0, 1)
    assert numbers(rates([late], P, WEEK, NOW))["response"] == (0, 0)


def test_a_reopened_ticket_is_on_time_only_if_every_cycle_was():
    assert BY_ID[6].reopened == 1 and BY_ID[6].resolution_met and BY_ID[6].earlier_cycles_on_time
    assert BY_ID[7].resolution_met and not BY_ID[7].earlier_cycles_on_time
    assert numbers(rates(without(7), P, WEEK, NOW))["on_time"] == (6, 8)
    assert numbers(rates(without(6), P, WEEK, NOW))["on_time"] == (5, 8)


def test_a_reopened_ticket_is_undecided_while_its_new_cycle_runs():
    assert BY_ID[8].resolution_met is None and BY_ID[8].resolution_team is None
    assert numbers(rates(without(8), P, WEEK, NOW))["on_time"] == (6, 9)


def test_a_paused_ticket_is_judged_by_the_clock():
    # medium, taken 09:10, waiting for the resident since 10:00 Saturday with 23 h left:
    # the clock projects NOW + 23 h, so neither missed nor overdue (without the pause: both).
    history = ((K.ACKNOWLEDGED, at(8, 9, 10)), (K.WAITING_RESIDENT, at(8, 10)))
    paused = build(21, P, M, at(8, 9), *history, status=S.WAITING_RESIDENT)
    assert paused.resolution_due == NOW + timedelta(hours=23)
    assert paused.resolution_met is None and not paused.overdue(NOW)
    more = rates([*TICKETS, paused], P, WEEK, NOW)
    assert more.on_time == PROPERTY_WEEK.on_time
    assert (more.open, more.overdue) == (4, 1)
    assert numbers(more)["response"] == (10, 14)


def test_a_difficult_ticket_resolved_before_committing_is_judged_by_its_contact_deadline():
    quick = compute_clock(POLICY, D, at(3, 9), events_of(((K.RESOLVED, at(3, 12)),)), NOW)
    slow = compute_clock(POLICY, D, at(3, 9), events_of(((K.RESOLVED, at(3, 14)),)), NOW)
    assert resolution_of(quick) == (at(3, 13), True)
    assert resolution_of(slow) == (at(3, 13), False)


def test_a_broken_transfer_chain_is_refused():
    with pytest.raises(ValueError, match="transfers"):
        build(22, P, M, at(3, 9), status=S.NEW, transfers=(Transfer(at(3, 10), P, C),))


# --- periods --------------------------------------------------------------------------------


def test_the_digest_periods():
    assert Period.last_days(7, NOW, SH) == WEEK
    assert Period.month_to_date(NOW, SH) == Period(at(1, 0), at(10, 0))
    first_of_april = datetime(2025, 4, 1, 8, 30, tzinfo=SH)
    assert Period.month_to_date(first_of_april, SH) == Period(at(1, 0), at(1, 0, month=4))


def test_a_period_is_half_open_and_aware():
    assert WEEK.start in WEEK and WEEK.end not in WEEK
    with pytest.raises(ValueError):
        Period(datetime(2025, 3, 3), datetime(2025, 3, 10))
    with pytest.raises(ValueError):
        Period(at(10, 0), at(3, 0))


# --- properties ---------------------------------------------------------------------------------

TEAMS = (P, C)
BASE = at(1, 0)
moments = st.integers(0, 20 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))
maybe = st.one_of(st.none(), moments)


@st.composite
def any_facts(draw: st.DrawFn, number: int = 0) -> TicketFacts:
    """Facts with any values, not necessarily a history the bot could make."""
    created = draw(moments)
    hops = draw(st.integers(0, 2))
    first = draw(st.sampled_from(TEAMS))
    chain = [first if i % 2 == 0 else TEAMS[1 - TEAMS.index(first)] for i in range(hops + 1)]
    times = sorted(created + timedelta(minutes=draw(st.integers(1, 5000))) for _ in range(hops))
    return TicketFacts(
        id=number,
        team=chain[-1],
        urgency=draw(st.sampled_from(list(Urgency))),
        status=draw(st.sampled_from(list(Status))),
        created_at=created,
        first_response_due=draw(moments),
        first_responded_at=draw(maybe),
        first_response_met=draw(st.sampled_from([None, True, False])),
        resolution_due=draw(maybe),
        resolved_at=draw(maybe),
        resolution_met=draw(st.sampled_from([None, True, False])),
        closed_at=draw(maybe),
        satisfaction=draw(st.sampled_from([None, "satisfied", "mostly", "unsatisfied"])),
        reopened=draw(st.integers(0, 2)),
        earlier_cycles_on_time=draw(st.booleans()),
        transfers=tuple(
            Transfer(t, a, b) for t, a, b in zip(times, chain, chain[1:], strict=False)
        ),
    )


many = st.lists(any_facts(), max_size=30)


@settings(max_examples=200, deadline=None)
@given(many, st.sampled_from(TEAMS), moments, moments)
def test_every_rate_is_between_zero_and_one(tickets, team, a, b):
    r = rates(tickets, team, Period(min(a, b), max(a, b)), NOW)
    for name in RATE_NAMES:
        rate = getattr(r, name)
        assert 0 <= rate.numerator <= rate.denominator
        assert (rate.ratio is None) == (rate.denominator == 0)
    assert r.received == r.closed + r.awaiting_verdict + r.open + r.cancelled + r.rejected
    assert r.overdue <= r.open


@settings(max_examples=200, deadline=None)
@given(many, moments, moments, moments)
def test_periods_and_teams_add_up(tickets, a, b, c):
    start, middle, end = sorted((a, b, c))
    whole = Period(start, end)
    for team in TEAMS:
        parts = [rates(tickets, team, p, NOW) for p in (Period(start, middle), Period(middle, end))]
        total = rates(tickets, team, whole, NOW)
        for name in RATE_NAMES:
            assert getattr(total, name).numerator == sum(getattr(p, name).numerator for p in parts)
            assert getattr(total, name).denominator == sum(
                getattr(p, name).denominator for p in parts
            )
    # each decided ticket is charged to exactly one team
    decided = [t for t in tickets if t.created_at in whole and t.first_response_met is not None]
    assert sum(rates(tickets, team, whole, NOW).response.denominator for team in TEAMS) == len(
        decided
    )
