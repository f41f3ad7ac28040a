"""The delivery loop sends every message once, in order per chat, and handles Telegram's errors."""

import asyncio
import itertools
from datetime import timedelta

from bot.delivery import RateLimits, SoleSender
from handlers.chat import ChatGone, Message, Rejected, RetryLater, Unreachable
from tests.contract.helpers import T0
from tests.delivery.support import drain, queue, rows


async def test_everything_pending_is_sent_and_marked_with_telegrams_ids(db, chat, delivery):
    await queue(db, (1, "a1"), (2, "b1"), (-100, "g1"), (1, "a2"))
    async with db.uow() as uow:
        album = Message("三张照片", photos=("p1", "p2", "p3")).to_payload()
        await uow.outbox.enqueue(3, album, "album", T0)
        await uow.commit()
    report = await drain(delivery())
    assert (report.sent, report.retried, report.failed) == (5, 0, 0)
    assert sorted(chat.texts()) == sorted(["a1", "b1", "g1", "a2", "三张照片"])
    stored = await rows(db)
    for sent in chat.sent:
        row = stored[sent.message.text if sent.chat_id != 3 else "album"]
        assert row.sent_at is not None and row.failed_at is None
        assert (row.message_ids, row.attempts, row.last_error) == (list(sent.message_ids), 1, None)
    assert len(stored["album"].message_ids) == 4  # three photos and the text after them
    assert report.next_due is None


async def test_one_chat_gets_its_messages_in_order_even_when_one_is_retried(
    db, chat, clock, delivery
):
    await queue(db, *[(1, f"a{n}") for n in range(1, 5)], (2, "b1"), (2, "b2"))
    chat.script[1] = [Unreachable("502 Bad Gateway"), RetryLater(5)]
    sender = delivery()
    await drain(sender)
    assert chat.texts(1) == [] and chat.texts(2) == ["b1", "b2"]
    for _ in range(4):
        clock.advance(10)
        await drain(sender)
    assert chat.texts(1) == ["a1", "a2", "a3", "a4"]
    assert not chat.overlapped


async def test_a_429_holds_back_that_chat_only_and_the_message_arrives_once(
    db, chat, clock, delivery
):
    await queue(db, (1, "a1"), (1, "a2"), (2, "b1"), (2, "b2"))
    chat.script[1] = [RetryLater(30)]
    sender = delivery()
    first = await drain(sender)
    assert (first.sent, first.retried) == (2, 1)
    assert chat.texts() == ["b1", "b2"]
    assert first.next_due == T0 + timedelta(seconds=30)
    assert sender._limiter.wait_time(1) == 30 and sender._limiter.wait_time(2) == 0
    row = (await rows(db))["a1"]
    assert (row.not_before, row.attempts) == (T0 + timedelta(seconds=30), 1)
    assert "retry after 30s" in row.last_error
    clock.advance(29)
    await drain(sender)
    assert chat.texts(1) == []
    clock.advance(1)
    await drain(sender)
    await drain(sender)
    assert chat.texts(1) == ["a1", "a2"]


async def test_a_blocked_chat_is_given_up_with_the_reason_and_never_retried(
    db, chat, clock, delivery
):
    await queue(db, (1, "a1"), (2, "b1"))
    chat.always[1] = ChatGone("Forbidden: bot was blocked by the user")
    chat.script[2] = [Rejected("Bad Request: message is too long")]
    sender = delivery()
    report = await drain(sender)
    assert (report.sent, report.failed) == (0, 2)
    stored = await rows(db)
    assert stored["a1"].last_error == "ChatGone: Forbidden: bot was blocked by the user"
    assert stored["b1"].last_error == "Rejected: Bad Request: message is too long"
    assert all(row.failed_at == T0 and row.sent_at is None for row in stored.values())
    clock.advance(86_400)
    await drain(sender)
    assert chat.calls == [1, 2] or chat.calls == [2, 1]


async def test_transient_errors_back_off_and_then_succeed(db, chat, clock, delivery):
    await queue(db, (1, "a1"))
    chat.fail_first = [Unreachable("connection reset"), OSError("network is down")]
    sender = delivery()
    assert (await drain(sender)).retried == 1
    assert (await rows(db))["a1"].not_before == T0 + timedelta(seconds=2)
    clock.advance(2)
    assert (await drain(sender)).retried == 1
    row = (await rows(db))["a1"]
    assert row.not_before == T0 + timedelta(seconds=6)
    assert row.last_error == "OSError: network is down"
    clock.advance(3)
    assert (await drain(sender)).sent == 0
    clock.advance(1)
    assert (await drain(sender)).sent == 1
    row = (await rows(db))["a1"]
    assert (row.attempts, row.last_error, row.sent_at) == (3, None, T0 + timedelta(seconds=6))


