"""The handlers' side through the real bot on both frameworks: cards, buttons, replies, verdicts."""

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.models import Satisfaction
from tests.scenarios.intake_support import PROPERTY_CHAT, events, last, tickets
from tests.scenarios.staff_support import (
    card,
    card_shows,
    member,
    press,
    said,
    settled,
    started,
    ticket_row,
)
from tests.scenarios.test_intake import file_one
from tickets.lifecycle import Status


@pytest.fixture
def mode() -> str:
    """The handlers do not care how updates arrive; test_basics covers the webhook."""
    return "polling"


async def test_a_medium_ticket_from_card_to_satisfied_resident(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5001, "王阿姨", language_code="zh-hans")
    handler = sandbox.user(6001, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")

    await file_one(running, resident, "楼道灯坏了，晚上很黑", "3栋", "2单元")
    new = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001")
    assert "待接单" in new.text and "3栋 2单元" in new.text
    assert new.button_texts() == ["接单", "回复", "转办", "改级", "退回", "办结"]

    answer, _ = await press(sandbox, handler, new, "接单", chat=chat)
    assert "已接单" in answer["text"]
    taken = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "处理人：张师傅")
    assert "已接单" in taken.text and "接单" not in taken.button_texts()
    seen = len(sandbox.messages(resident.id))
    note = await last(sandbox, resident.id, seen)
    assert "已有工作人员接单" in note.text

    # a Telegram reply to the card goes to the resident, without the handler's account
    await handler.send("明天上午9点上门更换灯泡", chat=chat, reply_to=taken.message_id)
    relayed = await last(sandbox, resident.id, seen + 1)
    assert "锦华苑物业服务中心" in relayed.text and "明天上午9点上门更换灯泡" in relayed.text
    assert "张师傅" not in relayed.text
    [ticket] = await tickets(db)
    assert ticket.first_responded_at is not None

    # the resident's answer to it comes back under the card
    before = len(sandbox.messages(PROPERTY_CHAT))
    await settled(db, resident.id)
    await resident.send("好的，谢谢", reply_to=relayed.message_id)
    back = await last(sandbox, PROPERTY_CHAT, before + 1)
    assert "好的，谢谢" in back.text and back.reply_to_message_id == taken.message_id

    # resolve with an "after" photo: the resident gets it with the three buttons
    _, _ = await press(sandbox, handler, card(sandbox, PROPERTY_CHAT, "JH-0001"), "办结", chat=chat)
    prompt = await said(sandbox, PROPERTY_CHAT, "处理后的照片")
    await handler.send_photo("灯已换好", chat=chat, reply_to=prompt.message_id)
    result = await said(sandbox, resident.id, "已办结")
    assert result.kind == "photo" and "已办结" in result.text and "灯已换好" in result.text
    assert result.button_texts() == ["满意", "基本满意", "不满意"]
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "待居民评价")

    answer, thanked = await press(sandbox, resident, result, "满意")
    assert "感谢您的评价" in thanked.text
    closed = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "居民评价：满意")
    assert closed.button_texts() == []
    row = await ticket_row(db, ticket.id)
    assert row.status is Status.CLOSED and row.satisfaction is Satisfaction.SATISFIED
    kinds = await events(db, ticket.id)
    for kind in (
        "acknowledged",
        "assigned",
        "replied",
        "resident_message",
        "resolved",
        "rated",
        "closed",
    ):
        assert kind in kinds


