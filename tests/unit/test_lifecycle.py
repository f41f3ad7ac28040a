"""The ticket state machine: the table of legal moves, and what happens on an illegal one."""

from functools import reduce

import pytest

from tickets.lifecycle import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    is_open,
    next_status,
)

S, A = Status, Action

# The intended table, written out literally: status -> {action: status it leads to}.
EXPECTED = {
    S.NEW: {
        A.ACKNOWLEDGE: S.ACKNOWLEDGED,
        A.START: S.IN_PROGRESS,
        A.WAIT_FOR_RESIDENT: S.WAITING_RESIDENT,
        A.RESOLVE: S.RESOLVED,
        A.CANCEL: S.CANCELLED,
        A.REJECT: S.REJECTED,
        A.TRANSFER: S.NEW,
    },
    S.ACKNOWLEDGED: {
        A.START: S.IN_PROGRESS,
        A.WAIT_FOR_RESIDENT: S.WAITING_RESIDENT,
        A.RESOLVE: S.RESOLVED,
        A.CANCEL: S.CANCELLED,
        A.REJECT: S.REJECTED,
        A.TRANSFER: S.NEW,
    },
    S.IN_PROGRESS: {
        A.WAIT_FOR_RESIDENT: S.WAITING_RESIDENT,
        A.RESOLVE: S.RESOLVED,
        A.CANCEL: S.CANCELLED,
        A.REJECT: S.REJECTED,
        A.TRANSFER: S.NEW,
    },
    S.WAITING_RESIDENT: {
        A.RESIDENT_REPLIED: S.IN_PROGRESS,
        A.RESOLVE: S.RESOLVED,
        A.CANCEL: S.CANCELLED,
        A.REJECT: S.REJECTED,
        A.TRANSFER: S.NEW,
    },
    S.RESOLVED: {A.CLOSE: S.CLOSED, A.REOPEN: S.REOPENED},
    S.REOPENED: {
        A.ACKNOWLEDGE: S.ACKNOWLEDGED,
        A.START: S.IN_PROGRESS,
        A.WAIT_FOR_RESIDENT: S.WAITING_RESIDENT,
        A.RESOLVE: S.RESOLVED,
        A.CANCEL: S.CANCELLED,
        A.REJECT: S.REJECTED,
        A.TRANSFER: S.NEW,
    },
    S.CLOSED: {A.REOPEN: S.REOPENED},
    S.CANCELLED: {},
    S.REJECTED: {},
}

LEGAL = [
    pytest.param(status, action, target, id=f"{status}-{action}")
    for action, (sources, target) in TRANSITIONS.items()
    for status in sorted(sources)
]
ILLEGAL = [
    pytest.param(status, action, id=f"{status}-{action}")
    for status in Status
    for action in Action
    if action not in EXPECTED[status]
]


def walk(status: Status, *actions: Action) -> Status:
    return reduce(next_status, actions, status)


def test_expected_table_covers_every_status():
    assert set(EXPECTED) == set(Status)


def test_transitions_table_matches_the_intended_table():
    actual = {
        status: {a: target for a, (sources, target) in TRANSITIONS.items() if status in sources}
        for status in Status
    }
    assert actual == EXPECTED


@pytest.mark.parametrize(("status", "action", "target"), LEGAL)
def test_every_legal_transition_works(status, action, target):
    assert next_status(status, action) is target
    assert EXPECTED[status][action] is target


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_illegal_transitions_raise_and_name_status_and_action(status, action):
    with pytest.raises(IllegalTransition) as info:
        next_status(status, action)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.status is status
    assert error.action is action
    message = str(error)
    assert f"cannot {action.value} a ticket that is {status.value}" in message
    for allowed in EXPECTED[status]:
        assert allowed.value in message


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_matches_the_table(status):
    assert allowed_actions(status) == frozenset(EXPECTED[status])
    for action in Action:
        assert (action in allowed_actions(status)) == (status in TRANSITIONS[action][0])