async def test_a_message_that_keeps_failing_is_given_up_after_max_age(db, chat, clock, delivery):
    await queue(db, (1, "a1"))
    chat.always[1] = Unreachable("503 Service Unavailable")
    sender = delivery(max_age=timedelta(hours=1), backoff=lambda attempts: 600)
    for _ in range(6):
        await drain(sender)
        clock.advance(600)
    report = await drain(sender)
    assert report.failed == 1
    row = (await rows(db))["a1"]
    assert row.failed_at == T0 + timedelta(hours=1)
    assert row.last_error.startswith("gave up 1.0 h after queueing, after 7 attempts")
    assert row.last_error.endswith("Unreachable: 503 Service Unavailable")
    clock.advance(3600)
    await drain(sender)
    assert len(chat.calls) == 7


async def test_a_message_not_yet_due_waits(db, chat, clock, delivery):
    await queue(db, (1, "later"), delay=600)
    await queue(db, (2, "now"))
    sender = delivery()
    report = await drain(sender)
    assert chat.texts() == ["now"]
    assert report.next_due == T0 + timedelta(seconds=600)
    clock.advance(600)
    await drain(sender)
    assert chat.texts() == ["now", "later"]


async def test_a_dedupe_key_is_sent_once(db, chat, delivery):
    await queue(db, (1, "hello"), (1, "hello"))
    sender = delivery()
    await drain(sender)
    await queue(db, (1, "hello"))  # the same key queued again after delivery: ignored
    await drain(sender)
    assert chat.texts() == ["hello"]


async def test_concurrent_rounds_never_send_a_row_twice(db, chat, delivery):
    await queue(db, *[(n % 7, f"m{n}") for n in range(40)])
    senders = [delivery(leader=SoleSender(), batch=5) for _ in range(3)]
    for _ in range(20):
        await asyncio.gather(*(s.run_once() for s in [*senders, senders[0]]))
    assert sorted(chat.texts()) == sorted(f"m{n}" for n in range(40))
    for chat_id in range(7):
        assert chat.texts(chat_id) == [f"m{n}" for n in range(40) if n % 7 == chat_id]
    assert not chat.overlapped


async def test_the_limiter_paces_each_chat_and_defers_a_busy_group(db, chat, clock, delivery):
    await queue(db, (-100, "g1"), (-100, "g2"), (-100, "g3"), (1, "a1"), (1, "a2"))
    limits = RateLimits(group_per_minute=2)
    sender = delivery(limits=limits, max_wait=5)
    report = await drain(sender)
    assert chat.texts(1) == ["a1", "a2"] and chat.texts(-100) == ["g1", "g2"]
    assert report.deferred == 1
    deferred_until = (await rows(db))["g3"].not_before
    assert deferred_until > clock.now() + timedelta(seconds=50)
    clock.advance((deferred_until - clock.now()).total_seconds())
    await drain(sender)
    assert chat.texts(-100) == ["g1", "g2", "g3"]
    times = {c: [d.at for d in chat.sent if d.chat_id == c] for c in (1, -100)}
    assert times[1][1] - times[1][0] >= 1.0
    assert times[-100][2] - times[-100][0] >= 60.0


async def test_an_unreadable_payload_is_given_up(db, chat, delivery):
    async with db.uow() as uow:
        await uow.outbox.enqueue(1, {"buttons": [[{"nonsense": 1}]]}, "bad", T0)
        await uow.commit()
    assert (await drain(delivery())).failed == 1
    row = (await rows(db))["bad"]
    assert row.last_error.startswith("unreadable payload: TypeError")
    assert chat.calls == []


async def test_a_lease_that_ran_out_while_waiting_is_extended_and_the_row_sent(
    db, chat, clock, delivery
):
    await queue(db, (-100, "g1"), (-100, "g2"))
    sender = delivery(limits=RateLimits(), lease=timedelta(milliseconds=500))
    assert (await sender.run_once()).sent == 1
    report = await sender.run_once()  # g2 waits about a second in the limiter: past its lease
    assert (report.sent, report.deferred) == (1, 0)
    assert chat.texts() == ["g1", "g2"]


async def test_a_row_another_sender_took_after_the_lease_ran_out_is_left_to_it(
    db, chat, clock, delivery
):
    await queue(db, (-100, "g1"), (-100, "g2"))
    sender = delivery(limits=RateLimits(), lease=timedelta(milliseconds=500))
    other = delivery(leader=SoleSender())
    assert (await sender.run_once()).sent == 1
    clock.while_asleep.append(other.run_once)  # while g2 waits in the limiter, past its lease
    report = await sender.run_once()
    assert (report.sent, report.deferred) == (0, 1)
    assert chat.texts() == ["g1", "g2"]  # sent once, by the other sender


async def test_a_chat_that_paces_itself_with_the_same_limiter_counts_each_send_once(
    db, chat, delivery
):
    await queue(db, *[(7, f"m{n}") for n in range(4)])
    sender = delivery(limits=RateLimits())
    chat.pacer = sender._limiter  # like the Telegram transport, sharing the bot's limiter
    await drain(sender)
    times = [d.at for d in chat.sent]
    assert len(times) == 4
    assert all(1.0 <= later - earlier < 2.0 for earlier, later in itertools.pairwise(times))