async def test_an_emergency_alerts_everyone_and_tells_the_resident_whom_to_call(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5002, "刘先生", language_code="zh-hans")
    handler = sandbox.user(6002, "赵师傅", language_code="zh-hans")
    lead = sandbox.user(6003, "钱经理", language_code="zh-hans")
    supervisor = sandbox.user(6004, "孙书记", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler, lead])
    await member(db, handler, "jh-property")
    await member(db, lead, "jh-property", "lead")
    await member(db, supervisor, "grid-workers", "supervisor")
    for person in (lead, supervisor):
        await started(sandbox, person)

    done = await file_one(running, resident, "厨房燃气泄漏，闻到很浓的煤气味", "3栋", "2单元")
    assert "119" in done.text and "JH-0001" in done.text
    new = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001")
    assert new.text.startswith("🚨") and "紧急" in new.text
    alarm = await said(sandbox, PROPERTY_CHAT, "紧急报修 JH-0001")
    assert alarm.reply_to_message_id == new.message_id
    for person in (lead, supervisor):
        alert = await said(sandbox, person.id, "紧急报修 JH-0001")
        assert "燃气泄漏" in alert.text and "接单" in alert.button_texts()
    assert not [m for m in sandbox.messages(handler.id) if "紧急" in (m.text or "")]

    # the lead takes it from the private alert; the card in the chat follows
    alert = await said(sandbox, lead.id, "紧急报修 JH-0001")
    answer, _ = await press(sandbox, lead, alert, "接单")
    assert "已接单" in answer["text"]
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "处理人：钱经理")
    answer, _ = await press(
        sandbox, handler, card(sandbox, PROPERTY_CHAT, "JH-0001"), "回复", chat=chat
    )
    prompt = await said(sandbox, PROPERTY_CHAT, "赵师傅，请回复本消息")
    await handler.send("已关闭总阀，燃气公司10分钟内到", chat=chat, reply_to=prompt.message_id)
    await said(sandbox, resident.id, "已关闭总阀")
    [ticket] = await tickets(db)
    assert ticket.first_responded_at is not None and ticket.assignee_id is not None


async def test_a_difficult_ticket_is_contacted_with_measures_and_a_committed_deadline(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5003, "陈女士", language_code="zh-hans")
    handler = sandbox.user(6005, "吴师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")

    await file_one(running, resident, "3栋外墙渗水，几户都受影响，需要整体维修", "", "1单元")
    new = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001")
    assert "疑难" in new.text and "已联系" in new.button_texts()
    await press(sandbox, handler, new, "已联系", chat=chat)
    ask = await said(sandbox, PROPERTY_CHAT, "采取了哪些措施")
    await handler.send("已上门查看，先做临时防水，再报维修基金", chat=chat, reply_to=ask.message_id)
    when = await said(sandbox, PROPERTY_CHAT, "承诺什么时候办结")
    assert {"明天18:00", "3天后", "7天后"} <= set(when.button_texts())
    await handler.send("下周三", chat=chat, reply_to=when.message_id)  # not a date it can read
    again = await said(sandbox, PROPERTY_CHAT, "没看懂这个日期")
    await handler.send("12-05 17:00", chat=chat, reply_to=again.message_id)
    told = await said(sandbox, resident.id, "处理措施")
    assert "临时防水" in told.text and "12月5日 17:00" in told.text
    shown = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "处理中")
    assert "办结截止：12月5日 17:00" in shown.text
    [ticket] = await tickets(db)
    assert ticket.committed_deadline is not None
    local = ticket.committed_deadline.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%m-%d %H:%M") == "12-05 17:00"
    assert ticket.resolution_due == ticket.committed_deadline
    assert "contacted" in await events(db, ticket.id)


async def test_a_forum_team_gets_a_topic_per_ticket_and_talks_in_it(running):
    sandbox, db = running.sandbox, running.db
    forum_chat = -1_001_000_000_777
    resident = sandbox.user(5004, "周阿姨", language_code="zh-hans")
    handler = sandbox.user(6006, "郑师傅", language_code="zh-hans")
    forum = sandbox.group(forum_chat, "物业工单", members=[handler], forum=True)
    async with db.uow() as uow:
        team = await uow.community.team("jh-property")
        await uow.members.bind(team, forum_chat, forum=True)
        await uow.commit()
    await member(db, handler, "jh-property")

    await file_one(running, resident, "楼道灯坏了，晚上很黑", "3栋", "2单元")
    new = await card_shows(sandbox, forum_chat, "JH-0001")
    assert new.thread_id is not None
    await settled(db, forum_chat)
    await handler.send("今天下午来修", chat=forum, reply_to=new.message_id)
    relayed = await said(sandbox, resident.id, "今天下午来修")
    await settled(db, resident.id)
    await resident.send("好的", reply_to=relayed.message_id)
    back = await said(sandbox, forum_chat, "居民补充")
    assert back.thread_id == new.thread_id
    # replying took the ticket: the card in the topic says who has it
    taken = await card_shows(sandbox, forum_chat, "JH-0001", "处理人：郑师傅")
    assert taken.thread_id == new.thread_id and "接单" not in taken.button_texts()


