"""Kinds of entries in a ticket's audit log, and what each means to the SLA clock."""

from enum import StrEnum


class EventKind(StrEnum):
    """One row of the append-only audit log of a ticket."""

    CREATED = "created"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    RETRIAGED = "retriaged"
    ACKNOWLEDGED = "acknowledged"
    STARTED = "started"
    REPLIED = "replied"  # a handler wrote to the resident
    CONTACTED = "contacted"  # difficult ticket: visit or call made, measures and deadline committed
    WAITING_RESIDENT = "waiting_resident"
    RESIDENT_REPLIED = "resident_replied"
    RESIDENT_MESSAGE = "resident_message"  # the resident added words or files to the ticket
    PLACE_GIVEN = "place_given"  # the resident said where, after reporting from a group
    FOLLOWED = "followed"  # another resident reported the same problem and follows this ticket
    RESOLVED = "resolved"
    RATED = "rated"
    CLOSED = "closed"
    REOPENED = "reopened"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    REMINDED = "reminded"
    ESCALATED = "escalated"


class Mark(StrEnum):
    """What an event means to the SLA clock."""

    RESPONDED = "responded"
    COMMITTED = "committed"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    ENDED = "ended"


# Rules as data: which clock marks each kind of event sets (in this order).
CLOCK_MARKS: dict[EventKind, tuple[Mark, ...]] = {
    EventKind.ACKNOWLEDGED: (Mark.RESPONDED,),
    EventKind.STARTED: (Mark.RESPONDED,),
    EventKind.REPLIED: (Mark.RESPONDED,),
    EventKind.CONTACTED: (Mark.RESPONDED, Mark.COMMITTED),
    EventKind.WAITING_RESIDENT: (Mark.RESPONDED, Mark.PAUSED),
    EventKind.RESIDENT_REPLIED: (Mark.RESUMED,),
    EventKind.RESOLVED: (Mark.RESPONDED, Mark.RESOLVED),
    EventKind.REOPENED: (Mark.REOPENED,),
    EventKind.CLOSED: (Mark.ENDED,),
    EventKind.CANCELLED: (Mark.ENDED,),
    EventKind.REJECTED: (Mark.RESPONDED, Mark.ENDED),
}
