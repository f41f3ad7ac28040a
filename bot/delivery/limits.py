"""Client-side pacing under Telegram's limits, so that normal operation never meets a 429.

Each limit is a sliding window: at most N messages in any W seconds. Telegram counts when a
message arrives and we count when we send it, so every window is stretched to W / headroom.
The bot-wide limit is also paced evenly (one send every W / (N * headroom) seconds) rather
than in bursts of N: a burst that reaches Telegram more slowly than the next one would overrun
its window, while even spacing tolerates jitter of a whole interval. A single request with more
parts than a window allows cannot be split: it waits until that window is empty.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

EPSILON = 1e-9  # waits shorter than this are rounding noise


@dataclass(frozen=True)
class RateLimits:
    """Telegram's limits per bot, per chat and per group (a chat with a negative id)."""

    global_per_second: float = 30
    chat_per_second: float = 1
    group_per_minute: float = 20
    headroom: float = 0.95

    def __post_init__(self) -> None:
        rates = (self.global_per_second, self.chat_per_second, self.group_per_minute)
        if not all(rate > 0 for rate in rates):
            raise ValueError("rate limits must be positive (math.inf for none)")
        if not 0 < self.headroom <= 1:
            raise ValueError("headroom must be in (0, 1]")

    @classmethod
    def off(cls) -> "RateLimits":
        """No limits at all (tests, local sandboxes); holds after a 429 still apply."""
        return cls(math.inf, math.inf, math.inf, 1.0)


class _Window:
    """At most `limit` events in any `span` seconds; remembers only events inside the span."""

    def __init__(self, rate: float, unit: float, headroom: float) -> None:
        self.limit = max(1, math.floor(rate))
        self.span = self.limit * unit / rate / headroom
        self.events: deque[float] = deque()

    def wait(self, now: float, parts: int) -> float:
        """Seconds until `parts` more events fit (if they never can: until the span is empty)."""
        alive = [t for t in self.events if t > now - self.span]
        must_leave = min(len(alive), len(alive) + parts - self.limit)
        if must_leave <= 0:
            return 0.0
        return max(0.0, alive[must_leave - 1] + self.span - now)

    def record(self, now: float, parts: int) -> None:
        self.prune(now)
        self.events.extend([now] * parts)

    def prune(self, now: float) -> None:
        while self.events and self.events[0] <= now - self.span:
            self.events.popleft()


class _Spacing:
    """Even pacing: one event per `unit / rate / headroom` seconds, `parts` events take `parts`."""

    def __init__(self, rate: float, unit: float, headroom: float) -> None:
        self.span = unit / rate / headroom  # the interval between two events
        self.free_at = -math.inf

    def wait(self, now: float, parts: int) -> float:
        """Seconds until the next event may go."""
        return max(0.0, self.free_at - now)

    def record(self, now: float, parts: int) -> None:
        self.free_at = max(self.free_at, now) + parts * self.span

    def prune(self, now: float) -> None:
        """Nothing to forget: only the next free time is kept."""


def _window(rate: float, unit: float, headroom: float) -> _Window | None:
    return None if math.isinf(rate) else _Window(rate, unit, headroom)


@dataclass
class _ChatState:
    """One chat's windows, its hold after a 429, and who is queued on it."""

    windows: list[_Window]
    hold_until: float = -math.inf
    users: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wait(self, now: float, parts: int) -> float:
        waits = [w.wait(now, parts) for w in self.windows]
        return max([self.hold_until - now, 0.0, *waits])

    def idle(self, now: float) -> bool:
        for window in self.windows:
            window.prune(now)
        return not self.users and self.hold_until <= now and not any(w.events for w in self.windows)


@dataclass
class _Prepaid:
    """A send this task has already acquired: the next acquire for it is free, once."""

    limiter: "RateLimiter"
    chat_id: int
    parts: int
    used: bool = False


_PREPAID: ContextVar[_Prepaid | None] = ContextVar("courtyard_prepaid_send", default=None)


