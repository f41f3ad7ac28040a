"""Which rung of the escalation ladder a late ticket has reached, and when it reaches the next."""

from datetime import datetime

from tickets.policy import EscalationLadder


def rung_times(ladder: EscalationLadder, missed_at: datetime) -> list[datetime]:
    """When each rung is reached, counting every `after` from the rung before it."""
    times, at = [], missed_at
    for step in ladder:
        at = at + step.after
        times.append(at)
    return times


def escalation_level(ladder: EscalationLadder, missed_at: datetime, now: datetime) -> int:
    """Index of the highest rung reached by `now` for a deadline missed then; -1 if none."""
    return sum(1 for at in rung_times(ladder, missed_at) if at <= now) - 1


def next_escalation_at(
    ladder: EscalationLadder, missed_at: datetime, level: int
) -> datetime | None:
    """When the rung after `level` is reached, or None at the top of the ladder."""
    times = rung_times(ladder, missed_at)
    return times[level + 1] if level + 1 < len(times) else None
