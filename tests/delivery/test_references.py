"""Payload keys that refer to earlier rows of a chat: edit_of, topic, thread_of and reply_of."""

import math
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from bot.delivery import RateLimits
from bot.delivery.sending import parts_of
from handlers.chat import Button, Message, Rejected, RetryLater, Unreachable
from storage.models import Outbox, TicketMessage
from tests.contract.helpers import T0, open_ticket, seed
from tests.delivery.fakes import Edited
from tests.delivery.support import drain, rows

GROUP = -100
BUTTONS = ((Button("受理", data="t:ack:1"),),)
# one group message per minute window of three: shows how many parts each row counted
THREE_A_MINUTE = RateLimits(math.inf, math.inf, 3, 1.0)


async def put(db, key: str, chat_id: int = GROUP, ticket_id: int | None = None, **payload: Any):
    """Queue one row whose payload is `payload` (text and buttons as Message has them)."""
    message = Message(payload.pop("text", key), payload.pop("buttons", ()), **payload.pop("m", {}))
    async with db.uow() as uow:
        await uow.outbox.enqueue(
            chat_id, {**message.to_payload(), **payload}, key, T0, ticket_id=ticket_id
        )
        await uow.commit()


async def ticket_messages(db) -> list[tuple[int, int, int | None, int]]:
    async with db.uow() as uow:
        found = (
            await uow.session.exec(select(TicketMessage).order_by(col(TicketMessage.message_id)))
        ).all()
        return [(m.chat_id, m.message_id, m.thread_id, m.ticket_id) for m in found]


async def test_edit_of_edits_the_last_message_of_the_earlier_row_and_sends_nothing(
    db, chat, delivery
):
    await put(db, "card", text="新工单", buttons=BUTTONS, m={"photos": ("p1", "p2")})
    await put(db, "card:ack", text="已受理", edit_of="card")
    report = await drain(delivery())
    assert (report.sent, report.failed) == (2, 0)
    assert chat.texts() == ["新工单"]  # the album and its text; the edit sent nothing
    stored = await rows(db)
    card_ids = stored["card"].message_ids
    assert len(card_ids) == 3
    assert chat.edits == [Edited(GROUP, card_ids[-1], Message("已受理"))]
    edit = stored["card:ack"]
    assert (edit.message_ids, edit.attempts, edit.last_error) == ([card_ids[-1]], 1, None)
    assert edit.sent_at is not None


async def test_an_edit_counts_one_part_for_the_rate_limiter(db, chat, delivery):
    await put(db, "card", text="新工单", buttons=BUTTONS)
    # photos in an edit change nothing: it is one call to Telegram, whatever the payload holds
    await put(db, "card:ack", text="已受理", edit_of="card", m={"photos": ("p1", "p2")})
    assert parts_of((await rows(db))["card:ack"]) == 1
    sender = delivery(limits=THREE_A_MINUTE)
    chat.pacer = sender._limiter
    await drain(sender)
    assert len(chat.edits) == 1 and len(chat.sent) == 1
    assert sender._limiter.wait_time(GROUP, 1) == 0
    assert sender._limiter.wait_time(GROUP, 2) > 0  # two of three taken


async def test_editing_a_single_photo_edits_its_caption(db, chat, delivery):
    await put(db, "card", text="新工单", m={"photos": ("p1",)})
    await put(db, "card:ack", text="已受理", buttons=BUTTONS, edit_of="card")
    await drain(delivery())
    [edited] = chat.edits
    assert edited.message == Message("已受理", BUTTONS, photos=("p1",))


async def test_edit_of_a_row_that_was_never_sent_gives_up_with_the_reason(db, chat, delivery):
    await put(db, "card", text="新工单")
    await put(db, "card:ack", text="已受理", edit_of="card")
    await put(db, "nothing:ack", text="已受理", edit_of="no such key")
    await put(db, "elsewhere", chat_id=7, text="私聊")
    await put(db, "elsewhere:ack", text="已受理", edit_of="elsewhere")  # another chat's row
    chat.script[GROUP] = [Rejected("Bad Request: message is too long")]
    report = await drain(delivery())
    assert (report.sent, report.failed) == (1, 4)
    stored = await rows(db)
    for key in ("card:ack", "nothing:ack", "elsewhere:ack"):
        assert stored[key].last_error == "the message to edit was never sent"
        assert stored[key].failed_at is not None and stored[key].sent_at is None
    assert chat.edits == [] and chat.texts() == ["私聊"]


async def test_a_topic_is_opened_once_even_when_the_first_send_fails(db, chat, clock, delivery):
    await put(db, "card", text="新工单 JH-0001", topic="JH-0001 5栋 灯坏了")
    chat.script[GROUP] = [Unreachable("502 Bad Gateway")]
    sender = delivery()
    assert (await drain(sender)).retried == 1
    [(chat_id, name, thread_id)] = chat.topics
    assert (chat_id, name) == (GROUP, "JH-0001 5栋 灯坏了")
    row = (await rows(db))["card"]
    assert (row.thread_id, row.sent_at) == (thread_id, None)  # kept before the send was tried
    clock.advance(60)
    assert (await drain(sender)).sent == 1
    assert len(chat.topics) == 1
    [sent] = chat.sent
    assert sent.message == Message("新工单 JH-0001", thread_id=thread_id)
    row = (await rows(db))["card"]
    assert (row.thread_id, row.message_ids, row.attempts) == (thread_id, [sent.message_ids[0]], 2)


