"""Escalation ladders: which rung a missed deadline has reached, and when the next one comes.

Each rung's `after` counts from the rung before it (community.example.yaml: "how long after the
step before"), so the default property ladder is reached at +0, +2h, +26h and +74h.
"""

from datetime import UTC, datetime, timedelta

import pytest

from tickets.escalation import escalation_level, next_escalation_at, rung_times
from tickets.labels import Route
from tickets.policy import DEFAULT_LADDERS, EscalationStep, EscalationTarget

MISSED = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)
SECOND = timedelta(seconds=1)
PROPERTY = DEFAULT_LADDERS[Route.PROPERTY]
COMMUNITY = DEFAULT_LADDERS[Route.COMMUNITY]


def test_default_ladders_name_the_expected_people():
    assert [s.to for s in PROPERTY] == [
        EscalationTarget.HANDLER,
        EscalationTarget.TEAM_LEAD,
        EscalationTarget.COMMUNITY_SUPERVISOR,
        EscalationTarget.STREET_OFFICE,
    ]
    assert [s.to for s in COMMUNITY] == [
        EscalationTarget.HANDLER,
        EscalationTarget.COMMUNITY_SUPERVISOR,
        EscalationTarget.STREET_OFFICE,
    ]
    assert [s.after for s in PROPERTY] == [timedelta(0), 2 * H, 24 * H, 48 * H]
    assert [s.after for s in COMMUNITY] == [timedelta(0), 4 * H, 48 * H]


def test_rung_times_accumulate():
    assert rung_times(PROPERTY, MISSED) == [
        MISSED,
        MISSED + 2 * H,
        MISSED + 26 * H,
        MISSED + 74 * H,
    ]
    assert rung_times(COMMUNITY, MISSED) == [MISSED, MISSED + 4 * H, MISSED + 52 * H]


@pytest.mark.parametrize(
    ("elapsed", "level", "who"),
    [
        (-10 * H, -1, None),
        (-SECOND, -1, None),
        (timedelta(0), 0, EscalationTarget.HANDLER),
        (2 * H - SECOND, 0, EscalationTarget.HANDLER),
        (2 * H, 1, EscalationTarget.TEAM_LEAD),
        (26 * H - SECOND, 1, EscalationTarget.TEAM_LEAD),
        (26 * H, 2, EscalationTarget.COMMUNITY_SUPERVISOR),
        (74 * H - SECOND, 2, EscalationTarget.COMMUNITY_SUPERVISOR),
        (74 * H, 3, EscalationTarget.STREET_OFFICE),
        (1000 * H, 3, EscalationTarget.STREET_OFFICE),
    ],
)
def test_property_ladder_levels(elapsed, level, who):
    assert escalation_level(PROPERTY, MISSED, MISSED + elapsed) == level
    if who is not None:
        assert PROPERTY[level].to is who


@pytest.mark.parametrize(
    ("elapsed", "level"),
    [
        (-SECOND, -1),
        (timedelta(0), 0),
        (2 * H, 0),  # the community ladder has no team lead at +2h
        (4 * H, 1),
        (52 * H - SECOND, 1),
        (52 * H, 2),
    ],
)
def test_community_ladder_levels(elapsed, level):
    assert escalation_level(COMMUNITY, MISSED, MISSED + elapsed) == level


@pytest.mark.parametrize(
    ("level", "next_at"),
    [(-1, MISSED), (0, MISSED + 2 * H), (1, MISSED + 26 * H), (2, MISSED + 74 * H), (3, None)],
)
def test_next_escalation_at_on_the_property_ladder(level, next_at):
    assert next_escalation_at(PROPERTY, MISSED, level) == next_at


def test_top_of_the_community_ladder_has_no_next_rung():
    assert next_escalation_at(COMMUNITY, MISSED, 1) == MISSED + 52 * H
    assert next_escalation_at(COMMUNITY, MISSED, 2) is None


@pytest.mark.parametrize("ladder", [PROPERTY, COMMUNITY], ids=["property", "community"])
def test_level_and_next_rung_agree(ladder):
    """Just before the next rung the level is unchanged; at it, the level goes up by one."""
    level = -1
    while (at := next_escalation_at(ladder, MISSED, level)) is not None:
        assert escalation_level(ladder, MISSED, at - SECOND) == level
        assert escalation_level(ladder, MISSED, at) == level + 1
        level += 1
    assert level == len(ladder) - 1


def test_a_ladder_whose_first_rung_waits():
    ladder = (
        EscalationStep(to=EscalationTarget.HANDLER, after="30m"),
        EscalationStep(to=EscalationTarget.STREET_OFFICE, after="1h"),
    )
    half_hour = timedelta(minutes=30)
    assert escalation_level(ladder, MISSED, MISSED) == -1
    assert next_escalation_at(ladder, MISSED, -1) == MISSED + half_hour
    assert escalation_level(ladder, MISSED, MISSED + half_hour) == 0
    assert escalation_level(ladder, MISSED, MISSED + half_hour + H) == 1


def test_an_empty_ladder_never_escalates():
    assert escalation_level((), MISSED, MISSED + 100 * H) == -1
    assert next_escalation_at((), MISSED, -1) is None
