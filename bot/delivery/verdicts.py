"""What a failed send means for its outbox row: try again after a while, or give up and why."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from handlers.chat import DeliveryError, RetryLater
from storage.db import first_line

Backoff = Callable[[int], float]  # failed attempts so far -> seconds to wait


@dataclass(frozen=True)
class Retry:
    """Try again in `after` seconds; `reason` goes into last_error."""

    after: float
    reason: str


@dataclass(frozen=True)
class GiveUp:
    """Never try again; `reason` goes into last_error."""

    reason: str


def exponential_backoff(attempts: int) -> float:
    """2 s, 4 s, 8 s ... after the 1st, 2nd, 3rd failure; never more than 10 minutes."""
    return min(2.0 ** min(max(attempts, 1), 20), 600.0)


def describe(error: BaseException) -> str:
    """The error's kind and the first line of its message, for last_error."""
    return f"{type(error).__name__}: {first_line(error)}"


def judge(
    error: BaseException,
    attempts: int,
    age: timedelta,
    max_age: timedelta,
    backoff: Backoff = exponential_backoff,
) -> Retry | GiveUp:
    """The verdict on a send that failed for the `attempts`-th time, `age` after queueing.

    A 429 waits as long as Telegram asks, always; a permanent error (blocked, rejected) is never
    retried; anything else (network, 5xx, a bug) backs off, until the message is `max_age` old.
    """
    reason = describe(error)
    if isinstance(error, RetryLater):
        return Retry(max(error.retry_after, 0.0), reason)
    if isinstance(error, DeliveryError) and error.permanent:
        return GiveUp(reason)
    if age >= max_age:
        return GiveUp(f"gave up {_hours(age)} after queueing, after {attempts} attempts: {reason}")
    return Retry(backoff(attempts), reason)


def _hours(age: timedelta) -> str:
    return f"{age.total_seconds() / 3600:.1f} h"