async def test_a_topic_counts_one_more_part_and_is_paid_for_once(db, chat, clock, delivery):
    await put(db, "card", text="新工单", topic="JH-0001")
    assert parts_of((await rows(db))["card"]) == 2
    sender = delivery(limits=THREE_A_MINUTE)
    chat.pacer = sender._limiter  # as the Telegram transport paces each of its calls
    await drain(sender)
    assert len(chat.topics) == 1 and len(chat.sent) == 1
    assert clock.slept == []  # neither call was counted twice
    assert sender._limiter.wait_time(GROUP, 1) == 0
    assert sender._limiter.wait_time(GROUP, 2) > 0
    row = (await rows(db))["card"]
    assert parts_of(row) == 1  # sent: its topic exists now


async def test_a_topic_the_chat_refuses_gives_the_row_up_and_a_429_retries_it(
    db, chat, clock, delivery
):
    await put(db, "a", text="新工单", topic="JH-0001")
    chat.topic_errors = [Rejected("Bad Request: the chat is not a forum")]
    sender = delivery()
    report = await drain(sender)
    assert (report.failed, report.sent) == (1, 0)
    stored = await rows(db)
    assert stored["a"].last_error == "Rejected: Bad Request: the chat is not a forum"
    assert stored["a"].thread_id is None and chat.texts(GROUP) == []

    await put(db, "c", text="新工单", topic="JH-0003")
    chat.topic_errors = [RetryLater(5)]
    assert (await drain(sender)).retried == 1
    assert (await rows(db))["c"].thread_id is None
    clock.advance(5)
    assert (await drain(sender)).sent == 1
    [(_, name, thread_id)] = chat.topics
    assert name == "JH-0003" and chat.sent[0].message.thread_id == thread_id


async def test_thread_of_and_reply_of_resolve_to_the_earlier_rows(db, chat, delivery):
    await put(db, "card", text="新工单", topic="JH-0001")
    await put(db, "note", text="已派单", thread_of="card", reply_of="card")
    await put(db, "plain", text="无主题", thread_of="no such key", reply_of="no such key")
    await drain(delivery())
    stored = await rows(db)
    [(_, _, thread_id)] = chat.topics
    note = next(d.message for d in chat.sent if d.message.text == "已派单")
    assert note == Message("已派单", reply_to=stored["card"].message_ids[-1], thread_id=thread_id)
    assert stored["note"].thread_id == thread_id  # recorded when sent
    plain = next(d.message for d in chat.sent if d.message.text == "无主题")
    assert plain == Message("无主题")
    assert stored["plain"].thread_id is None


async def test_reply_of_a_row_given_up_sends_without_a_reply(db, chat, delivery):
    await put(db, "card", text="新工单", m={"thread_id": 77})
    await put(db, "note", text="补充", reply_of="card", thread_of="card")
    chat.script[GROUP] = [Rejected("Bad Request: message thread not found")]
    report = await drain(delivery())
    assert (report.failed, report.sent) == (1, 1)
    [sent] = chat.sent
    assert sent.message == Message("补充")  # the card never went to thread 77


async def test_a_row_about_a_ticket_notes_each_of_its_messages(
    db, chat, clock, delivery, community
):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    assert ticket.id is not None
    album = {"photos": ("p1", "p2")}
    await put(db, "card", ticket_id=ticket.id, text="新工单", topic="JH-0001", m=album)
    await put(db, "card:ack", ticket_id=ticket.id, text="已受理", edit_of="card")
    await put(db, "private", chat_id=1001, text="收到")  # not about a ticket: nothing noted
    chat.script[GROUP] = [Unreachable("timeout")]
    sender = delivery()
    await drain(sender)
    assert await ticket_messages(db) == []  # nothing is noted before the row is sent
    clock.advance(60)
    await drain(sender)
    await drain(sender)
    stored = await rows(db)
    [(_, _, thread_id)] = chat.topics
    assert stored["card"].thread_id == thread_id and stored["card:ack"].thread_id == thread_id
    expected = [(GROUP, part, thread_id, ticket.id) for part in stored["card"].message_ids]
    assert len(expected) == 3
    assert await ticket_messages(db) == expected  # the edit's message was noted already


async def test_mark_sent_keeps_a_stored_thread_and_notes_ticket_messages_once(db, community):
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow())
    async with db.uow() as uow:
        await uow.outbox.enqueue(GROUP, {"text": "a"}, "a", T0, ticket_id=ticket.id)
        await uow.outbox.enqueue(GROUP, {"text": "b"}, "b", T0, ticket_id=ticket.id)
        await uow.commit()
    async with db.uow() as uow:
        a, b = await uow.outbox.by_key("a"), await uow.outbox.by_key("b")
        assert a is not None and b is not None and await uow.outbox.by_key("c") is None
        assert await uow.outbox.set_thread(a.id, 55)
        assert await uow.outbox.mark_sent(a.id, T0, [11, 12])  # no thread given: keeps 55
        assert await uow.outbox.mark_sent(b.id, T0, [12], thread_id=56)  # 12 noted already
        assert not await uow.outbox.mark_sent(a.id, T0 + timedelta(seconds=1), [13])
        assert not await uow.outbox.set_thread(a.id, 99)  # a sent row never changes
        await uow.commit()
    async with db.uow() as uow:
        a = await uow.outbox.by_key("a")
        b = await uow.outbox.by_key("b")
        assert isinstance(a, Outbox) and isinstance(b, Outbox)
        assert (a.thread_id, a.message_ids, b.thread_id) == (55, [11, 12], 56)
    assert await ticket_messages(db) == [(GROUP, 11, 55, ticket.id), (GROUP, 12, 55, ticket.id)]