class RateLimiter:
    """Paces sends: `await acquire(chat_id, parts)` right before each send.

    Callers to one chat are served in arrival order (a lock per chat); callers whose chat is
    ready queue in arrival order for the global window (one global lock), so a chat that must
    wait does not hold up the others, and no window is ever overrun.
    """

    def __init__(
        self,
        limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or RateLimits()
        self._clock = clock
        self._sleep = sleep
        rate = self.limits.global_per_second
        self._global = _window(rate, 1.0, self.limits.headroom)
        self._pace = None if math.isinf(rate) else _Spacing(rate, 1.0, self.limits.headroom)
        self._global_hold = -math.inf
        self._global_lock = asyncio.Lock()
        self._chats: dict[int, _ChatState] = {}
        spans = [w.span for w in (self._global, *self._new_windows(-1)) if w]
        self._sweep_every = max(spans, default=60.0)
        self._last_sweep = clock()

    @property
    def tracked_chats(self) -> int:
        """How many chats the limiter remembers (only those active within their windows)."""
        return len(self._chats)

    def wait_time(self, chat_id: int, parts: int = 1) -> float:
        """Seconds until `parts` messages to this chat would fit every window; nothing changes."""
        now = self._clock()
        state = self._chats.get(chat_id)
        chat_wait = state.wait(now, parts) if state else 0.0
        return max(chat_wait, self._global_wait(now, parts))

    def hold(self, chat_id: int, seconds: float) -> None:
        """After a 429 for this chat: send it nothing more for `seconds`."""
        state = self._state(chat_id)
        state.hold_until = max(state.hold_until, self._clock() + seconds)

    def hold_all(self, seconds: float) -> None:
        """After a 429 for the whole bot: send nothing for `seconds`."""
        self._global_hold = max(self._global_hold, self._clock() + seconds)

    async def ready(self, chat_id: int, parts: int = 1) -> None:
        """Wait until this chat's own windows and hold allow `parts`, taking nothing.

        A sender calls it before taking one of its few sending slots, so that a chat that must
        wait a minute does not keep a slot busy meanwhile.
        """
        while True:
            state = self._chats.get(chat_id)
            wait = state.wait(self._clock(), parts) if state else 0.0
            if wait <= EPSILON:
                return
            await self._sleep(wait)

    @contextmanager
    def prepaid(self, chat_id: int, parts: int = 1) -> Iterator[None]:
        """Inside, this task's next `acquire(chat_id, parts)` returns at once: it is paid for.

        The delivery loop paces before it sends, and the Telegram transport paces every send
        (direct answers too) with the same limiter; this keeps one send from counting twice.
        """
        token = _PREPAID.set(_Prepaid(self, chat_id, parts))
        try:
            yield
        finally:
            _PREPAID.reset(token)

    async def acquire(self, chat_id: int, parts: int = 1) -> None:
        """Wait until `parts` messages to this chat fit every window, then count them as sent."""
        if self._use_prepaid(chat_id, parts):
            return
        state = self._state(chat_id)
        state.users += 1
        try:
            async with state.lock:
                while not await self._take_global(state, parts):
                    await self._sleep(state.wait(self._clock(), parts))
        finally:
            state.users -= 1
            self._sweep()

    def _use_prepaid(self, chat_id: int, parts: int) -> bool:
        paid = _PREPAID.get()
        if paid is None or paid.used or paid.limiter is not self:
            return False
        if paid.chat_id != chat_id or parts > paid.parts:
            return False
        paid.used = True
        return True

    async def _take_global(self, state: _ChatState, parts: int) -> bool:
        """Queue for the global window and record; False if the chat itself must wait first."""
        if state.wait(self._clock(), parts) > EPSILON:
            return False
        async with self._global_lock:
            while True:
                now = self._clock()
                if state.wait(now, parts) > EPSILON:  # a hold came in while we queued
                    return False
                wait = self._global_wait(now, parts)
                if wait <= EPSILON:
                    for window in (self._global, self._pace, *state.windows):
                        if window:
                            window.record(now, parts)
                    return True
                await self._sleep(wait)

    def _global_wait(self, now: float, parts: int) -> float:
        waits = [w.wait(now, parts) for w in (self._global, self._pace) if w]
        return max(*waits, self._global_hold - now, 0.0)

    def _new_windows(self, chat_id: int) -> list[_Window]:
        limits = self.limits
        windows = [_window(limits.chat_per_second, 1.0, limits.headroom)]
        if chat_id < 0:
            windows.append(_window(limits.group_per_minute, 60.0, limits.headroom))
        return [w for w in windows if w]

    def _state(self, chat_id: int) -> _ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState(self._new_windows(chat_id))
        return state

    def _sweep(self) -> None:
        """Forget chats that have been idle for a whole window (at most once per window)."""
        now = self._clock()
        if now - self._last_sweep < self._sweep_every:
            return
        self._last_sweep = now
        if self._global:
            self._global.prune(now)
        for chat_id in [c for c, state in self._chats.items() if state.idle(now)]:
            del self._chats[chat_id]
