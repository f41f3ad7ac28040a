"""The outbox queues each message once and tracks delivery; job claims are won only once."""

import asyncio
from datetime import timedelta

import pytest

from tests.contract.helpers import T0, open_ticket, postgres_only, seed


async def test_a_message_is_queued_once_per_dedupe_key(db):
    async with db.uow() as uow:
        assert await uow.outbox.enqueue(-100, {"text": "新工单 JH-0001"}, "new:1:team", T0)
        assert not await uow.outbox.enqueue(-100, {"text": "again"}, "new:1:team", T0)
        await uow.commit()
    async with db.uow() as uow:  # also across transactions
        assert not await uow.outbox.enqueue(-100, {"text": "again"}, "new:1:team", T0)
        pending = await uow.outbox.claim_pending(T0)
        assert [(m.chat_id, m.payload) for m in pending] == [(-100, {"text": "新工单 JH-0001"})]


async def test_pending_messages_respect_not_before_and_delivery_state(db):
    async with db.uow() as uow:
        for key, delay in [("a", 0), ("b", 10), ("c", 0), ("d", 0)]:
            await uow.outbox.enqueue(7, {"k": key}, key, T0, T0 + timedelta(minutes=delay))
        await uow.commit()
    async with db.uow() as uow:
        ready = {m.payload["k"]: m for m in await uow.outbox.claim_pending(T0)}
        assert set(ready) == {"a", "c", "d"}
        await uow.outbox.mark_sent(ready["a"].id, T0)
        await uow.outbox.give_up(ready["c"].id, "Forbidden: bot was blocked by the user", T0)
        await uow.outbox.retry_later(ready["d"].id, "Too Many Requests", T0 + timedelta(seconds=30))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_pending(T0 + timedelta(seconds=29)) == []
        later = await uow.outbox.claim_pending(T0 + timedelta(minutes=11))
        assert [(m.payload["k"], m.attempts, m.last_error) for m in later] == [
            ("d", 1, "Too Many Requests"),
            ("b", 0, None),
        ]


async def test_outbox_rows_commit_or_vanish_with_their_ticket(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    with pytest.raises(RuntimeError):
        async with db.uow() as uow:
            await uow.outbox.enqueue(-100, {"t": 1}, "card:1", T0, ticket_id=ticket.id)
            raise RuntimeError("crash before commit")
    async with db.uow() as uow:
        assert await uow.outbox.claim_pending(T0) == []


@postgres_only
async def test_two_senders_never_take_the_same_message(db):
    async with db.uow() as uow:
        for n in range(5):
            await uow.outbox.enqueue(n, {"n": n}, f"m{n}", T0)
        await uow.commit()
    async with db.uow() as first, db.uow() as second:
        mine = await first.outbox.claim_pending(T0, limit=3)
        theirs = await second.outbox.claim_pending(T0, limit=3)
        assert len(mine) == 3 and len(theirs) == 2
        assert not {m.id for m in mine} & {m.id for m in theirs}


async def test_a_digest_is_claimed_once_per_period_and_chat(db):
    async def claim(job: str, period: str, chat: int, by: str) -> bool:
        async with db.uow() as uow:
            won = await uow.claims.claim(job, period, chat, by, T0)
            await uow.commit()
            return won

    assert await claim("team_digest", "2026-11-22", -100, "instance-a")
    assert not await claim("team_digest", "2026-11-22", -100, "instance-b")
    assert await claim("team_digest", "2026-11-22", -200, "instance-b")
    assert await claim("team_digest", "2026-11-23", -100, "instance-b")


async def test_racing_instances_claim_a_digest_exactly_once(db):
    async def claim(by: str) -> bool:
        async with db.uow() as uow:
            won = await uow.claims.claim("supervisor_digest", "2026-11-22", -300, by, T0)
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim(f"instance-{n}") for n in range(6)))
    assert sorted(results) == [False] * 5 + [True]
