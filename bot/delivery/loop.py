"""The delivery loop: sends outbox rows in order per chat, under Telegram's rate limits.

Exactly once, as far as Telegram allows. A round claims the oldest due row of each chat and
leases it in the claiming transaction (its not_before moves `lease` ahead), so no other round
takes it meanwhile. Each row is then sent and, right after the send returns, marked sent with
Telegram's message ids in a transaction of its own. The only window for a duplicate is a crash
(or a database outage) between a send and its mark: that row goes out again when its lease ends.
A row whose lease ran out while it waited for its turn is sent only if the lease can still be
extended (no other sender took the row meanwhile); rows marked sent or given up never change
again; and the unique dedupe key keeps a message from being queued twice.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.leader import Leadership, leader_for
from bot.delivery.limits import RateLimiter
from bot.delivery.sending import RowSender, parts_of
from bot.delivery.verdicts import Backoff, exponential_backoff
from handlers.chat import Chat
from storage.models import Outbox
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

MIN_IDLE = 0.01  # seconds: a message due now but not claimable (locked elsewhere) is no busy loop


@dataclass(frozen=True)
class DeliveryReport:
    """What one round did; `next_due` is when a waiting message becomes due, if known."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # left for later: its chat must wait, or another sender took it
    errors: int = 0  # rows whose outcome could not be recorded (logged with their id)
    next_due: datetime | None = None
    leader: bool = True  # False: another process sends; this one stayed idle

    @property
    def busy(self) -> bool:
        """Whether the round got anywhere, so the next one should start at once."""
        return bool(self.sent or self.retried or self.failed)


@dataclass(frozen=True)
class _Claim:
    rows: Sequence[Outbox]
    lease_end: datetime
    deferred: int
    next_due: datetime | None


class Delivery:
    """Sends what the outbox holds; `run(stop)` until stopped, or `run_once()` a round at a time."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        chat: Chat,
        limiter: RateLimiter,
        now: Callable[[], datetime],
        *,
        batch: int = 100,
        concurrency: int = 8,
        idle_poll: float = 1.0,
        backoff: Backoff = exponential_backoff,
        max_age: timedelta = timedelta(hours=24),
        max_wait: float = 2.0,
        lease: timedelta = timedelta(minutes=2),
        leader: Leadership | None = None,
    ) -> None:
        self._uow = uow_factory
        self._limiter = limiter
        self._now = now
        self._batch = batch
        self._concurrency = concurrency
        self._idle_poll = idle_poll
        self._max_wait = max_wait  # a chat that must wait longer is deferred in the database
        self._lease = lease
        self._rows = RowSender(uow_factory, chat, limiter, now, backoff, max_age, lease)
        self._leader = leader  # None: an advisory lock on PostgreSQL, nothing on SQLite
        self._round = asyncio.Lock()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was just queued: end the idle wait now."""
        self._wake.set()

    async def close(self) -> None:
        """Give up the sender's role (the advisory lock), if this process held it."""
        if self._leader is not None:
            await self._leader.release()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; an error is logged and the loop goes on."""
        try:
            while not stop.is_set():
                self._wake.clear()
                report = None
                try:
                    report = await self.run_once()
                except Exception:
                    log.exception("delivery round failed; trying again in %.1f s", self._idle_poll)
                if report is not None and report.busy:
                    await asyncio.sleep(0)
                    continue
                await self._idle(stop, report.next_due if report else None)
        finally:
            await self.close()

    async def run_once(self) -> DeliveryReport:
        """Claim the due head of each chat's queue (up to `batch`) and send them."""
        async with self._round:
            if not await (await self._leadership()).acquire():
                return DeliveryReport(leader=False)
            claim = await self._claim()
            slots = asyncio.Semaphore(self._concurrency)
            outcomes = Counter(
                await asyncio.gather(
                    *(self._rows.deliver(row, slots, claim.lease_end) for row in claim.rows)
                )
            )
            return DeliveryReport(
                sent=outcomes["sent"],
                retried=outcomes["retried"],
                failed=outcomes["failed"],
                deferred=claim.deferred + outcomes["deferred"],
                errors=outcomes["error"],
                next_due=claim.next_due,
            )

    async def _leadership(self) -> Leadership:
        if self._leader is None:
            async with self._uow() as uow:
                self._leader = leader_for(uow.session.bind)
        return self._leader

    async def _claim(self) -> _Claim:
        """Lease the due rows whose chat may send soon; defer the others to when it may."""
        async with self._uow() as uow:
            now = self._now()
            rows = await uow.outbox.claim_next_per_chat(now, self._batch)
            ready: list[Outbox] = []
            for row in rows:
                assert row.id is not None
                wait = self._limiter.wait_time(row.chat_id, parts_of(row))
                if wait > self._max_wait:
                    await uow.outbox.postpone([row.id], now + timedelta(seconds=wait))
                else:
                    ready.append(row)
            lease_end = now + self._lease
            await uow.outbox.postpone([row.id for row in ready if row.id is not None], lease_end)
            next_due = await uow.outbox.next_due() if len(rows) < self._batch else None
            await uow.commit()
        return _Claim(ready, lease_end, len(rows) - len(ready), next_due)

    async def _idle(self, stop: asyncio.Event, next_due: datetime | None) -> None:
        """Sleep until the next due message, a wake-up, `stop`, or at most `idle_poll`."""
        timeout = self._idle_poll
        if next_due is not None:
            due_in = (next_due - self._now()).total_seconds()
            timeout = min(timeout, max(due_in, MIN_IDLE))
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