def test_every_action_has_a_row_in_the_table():
    assert set(TRANSITIONS) == set(Action)


@pytest.mark.parametrize("status", [S.CANCELLED, S.REJECTED])
def test_cancelled_and_rejected_allow_nothing(status):
    assert allowed_actions(status) == frozenset()
    for action in Action:
        with pytest.raises(IllegalTransition, match=r"nothing \(final\)"):
            next_status(status, action)


def test_closed_allows_only_reopen():
    assert allowed_actions(S.CLOSED) == {A.REOPEN}
    assert next_status(S.CLOSED, A.REOPEN) is S.REOPENED
    with pytest.raises(IllegalTransition, match=r"allowed: reopen$"):
        next_status(S.CLOSED, A.CANCEL)


def test_final_statuses_are_closed_cancelled_rejected():
    assert frozenset({S.CLOSED, S.CANCELLED, S.REJECTED}) == FINAL_STATUSES
    for status in FINAL_STATUSES:
        assert allowed_actions(status) <= {A.REOPEN}


def test_open_resolved_and_final_partition_the_statuses():
    assert OPEN_STATUSES.isdisjoint(FINAL_STATUSES)
    assert S.RESOLVED not in OPEN_STATUSES | FINAL_STATUSES
    assert OPEN_STATUSES | FINAL_STATUSES | {S.RESOLVED} == set(Status)


@pytest.mark.parametrize("status", list(Status))
def test_is_open(status):
    expected = status in {
        S.NEW,
        S.ACKNOWLEDGED,
        S.IN_PROGRESS,
        S.WAITING_RESIDENT,
        S.REOPENED,
    }
    assert is_open(status) is expected


def test_an_open_ticket_can_always_be_resolved_cancelled_or_rejected():
    for status in OPEN_STATUSES:
        assert {A.RESOLVE, A.CANCEL, A.REJECT} <= allowed_actions(status)


def test_realistic_path_to_closed():
    path = [
        (A.ACKNOWLEDGE, S.ACKNOWLEDGED),
        (A.START, S.IN_PROGRESS),
        (A.WAIT_FOR_RESIDENT, S.WAITING_RESIDENT),
        (A.RESIDENT_REPLIED, S.IN_PROGRESS),
        (A.RESOLVE, S.RESOLVED),
        (A.CLOSE, S.CLOSED),
    ]
    status = S.NEW
    for action, expected in path:
        status = next_status(status, action)
        assert status is expected
    assert not is_open(status)


def test_reopen_from_resolved_and_work_again():
    status = walk(S.NEW, A.START, A.RESOLVE, A.REOPEN)
    assert status is S.REOPENED
    assert is_open(status)
    assert walk(status, A.ACKNOWLEDGE, A.START, A.RESOLVE, A.CLOSE) is S.CLOSED


def test_reopen_after_close():
    assert walk(S.NEW, A.RESOLVE, A.CLOSE, A.REOPEN, A.RESOLVE) is S.RESOLVED


@pytest.mark.parametrize(
    ("actions", "bad_status", "bad_action"),
    [
        ((A.ACKNOWLEDGE, A.ACKNOWLEDGE), S.ACKNOWLEDGED, A.ACKNOWLEDGE),
        ((A.START, A.WAIT_FOR_RESIDENT, A.START), S.WAITING_RESIDENT, A.START),
        ((A.RESOLVE, A.CANCEL), S.RESOLVED, A.CANCEL),
        ((A.CANCEL, A.REOPEN), S.CANCELLED, A.REOPEN),
        ((A.START, A.CLOSE), S.IN_PROGRESS, A.CLOSE),
    ],
)
def test_a_path_stops_at_its_first_illegal_step(actions, bad_status, bad_action):
    with pytest.raises(IllegalTransition) as info:
        walk(S.NEW, *actions)
    assert (info.value.status, info.value.action) == (bad_status, bad_action)
