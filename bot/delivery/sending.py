"""One outbox row's way out: pace, send, and record what happened in a transaction of its own."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.delivery.limits import RateLimiter
from bot.delivery.verdicts import Backoff, GiveUp, Retry, describe, judge
from handlers.chat import Chat, DeliveryError, Message, RetryLater, Sent
from storage.models import Outbox
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

MARK_ATTEMPTS = 3  # a sent message whose mark is lost goes out again: try a little harder
UNREADABLE = (TypeError, ValueError, KeyError, AttributeError)  # from Message.from_payload


def parts_of(row: Outbox) -> int:
    """How many sends the row takes; an unreadable payload counts one (it will be refused)."""
    try:
        return Message.from_payload(row.payload).parts
    except UNREADABLE:
        return 1


class RowSender:
    """Delivers single claimed rows; the outcome is "sent", "retried", "failed" or "deferred"."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        chat: Chat,
        limiter: RateLimiter,
        now: Callable[[], datetime],
        backoff: Backoff,
        max_age: timedelta,
        lease: timedelta,
    ) -> None:
        self._uow = uow_factory
        self._chat = chat
        self._limiter = limiter
        self._now = now
        self._backoff = backoff
        self._max_age = max_age
        self._lease = lease

    async def deliver(self, row: Outbox, slots: asyncio.Semaphore, lease_end: datetime) -> str:
        """Send one row and record the outcome; never raises ("error", logged with the row's id)."""
        try:
            return await self._send_and_record(row, slots, lease_end)
        except Exception:
            log.exception("outbox %s (chat %s): delivery failed", row.id, row.chat_id)
            return "error"

    async def _send_and_record(
        self, row: Outbox, slots: asyncio.Semaphore, lease_end: datetime
    ) -> str:
        try:
            message = Message.from_payload(row.payload)
        except UNREADABLE as error:
            return await self._record(row, GiveUp(f"unreadable payload: {describe(error)}"))
        await self._limiter.ready(row.chat_id, message.parts)  # wait without holding a slot
        async with slots:
            await self._limiter.acquire(row.chat_id, message.parts)
            if self._now() >= lease_end and not await self._extend_lease(row, lease_end):
                log.warning("outbox %s: its lease ran out and another sender has it", row.id)
                return "deferred"
            try:
                with self._limiter.prepaid(row.chat_id, message.parts):
                    sent = await self._chat.send(row.chat_id, message)
            except DeliveryError as error:
                return await self._failed(row, error)
            except Exception as error:
                log.exception(
                    "outbox %s (chat %s): unexpected error from send", row.id, row.chat_id
                )
                return await self._failed(row, error)
        return await self._mark_sent(row, sent)

    async def _extend_lease(self, row: Outbox, lease_end: datetime) -> bool:
        """The lease ran out while the row waited for its turn: keep it unless someone took it."""
        assert row.id is not None
        async with self._uow() as uow:
            kept = await uow.outbox.extend_lease(row.id, lease_end, self._now() + self._lease)
            await uow.commit()
        return kept

    async def _failed(self, row: Outbox, error: Exception) -> str:
        if isinstance(error, RetryLater):
            self._limiter.hold(row.chat_id, error.retry_after)
        age = self._now() - row.created_at
        verdict = judge(error, row.attempts + 1, age, self._max_age, self._backoff)
        what = f"retrying in {verdict.after:g} s" if isinstance(verdict, Retry) else "given up"
        log.warning("outbox %s (chat %s): %s; %s", row.id, row.chat_id, verdict.reason, what)
        return await self._record(row, verdict)

    async def _record(self, row: Outbox, verdict: Retry | GiveUp) -> str:
        assert row.id is not None
        async with self._uow() as uow:
            now = self._now()
            if isinstance(verdict, Retry):
                retry_at = now + timedelta(seconds=verdict.after)
                await uow.outbox.retry_later(row.id, verdict.reason, retry_at)
            else:
                await uow.outbox.give_up(row.id, verdict.reason, now)
            await uow.commit()
        return "retried" if isinstance(verdict, Retry) else "failed"

    async def _mark_sent(self, row: Outbox, sent: Sent) -> str:
        """Mark the row sent at once, retrying a database hiccup: a lost mark means a duplicate."""
        assert row.id is not None
        attempt = 1
        while True:
            try:
                async with self._uow() as uow:
                    fresh = await uow.outbox.mark_sent(row.id, self._now(), sent.message_ids)
                    await uow.commit()
                break
            except (SQLAlchemyError, OSError) as error:
                if attempt == MARK_ATTEMPTS:
                    raise
                log.warning("outbox %s: sent, but marking it failed (%s); retrying", row.id, error)
                await asyncio.sleep(0.2 * 2**attempt)
                attempt += 1
        if not fresh:
            log.warning("outbox %s was sent, but someone else had already marked it", row.id)
        return "sent"
