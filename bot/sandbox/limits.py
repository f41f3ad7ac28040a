"""Telegram's flood limits as sliding windows: pure arithmetic plus a small stateful limiter."""

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SECOND = 1.0
MINUTE = 60.0


@dataclass(frozen=True)
class Limits:
    """How many messages Telegram accepts; None switches one limit off."""

    global_per_second: int | None = 30
    chat_per_second: int | None = 1
    group_per_minute: int | None = 20

    @classmethod
    def off(cls) -> "Limits":
        """No limit at all: for tests that are not about flood control."""
        return cls(global_per_second=None, chat_per_second=None, group_per_minute=None)

    @property
    def enabled(self) -> bool:
        """Whether any limit is on."""
        return any(
            value is not None
            for value in (self.global_per_second, self.chat_per_second, self.group_per_minute)
        )


def wait_time(stamps: Sequence[float], now: float, window: float, limit: int, count: int) -> float:
    """Seconds until `count` more events fit in a window holding `stamps` (0.0: they fit now).

    The window is (now - window, now]. A batch larger than the limit fits once the window is
    empty, or it could never be sent (Telegram sends such an album too).
    """
    live = [stamp for stamp in stamps if stamp > now - window]
    excess = len(live) + count - limit
    if excess <= 0 or not live:
        return 0.0
    oldest_to_expire = sorted(live)[min(excess, len(live)) - 1]
    return oldest_to_expire + window - now


def retry_after(seconds: float) -> int:
    """Whole seconds a client is told to wait: rounded up, at least one."""
    return max(1, math.ceil(seconds - 1e-9))


class RateLimiter:
    """Global, per-chat and per-group windows; a refused request is not counted."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}
        self._groups: dict[int, deque[float]] = {}

    def acquire(self, chat_id: int, count: int = 1) -> int:
        """Count `count` messages to a chat and return 0, or return retry_after without counting."""
        now = self.clock()
        windows = self._windows(chat_id, now)
        wait = max(
            (wait_time(stamps, now, span, limit, count) for stamps, span, limit in windows),
            default=0.0,
        )
        if wait > 0:
            return retry_after(wait)
        for stamps, _, _ in windows:
            stamps.extend([now] * count)
        return 0

    def _windows(self, chat_id: int, now: float) -> list[tuple[deque[float], float, int]]:
        """The windows that apply to a chat, pruned of expired stamps."""
        found = []
        if self.limits.global_per_second is not None:
            found.append((self._global, SECOND, self.limits.global_per_second))
        if self.limits.chat_per_second is not None:
            stamps = self._chats.setdefault(chat_id, deque())
            found.append((stamps, SECOND, self.limits.chat_per_second))
        if self.limits.group_per_minute is not None and chat_id < 0:
            stamps = self._groups.setdefault(chat_id, deque())
            found.append((stamps, MINUTE, self.limits.group_per_minute))
        for stamps, span, _ in found:
            while stamps and stamps[0] <= now - span:
                stamps.popleft()
        return found
