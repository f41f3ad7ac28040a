"""Ticket states and the legal moves between them, as a table."""

from enum import StrEnum


class Status(StrEnum):
    """Where a ticket stands."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    WAITING_RESIDENT = "waiting_resident"  # the clock is paused until the resident answers
    RESOLVED = "resolved"  # done by the handler, waiting for the resident's verdict
    REOPENED = "reopened"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # withdrawn by the resident
    REJECTED = "rejected"  # not in our remit, or a duplicate, with a reason the resident sees


class Action(StrEnum):
    """What someone does to a ticket that may change its status."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    WAIT_FOR_RESIDENT = "wait_for_resident"
    RESIDENT_REPLIED = "resident_replied"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"
    REJECT = "reject"
    TRANSFER = "transfer"  # to another team: it is new to them and must be taken again


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.WAITING_RESIDENT,
        Status.REOPENED,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED, Status.REJECTED})

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.ACKNOWLEDGE: (frozenset({Status.NEW, Status.REOPENED}), Status.ACKNOWLEDGED),
    Action.START: (
        frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.REOPENED}),
        Status.IN_PROGRESS,
    ),
    Action.WAIT_FOR_RESIDENT: (OPEN_STATUSES - {Status.WAITING_RESIDENT}, Status.WAITING_RESIDENT),
    Action.RESIDENT_REPLIED: (frozenset({Status.WAITING_RESIDENT}), Status.IN_PROGRESS),
    Action.RESOLVE: (OPEN_STATUSES, Status.RESOLVED),
    Action.CLOSE: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.RESOLVED, Status.CLOSED}), Status.REOPENED),
    Action.CANCEL: (OPEN_STATUSES, Status.CANCELLED),
    Action.REJECT: (OPEN_STATUSES, Status.REJECTED),
    Action.TRANSFER: (OPEN_STATUSES, Status.NEW),
}


class IllegalTransition(ValueError):
    """Raised when an action is not allowed from a ticket's current status."""

    def __init__(self, status: Status, action: Action) -> None:
        allowed = sorted(a.value for a in allowed_actions(status))
        super().__init__(
            f"cannot {action.value} a ticket that is {status.value}; "
            f"allowed: {', '.join(allowed) or 'nothing (final)'}"
        )
        self.status = status
        self.action = action


def next_status(status: Status, action: Action) -> Status:
    """The status after `action`, or IllegalTransition if the move is not legal."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalTransition(status, action)
    return target


def allowed_actions(status: Status) -> frozenset[Action]:
    """Every action that is legal from `status` (what a card's buttons may offer)."""
    return frozenset(a for a, (sources, _) in TRANSITIONS.items() if status in sources)


def is_open(status: Status) -> bool:
    """True while the ticket still needs the handler's work (its clock runs or is paused)."""
    return status in OPEN_STATUSES
