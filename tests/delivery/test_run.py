"""The running loop survives errors and wakes on demand; on PostgreSQL only one process sends."""

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.delivery import RateLimits
from handlers.chat import Unreachable
from storage.db import session_factory
from storage.uow import UnitOfWork
from tests.contract.helpers import postgres_only
from tests.delivery.fakes import FakeChat
from tests.delivery.support import queue, rows


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20) -> None:
    """Wait until `check()` holds (a guard against hanging, not a timing assertion)."""
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110  (polling the database: no event to await)
            await asyncio.sleep(0.01)


def all_sent(db, count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        stored = await rows(db)
        return len(stored) == count and all(row.sent_at for row in stored.values())

    return check


async def test_the_loop_survives_an_error_from_the_chat_and_goes_on(db, chat, delivery, caplog):
    await queue(db, (1, "a1"), (1, "a2"), (2, "b1"))
    chat.script[1] = [RuntimeError("boom"), Unreachable("timeout")]
    sender = delivery(backoff=lambda attempts: 0)
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await eventually(all_sent(db, 3))
    stop.set()
    await running
    assert chat.texts(1) == ["a1", "a2"] and chat.texts(2) == ["b1"]
    assert any("outbox 1 (chat 1): unexpected error" in r.getMessage() for r in caplog.records)
    assert (await rows(db))["a1"].attempts == 3


async def test_the_loop_survives_a_failing_database_round(db, chat, delivery, caplog):
    await queue(db, (1, "a1"))
    failures = [OSError("database is restarting")] * 2

    def flaky_uow() -> UnitOfWork:
        if failures:
            raise failures.pop()
        return db.uow()

    stop = asyncio.Event()
    running = asyncio.create_task(delivery(uow_factory=flaky_uow).run(stop))
    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        await eventually(all_sent(db, 1))
    stop.set()
    await running
    assert chat.texts() == ["a1"]
    assert sum("delivery round failed" in r.getMessage() for r in caplog.records) == 2


async def test_wake_ends_the_idle_wait(db, chat, delivery):
    sender = delivery(idle_poll=3600)
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    await asyncio.sleep(0.05)  # the loop is idle now, for an hour
    await queue(db, (1, "a1"))
    sender.wake()
    await eventually(all_sent(db, 1))
    stop.set()
    await running
    assert chat.texts() == ["a1"]


@postgres_only
async def test_two_processes_on_postgresql_only_one_sends(db, clock, delivery):
    await queue(db, *[(n % 5, f"m{n}") for n in range(30)])
    engines = [db.new_engine(), db.new_engine()]
    chats = [FakeChat(clock), FakeChat(clock)]
    senders = [
        delivery(uow_factory=lambda e=e: UnitOfWork(session_factory(e)), chat=c, batch=4)
        for e, c in zip(engines, chats, strict=True)
    ]
    stops = [asyncio.Event(), asyncio.Event()]
    running = [asyncio.create_task(s.run(stop)) for s, stop in zip(senders, stops, strict=True)]
    try:
        await eventually(all_sent(db, 30))
        leader = 0 if chats[0].sent else 1
        follower = 1 - leader
        assert chats[follower].calls == []
        assert sorted(chats[leader].texts()) == sorted(f"m{n}" for n in range(30))
        assert not (await senders[follower].run_once()).leader

        stops[leader].set()  # the leader stops and lets go of the lock: the other takes over
        await running[leader]
        await queue(db, (1, "after"))
        await eventually(all_sent(db, 31))
        assert chats[follower].texts() == ["after"]
        assert "after" not in chats[leader].texts()
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*running)
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_on_sqlite_no_lock_is_needed(db, chat, delivery):
    await queue(db, (1, "a1"))
    first, second = delivery(), delivery()
    assert (await first.run_once()).leader and (await second.run_once()).leader
    assert chat.texts() == ["a1"]


async def test_limits_apply_in_the_running_loop(db, chat, clock, delivery):
    await queue(db, *[(7, f"m{n}") for n in range(4)])
    stop = asyncio.Event()
    running = asyncio.create_task(delivery(limits=RateLimits()).run(stop))
    await eventually(all_sent(db, 4))
    stop.set()
    await running
    times = [d.at for d in chat.sent]
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
