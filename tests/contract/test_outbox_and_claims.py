"""The outbox queues each message once and tracks delivery; job claims are won only once."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from storage.models import Outbox
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


async def _queue(db, rows):
    """Queue (chat, key, delay in minutes) rows in one committed transaction."""
    async with db.uow() as uow:
        for chat, key, delay in rows:
            await uow.outbox.enqueue(chat, {"k": key}, key, T0, T0 + timedelta(minutes=delay))
        await uow.commit()


async def test_only_the_oldest_pending_message_of_each_chat_is_claimed(db):
    await _queue(db, [(1, "a1", 0), (2, "b1", 5), (1, "a2", 0), (3, "c1", 0), (2, "b2", 0)])
    async with db.uow() as uow:
        heads = await uow.outbox.claim_next_per_chat(T0)
        assert [m.payload["k"] for m in heads] == ["a1", "c1"]  # b1 waits, so b2 waits too
        assert await uow.outbox.next_due() == T0
        await uow.outbox.mark_sent(heads[0].id, T0, [501])
        await uow.outbox.give_up(heads[1].id, "ChatGone: blocked", T0)
        await uow.commit()
    async with db.uow() as uow:
        assert [m.payload["k"] for m in await uow.outbox.claim_next_per_chat(T0)] == ["a2"]
        later = await uow.outbox.claim_next_per_chat(T0 + timedelta(minutes=5), limit=1)
        assert [m.payload["k"] for m in later] == ["a2"]


async def test_next_due_looks_only_at_the_heads_of_chats(db):
    async with db.uow() as uow:
        assert await uow.outbox.next_due() is None
    await _queue(db, [(1, "a1", 30), (1, "a2", 0), (2, "b1", 10)])
    async with db.uow() as uow:
        assert await uow.outbox.claim_next_per_chat(T0) == []
        assert await uow.outbox.next_due() == T0 + timedelta(minutes=10)


async def test_a_sent_or_abandoned_message_never_changes_again(db):
    await _queue(db, [(1, "a", 0), (2, "b", 0)])
    async with db.uow() as uow:
        a, b = await uow.outbox.claim_next_per_chat(T0)
        assert await uow.outbox.mark_sent(a.id, T0, [11, 12])
        assert await uow.outbox.give_up(b.id, "Rejected: message is too long", T0)
        await uow.commit()
    later = T0 + timedelta(hours=1)
    async with db.uow() as uow:
        assert not await uow.outbox.mark_sent(a.id, later, [99])
        assert not await uow.outbox.retry_later(a.id, "again", later)
        assert not await uow.outbox.mark_sent(b.id, later)
        await uow.outbox.postpone([a.id, b.id], later)
        await uow.commit()
    async with db.uow() as uow:
        rows = {m.dedupe_key: m for m in await _all(uow)}
        assert (rows["a"].sent_at, rows["a"].message_ids, rows["a"].attempts) == (T0, [11, 12], 1)
        assert (rows["b"].failed_at, rows["b"].sent_at, rows["b"].not_before) == (T0, None, T0)
        assert rows["b"].last_error == "Rejected: message is too long"


async def test_postpone_moves_pending_messages_without_counting_an_attempt(db):
    await _queue(db, [(1, "a", 0), (2, "b", 0)])
    async with db.uow() as uow:
        ids = [m.id for m in await uow.outbox.claim_next_per_chat(T0)]
        await uow.outbox.postpone(ids, T0 + timedelta(minutes=2))
        await uow.outbox.postpone([], T0)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_next_per_chat(T0 + timedelta(minutes=1)) == []
        again = await uow.outbox.claim_next_per_chat(T0 + timedelta(minutes=2))
        assert [(m.dedupe_key, m.attempts) for m in again] == [("a", 0), ("b", 0)]


@postgres_only
async def test_a_locked_head_holds_its_chat_back_from_another_claimer(db):
    await _queue(db, [(1, "a1", 0), (1, "a2", 0), (2, "b1", 0)])
    async with db.uow() as first, db.uow() as second:
        mine = await first.outbox.claim_next_per_chat(T0, limit=1)
        theirs = await second.outbox.claim_next_per_chat(T0)
        assert [m.dedupe_key for m in mine] == ["a1"]
        assert [m.dedupe_key for m in theirs] == ["b1"]


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # PostgreSQL plans by table size
async def test_claiming_heads_uses_the_per_chat_index_on_sqlite(db):
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with db.uow() as uow:
            await uow.outbox.claim_next_per_chat(T0)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
    statement, parameters = next((s, p) for s, p in statements if "FROM outbox" in s)
    async with db.engine.connect() as connection:
        plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        details = " ".join(str(row[-1]) for row in plan)
    assert "ix_outbox_chat_pending" in details
    assert "ix_outbox_pending" in details


async def _all(uow):
    return (await uow.session.exec(select(Outbox).order_by(Outbox.id))).all()
