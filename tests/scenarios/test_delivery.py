"""Delivery through the real transport: a 429 storm slows it down but loses and doubles nothing."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.sandbox import Limits
from handlers.chat import Message
from storage.models import Outbox


@pytest.fixture
def mode() -> str:
    """Delivery does not depend on how updates come in: polling is enough here."""
    return "polling"


async def enqueue(db, chat_id: int, text: str, key: str) -> None:
    async with db.uow() as uow:
        await uow.outbox.enqueue(chat_id, Message(text).to_payload(), key, datetime.now(UTC))
        await uow.commit()


async def outbox_rows(db) -> list[Outbox]:
    async with db.uow() as uow:
        rows = (await uow.session.exec(select(Outbox).order_by(Outbox.id))).all()
        return [row.model_copy() for row in rows]


async def wait_until(predicate, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the condition did not come true in time")


async def test_a_429_storm_slows_delivery_but_every_message_arrives_once(running):
    sandbox = running.sandbox
    sandbox.set_limits(Limits(global_per_second=8, chat_per_second=1, group_per_minute=20))
    groups = [sandbox.group(-200 - n, f"楼栋群{n}") for n in range(6)]
    for round_ in range(1, 4):
        for group in groups:
            await enqueue(running.db, group.id, f"通知 {round_}", f"storm:{group.id}:{round_}")

    for group in groups:
        await sandbox.wait_for(group.id, 3, timeout=30)
    for group in groups:
        assert [m.text for m in sandbox.messages(group.id)] == ["通知 1", "通知 2", "通知 3"]
    assert sandbox.stats.too_many_requests > 0  # the bot's own pacing was off: Telegram pushed back

    async def all_marked() -> bool:
        return all(row.sent_at is not None for row in await outbox_rows(running.db))

    await wait_until(all_marked)  # each mark follows its send by a moment
    rows = await outbox_rows(running.db)
    assert all(row.message_ids for row in rows)
    assert any(row.attempts > 1 for row in rows)


async def test_a_user_who_blocked_the_bot_is_marked_and_not_retried(running):
    user = running.sandbox.user(2001, "陈先生", language_code="zh-hans")
    await user.send("/start")
    await running.sandbox.wait_for(user.id, 1)
    user.block()
    await enqueue(running.db, user.id, "您的报修已办结", "blocked:1")

    async def given_up() -> bool:
        return all(row.failed_at is not None for row in await outbox_rows(running.db))

    await wait_until(given_up)
    await asyncio.sleep(1.5)  # a retry, if there were one, would come within the idle poll
    [row] = await outbox_rows(running.db)
    assert "blocked" in row.last_error
    assert row.attempts == 1 and row.sent_at is None
    assert len(running.sandbox.messages(user.id)) == 1  # only the welcome