async def test_a_long_report_with_one_photo_still_makes_a_card_and_the_reply_arrives(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5005, "冯老师", language_code="zh-hans")
    handler = sandbox.user(6007, "何师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")
    words = "楼道灯坏了，" + "晚上回家的时候楼道里一片漆黑，老人孩子上下楼很危险。" * 60  # ~1,600
    await resident.send_photo(words)
    question = await last(sandbox, resident.id, 1)
    _, question = await press(sandbox, resident, question, "锦华苑")
    _, question = await press(sandbox, resident, question, "3栋")
    _, question = await press(sandbox, resident, question, "2单元")
    await press(sandbox, resident, question, "✅ 提交")

    new = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "…")  # the words cut on the card
    assert new.kind == "photo" and len(new.text) <= 1024 and "接单" in new.button_texts()
    reply = "已安排电工，" + "我们会在今天下午六点前到场检查线路并更换灯具。" * 60
    await settled(db, PROPERTY_CHAT)
    await handler.send_photo(reply[:1000], chat=chat, reply_to=new.message_id)
    relayed = await said(sandbox, resident.id, "已安排电工")
    assert "何师傅" not in relayed.text


async def test_a_phone_number_the_resident_shares_is_on_their_cards(running):
    sandbox = running.sandbox
    resident = sandbox.user(5006, "褚阿姨", language_code="zh-hans")
    sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心")
    await resident.send_contact("13800138000", "褚阿姨")
    assert "已记下您的电话 13800138000" in (await last(sandbox, resident.id, 1)).text
    await file_one(running, resident, "楼道灯坏了，晚上很黑", "3栋", "2单元")
    shown = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "电话：13800138000")
    assert "褚阿姨" not in shown.text  # the place and the phone, not the resident's account


async def test_two_handlers_pressing_take_together_one_gets_it_the_other_is_told(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5007, "卫先生", language_code="zh-hans")
    first, second = sandbox.user(6008, "冯师傅"), sandbox.user(6009, "陈师傅")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[first, second])
    for handler in (first, second):
        await member(db, handler, "jh-property")
    await file_one(running, resident, "楼道灯坏了，晚上很黑", "3栋", "2单元")
    new = await card_shows(sandbox, PROPERTY_CHAT, "JH-0001")

    # both press before either is answered (the service test races them on PostgreSQL too)
    presses = [await h.press(new.message_id, text="接单", chat=chat) for h in (first, second)]
    answers = [(await sandbox.wait_for_answer(query, 10))["text"] for query in presses]
    assert sorted(answers) == ["已接单，记得尽快联系居民。", "已被冯师傅接单。"]
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "处理人：冯师傅")
    [ticket] = await tickets(db)
    assert (await events(db, ticket.id)).count("acknowledged") == 1


async def test_the_running_bot_sweeps_a_due_ticket_and_reminds_the_team_once(running):
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5008, "蒋阿姨", language_code="zh-hans")
    sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心")
    await file_one(running, resident, "楼道灯坏了，晚上很黑", "3栋", "2单元")
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001")
    await running.stop()
    async with db.uow() as uow:  # as if reported 2 hours 5 minutes ago: half time has passed
        [ticket] = await tickets(db)
        stored = await uow.tickets.get(ticket.id)
        earlier = timedelta(hours=2, minutes=5)
        stored.created_at -= earlier
        stored.next_remind_at = stored.created_at + timedelta(hours=2)
        await uow.commit()
    await running.start(sweep_every=0.2)
    reminder = await said(sandbox, PROPERTY_CHAT, "⏰ 提醒：JH-0001 响应截止")
    assert "接单" in reminder.button_texts() and reminder.reply_to_message_id is not None
    await asyncio.sleep(1)  # several sweeps later: still one reminder
    assert len([m for m in sandbox.messages(PROPERTY_CHAT) if "⏰" in (m.text or "")]) == 1
