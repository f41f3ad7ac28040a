"""One outbox row's way out: pace, send, and record what happened in a transaction of its own."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.delivery import references
from bot.delivery.limits import RateLimiter
from bot.delivery.references import UNREADABLE, Plan
from bot.delivery.verdicts import Backoff, GiveUp, Retry, describe, judge
from handlers.chat import Chat, DeliveryError, Message, RetryLater, Sent
from storage.models import Outbox
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")

MARK_ATTEMPTS = 3  # a sent message whose mark is lost goes out again: try a little harder


def parts_of(row: Outbox) -> int:
    """How many sends the row takes; an unreadable payload counts one (it will be refused)."""
    try:
        return references.parts(row, Message.from_payload(row.payload))
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
            plan = await self._plan(row)
        except UNREADABLE as error:
            return await self._record(row, GiveUp(f"unreadable payload: {describe(error)}"))
        if isinstance(plan, GiveUp):
            log.warning("outbox %s (chat %s): %s; given up", row.id, row.chat_id, plan.reason)
            return await self._record(row, plan)
        await self._limiter.ready(row.chat_id, plan.parts)  # wait without holding a slot
        async with slots:
            await self._limiter.acquire(row.chat_id, plan.parts)
            if self._now() >= lease_end and not await self._extend_lease(row, lease_end):
                log.warning("outbox %s: its lease ran out and another sender has it", row.id)
                return "deferred"
            try:
                sent = await self._carry_out(row, plan)
            except DeliveryError as error:
                return await self._failed(row, error)
            except Exception as error:
                log.exception(
                    "outbox %s (chat %s): unexpected error from send", row.id, row.chat_id
                )
                return await self._failed(row, error)
        return await self._mark_sent(row, sent)

    async def _plan(self, row: Outbox) -> Plan | GiveUp:
        """The row's message, with the earlier rows it refers to looked up (references.py)."""
        message = Message.from_payload(row.payload)
        if not any(key in row.payload for key in references.KEYS):
            return Plan(message)
        async with self._uow() as uow:
            return await references.plan(row, message, uow.outbox.by_key)

    async def _carry_out(self, row: Outbox, plan: Plan) -> Sent:
        """Edit, or open the topic if one is due and send; every call already paid for."""
        chat_id, message = row.chat_id, plan.message
        if plan.edit is not None:
            with self._limiter.prepaid(chat_id):
                await self._chat.edit(chat_id, plan.edit, message)
            return Sent(chat_id, (plan.edit,), message.thread_id)
        if plan.topic is not None:
            with self._limiter.prepaid(chat_id):
                thread_id = await self._chat.create_topic(chat_id, plan.topic)
            await self._keep_thread(row, thread_id)
            message = replace(message, thread_id=thread_id)
        with self._limiter.prepaid(chat_id, message.parts):
            sent = await self._chat.send(chat_id, message)
        thread_id = message.thread_id if sent.thread_id is None else sent.thread_id
        return replace(sent, thread_id=thread_id)

    async def _keep_thread(self, row: Outbox, thread_id: int) -> None:
        """Store a new topic's thread id at once, so that a retry sends into it, not a new one."""
        assert row.id is not None
        row_id = row.id

        async def store() -> None:
            async with self._uow() as uow:
                await uow.outbox.set_thread(row_id, thread_id)
                await uow.commit()

        await self._write_hard(row, store, "opened its forum topic")

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
        row_id = row.id

        async def mark() -> bool:
            async with self._uow() as uow:
                ids, thread_id = sent.message_ids, sent.thread_id
                fresh = await uow.outbox.mark_sent(row_id, self._now(), ids, thread_id)
                await uow.commit()
            return fresh

        if not await self._write_hard(row, mark, "sent"):
            log.warning("outbox %s was sent, but someone else had already marked it", row.id)
        return "sent"

    async def _write_hard(self, row: Outbox, write: Callable[[], Awaitable[T]], done: str) -> T:
        """Record what Telegram already did, retrying a database hiccup a few times."""
        attempt = 1
        while True:
            try:
                return await write()
            except (SQLAlchemyError, OSError) as error:
                if attempt == MARK_ATTEMPTS:
                    raise
                log.warning(
                    "outbox %s: %s, but recording it failed (%s); retrying", row.id, done, error
                )
                await asyncio.sleep(0.2 * 2**attempt)
                attempt += 1
