"""Resident intake through the real bot on both frameworks: private chat, the group, /my."""

from datetime import timedelta

import pytest
from sqlmodel import select

from handlers.texts import t
from storage.models import Conversation, Person, TicketFollower
from tests.scenarios.intake_support import (
    GROUP,
    PROPERTY_CHAT,
    attachments,
    events,
    last,
    queued,
    tap,
    tickets,
)
from tickets.community import Intake
from tickets.lifecycle import Status


@pytest.fixture
def mode() -> str:
    """The handlers do not care how updates arrive; test_basics covers the webhook."""
    return "polling"


async def file_one(running, user, text: str, building: str, unit: str = "1单元"):
    """A resident files a ticket from one message, tapping what the words did not say."""
    sandbox = running.sandbox
    count = len(sandbox.messages(user.id))
    await user.send(text)
    question = await last(sandbox, user.id, count + 1)
    _, question = await tap(sandbox, user, question, "锦华苑")
    if building:
        _, question = await tap(sandbox, user, question, building)
    if unit:
        _, question = await tap(sandbox, user, question, unit)
    _, done = await tap(sandbox, user, question, "✅ 提交")
    return done


async def test_album_then_text_files_a_ticket_with_three_photos_in_four_taps(running):
    sandbox = running.sandbox
    sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心")
    user = sandbox.user(4001, "王阿姨", language_code="zh-hans")
    await user.send_album(3)
    asked = await last(sandbox, user.id, 1)
    assert "哪个小区" in asked.text and "收下3张照片" in asked.text
    await user.send("楼道灯坏了，晚上很黑")
    question = await last(sandbox, user.id, 2)
    assert "哪个小区" in question.text

    taps = 0
    for button in ("锦华苑", "3栋", "2单元"):
        _, question = await tap(sandbox, user, question, button)
        taps += 1
    assert "请核对" in question.text
    assert "楼道灯坏了，晚上很黑" in question.text and "3张照片" in question.text
    assert "锦华苑 3栋 2单元" in question.text
    _, done = await tap(sandbox, user, question, "✅ 提交")
    taps += 1

    assert taps == 4
    assert "已提交，编号 JH-0001" in done.text
    assert "物业将在4小时内响应，24小时内办结" in done.text and "响应截止" in done.text
    [ticket] = await tickets(running.db)
    assert (ticket.text, ticket.unit, ticket.status) == ("楼道灯坏了，晚上很黑", "2", Status.NEW)
    assert ticket.first_response_due is not None and ticket.next_remind_at is not None
    assert [a.kind.value for a in await attachments(running.db, ticket.id)] == ["photo"] * 3
    assert await events(running.db, ticket.id) == ["created"]
    notices = await sandbox.wait_for(PROPERTY_CHAT, 4, timeout=10)  # the album, then the words
    assert [m.kind for m in notices] == ["photo", "photo", "photo", "text"]
    assert "JH-0001 · 中等" in notices[-1].text and "3栋 2单元" in notices[-1].text
    assert "接单" in notices[-1].button_texts()
    async with running.db.uow() as uow:
        person = await uow.people.by_telegram_id(user.id)
        assert person.building_id == ticket.building_id and person.unit == "2"


async def test_text_then_two_photos_make_one_report_and_the_place_comes_from_the_words(running):
    sandbox = running.sandbox
    user = sandbox.user(4002, "李叔", language_code="zh-hans")
    await user.send("3栋2单元电梯不动了")
    await last(sandbox, user.id, 1)
    await user.send_album(2)
    question = await last(sandbox, user.id, 2)
    assert "收下2张照片" in question.text
    _, summary = await tap(sandbox, user, question, "锦华苑")  # the words said 3栋2单元
    assert "锦华苑 3栋 2单元" in summary.text and "2张照片" in summary.text
    assert "电梯" in summary.text
    _, done = await tap(sandbox, user, summary, "✅ 提交")
    assert "JH-0001" in done.text
    [ticket] = await tickets(running.db)
    assert ticket.category.value == "elevator"
    assert len(await attachments(running.db, ticket.id)) == 2


async def test_a_restart_in_the_middle_of_a_report_loses_nothing(running):
    sandbox = running.sandbox
    user = sandbox.user(4003, "周阿姨", language_code="zh-hans")
    await user.send("5栋门禁坏了，刷卡进不去")
    question = await last(sandbox, user.id, 1)
    await running.stop()
    await running.start()
    _, question = await tap(sandbox, user, question, "锦华苑")
    assert "5栋的哪个单元" in question.text
    await running.stop()
    await running.start()
    _, summary = await tap(sandbox, user, question, "1单元")
    assert "刷卡进不去" in summary.text
    _, done = await tap(sandbox, user, summary, "✅ 提交")
    assert "JH-0001" in done.text


async def test_a_group_report_from_a_resident_who_never_started_the_bot(running):
    sandbox = running.sandbox
    resident = sandbox.user(4004, "张先生", language_code="zh-hans")
    group = sandbox.group(GROUP, "锦华苑业主群", members=[resident])
    await resident.send("今天天气不错", chat=group)
    message = await resident.send("#报修 楼道里的灯坏了", chat=group)
    reply = await last(sandbox, GROUP, 1)
    assert reply.reply_to_message_id == message["message_id"]
    assert "已登记，编号 JH-0001" in reply.text and "还没有私聊过我" in reply.text
    assert "张先生" not in reply.text
    [ticket] = await tickets(running.db)
    [[button]] = reply.buttons
    assert button.url.endswith(f"?start=t{ticket.id}")
    assert (ticket.source_chat_id, ticket.building_id) == (GROUP, None)

    await resident.send(f"/start t{ticket.id}")
    question = await last(sandbox, resident.id, 1)
    assert "JH-0001 已登记" in question.text and "锦华苑的哪里" in question.text
    _, question = await tap(sandbox, resident, question, "2栋")
    _, done = await tap(sandbox, resident, question, "3单元")
    assert "已为 JH-0001 补充地点" in done.text and "2栋 3单元" in done.text
    [ticket] = await tickets(running.db)
    assert ticket.building_id is not None and ticket.unit == "3"
    assert await events(running.db, ticket.id) == ["created", "place_given"]
    await sandbox.wait_for(GROUP, 1)
    assert len(sandbox.messages(GROUP)) == 1  # the chatter was ignored


async def test_mention_and_slash_report_open_a_report_and_a_started_resident_is_told_so(running):
    sandbox = running.sandbox
    resident = sandbox.user(4014, "刘姐", language_code="zh-hans")
    await resident.send("/start")
    await last(sandbox, resident.id, 1)
    group = sandbox.group(GROUP, "锦华苑业主群", members=[resident])
    await resident.send(f"@{running.bot.transport.username} 8号楼门口垃圾没人收", chat=group)
    first = await last(sandbox, GROUP, 1)
    assert "JH-0001" in first.text and "私信通知您" in first.text
    await resident.send("/report 2栋门口的路灯不亮", chat=group)
    second = await last(sandbox, GROUP, 2)
    assert "JH-0002" in second.text
    texts = [t.text for t in await tickets(running.db)]
    assert texts == ["8号楼门口垃圾没人收", "2栋门口的路灯不亮"]


async def test_a_group_the_community_does_not_know_is_politely_refused(running):
    sandbox = running.sandbox
    resident = sandbox.user(4015, "陌生人", language_code="zh-hans")
    group = sandbox.group(-100999, "别的群", members=[resident])
    await resident.send("#报修 路灯坏了", chat=group)
    reply = await last(sandbox, group.id, 1)
    assert "还没有登记" in reply.text and reply.buttons[0][0].url
    assert await tickets(running.db) == []


async def test_adding_the_bot_to_a_group_explains_the_set_up(running):
    sandbox = running.sandbox
    admin = sandbox.user(4016, "物业小王", language_code="zh-hans")
    group = sandbox.group(-100998, "新业主群", members=[admin], add_bot=False)
    group.add_bot(by=admin)
    reply = await last(sandbox, group.id, 1)
    assert "/setprivacy" in reply.text and "-100998" in reply.text


async def test_two_residents_reporting_the_same_lift_follow_one_ticket(running):
    sandbox = running.sandbox
    sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心")
    first = sandbox.user(4005, "赵大爷", language_code="zh-hans")
    second = sandbox.user(4006, "钱阿姨", language_code="zh-hans")
    await file_one(running, first, "3栋电梯坏了，停在5楼不动", "", "1单元")
    await second.send("3栋的电梯又坏了")
    question = await last(sandbox, second.id, 1)
    _, question = await tap(sandbox, second, question, "锦华苑")
    _, summary = await tap(sandbox, second, question, "2单元")
    assert "JH-0001" in summary.text and "同样的问题" in summary.text
    _, done = await tap(sandbox, second, summary, "👍 我也遇到了，跟进 JH-0001")
    assert "已为您跟进 JH-0001" in done.text
    [ticket] = await tickets(running.db)
    assert await events(running.db, ticket.id) == ["created", "followed"]
    async with running.db.uow() as uow:
        [follower] = (await uow.session.exec(select(TicketFollower))).all()
        assert follower.ticket_id == ticket.id
    notices = await sandbox.wait_for(PROPERTY_CHAT, 2, timeout=10)
    assert "共2人" in notices[-1].text

    await second.send("/my")  # the follower sees the ticket too
    listing = await last(sandbox, second.id, 2)
    assert "JH-0001" in listing.text


async def test_a_button_pressed_by_someone_else_is_refused(running):
    sandbox = running.sandbox
    owner = sandbox.user(4007, "孙姐", language_code="zh-hans")
    other = sandbox.user(4008, "路人", language_code="zh-hans")
    await owner.send("1栋楼道灯坏了")
    question = await last(sandbox, owner.id, 1)
    answer, after = await tap(sandbox, other, question, "锦华苑", chat=owner.id)
    assert answer["text"] == "这个按钮是给发起报修的居民用的。"
    assert after.text == question.text
    async with running.db.uow() as uow:
        conversation = await uow.conversations.get(owner.id, owner.id)
        assert conversation.step == "report.compound"


async def test_a_stale_button_from_an_old_draft_is_refused(running):
    sandbox = running.sandbox
    user = sandbox.user(4009, "吴叔", language_code="zh-hans")
    await user.send("灯坏了")
    old = await last(sandbox, user.id, 1)
    await user.send("/cancel")
    assert "已取消" in (await last(sandbox, user.id, 2)).text
    await user.send("门坏了")
    new = await last(sandbox, user.id, 3)
    answer, _ = await tap(sandbox, user, old, "锦华苑")
    assert answer["text"] == "这个按钮属于之前的报修，已经失效了。"
    _, question = await tap(sandbox, user, new, "锦华苑")
    assert "锦华苑的哪里" in question.text


async def test_a_foreign_resident_reports_in_english(running):
    sandbox = running.sandbox
    user = sandbox.user(4010, "Anna", language_code="en-GB")
    await user.send("The streetlight by gate 2 has been out since Monday")
    question = await last(sandbox, user.id, 1)
    assert question.text.startswith("Which compound")
    _, question = await tap(sandbox, user, question, "锦华苑")
    assert "Where in 锦华苑" in question.text
    _, summary = await tap(sandbox, user, question, "🌳 Common area (roads, gates, gardens)")
    assert "Please check your report" in summary.text and "Common area" in summary.text
    _, done = await tap(sandbox, user, summary, "✅ Submit")
    assert "Submitted as JH-0001" in done.text and "will respond within 4 h" in done.text


async def test_my_tickets_open_add_a_photo_and_cancel(running):
    sandbox = running.sandbox
    sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心")
    user = sandbox.user(4011, "郑阿姨", language_code="zh-hans")
    await file_one(running, user, "1栋1单元楼道灯坏了", "", "")
    count = len(sandbox.messages(user.id))
    await user.send("/my")
    listing = await last(sandbox, user.id, count + 1)
    assert "JH-0001" in listing.text and "待受理" in listing.text
    _, opened = await tap(sandbox, user, listing, "JH-0001")
    assert "提交报修" in opened.text
    _, asking = await tap(sandbox, user, opened, "➕ 补充信息")
    assert "补充给 JH-0001" in asking.text
    await user.send_photo(caption="晚上更暗了")
    confirmed = await last(sandbox, user.id, count + 2)
    assert "已把您补充的内容转给 JH-0001" in confirmed.text
    [ticket] = await tickets(running.db)
    assert await events(running.db, ticket.id) == ["created", "resident_message"]
    assert len(await attachments(running.db, ticket.id)) == 1
    await sandbox.wait_until(
        lambda: any(
            "居民补充：晚上更暗了" in (m.text or "") for m in sandbox.messages(PROPERTY_CHAT)
        )
    )

    await user.send("/my")
    listing = await last(sandbox, user.id, count + 3)
    _, opened = await tap(sandbox, user, listing, "JH-0001")
    _, asking = await tap(sandbox, user, opened, "撤销报修")
    _, done = await tap(sandbox, user, asking, "确认撤销")
    assert "已撤销 JH-0001" in done.text
    [ticket] = await tickets(running.db)
    assert ticket.status is Status.CANCELLED and ticket.next_remind_at is None
    rows = await queued(running.db, PROPERTY_CHAT)
    assert "已被居民撤销" in rows[-1].payload["text"]


async def test_a_voice_note_is_kept_and_a_sticker_mid_report_loses_nothing(running):
    sandbox = running.sandbox
    user = sandbox.user(4012, "冯大爷", language_code="zh-hans")
    await user.send_voice()
    question = await last(sandbox, user.id, 1)
    _, question = await tap(sandbox, user, question, "锦华苑")
    assert "收到1条语音" in question.text
    await user.send_sticker()
    again = await last(sandbox, user.id, 2)
    assert "看不懂表情" in again.text and "收到1条语音" in again.text
    _, question = await tap(sandbox, user, again, "不用写了，照片（语音）已经说清楚")
    _, summary = await tap(sandbox, user, question, "🌳 公共区域（小区道路、大门、花园等）")
    _, done = await tap(sandbox, user, summary, "✅ 提交")
    assert "JH-0001" in done.text
    [ticket] = await tickets(running.db)
    assert [a.kind.value for a in await attachments(running.db, ticket.id)] == ["voice"]
    assert ticket.place_note == "common_area"


async def age_draft(db, user_id: int, by: timedelta) -> None:
    """Make a resident's draft look older, as if they had left it."""
    async with db.uow() as uow:
        query = select(Conversation).where(Conversation.user_id == user_id)
        conversation = (await uow.session.exec(query)).one()
        conversation.updated_at -= by
        await uow.commit()


async def test_a_draft_left_for_a_while_is_offered_again_and_an_old_one_is_dropped(running):
    sandbox = running.sandbox
    user = sandbox.user(4013, "陈姐", language_code="zh-hans")
    await user.send("车库的灯坏了")
    await last(sandbox, user.id, 1)
    await age_draft(running.db, user.id, timedelta(hours=1))
    await user.send("补充：已经两天了")
    offer = await last(sandbox, user.id, 2)
    assert "还没提交的报修" in offer.text and "车库的灯坏了" in offer.text
    _, question = await tap(sandbox, user, offer, "接着填写")
    assert "哪个小区" in question.text

    await age_draft(running.db, user.id, timedelta(hours=25))
    await user.send("水管漏水")
    messages = await sandbox.wait_for(user.id, 4, timeout=10)
    assert any("已经删除" in (m.text or "") and "车库的灯坏了" in m.text for m in messages)
    async with running.db.uow() as uow:
        conversation = await uow.conversations.get(user.id, user.id)
        assert conversation.data["text"] == "水管漏水"


async def test_the_per_resident_limit_keeps_the_draft_and_says_so(running):
    await running.stop()
    running.community = running.community.model_copy(
        update={"intake": Intake(reports_per_resident=1)}
    )
    await running.start()
    sandbox = running.sandbox
    user = sandbox.user(4017, "多事先生", language_code="zh-hans")
    await file_one(running, user, "1栋楼道灯坏了", "")
    count = len(sandbox.messages(user.id))
    await user.send("2栋门禁坏了")  # the compound is remembered from the first report
    question = await last(sandbox, user.id, count + 1)
    _, summary = await tap(sandbox, user, question, "1单元")
    _, after = await tap(sandbox, user, summary, "✅ 提交")
    assert "暂时不能再提交" in after.text
    assert len(await tickets(running.db)) == 1
    async with running.db.uow() as uow:
        assert (await uow.conversations.get(user.id, user.id)) is not None


async def test_people_are_remembered_as_started_only_from_private_chat(running):
    sandbox = running.sandbox
    user = sandbox.user(4018, "新住户", language_code="zh-hans")
    group = sandbox.group(GROUP, "锦华苑业主群", members=[user])
    await user.send("/report 3栋门口有个坑", chat=group)
    await last(sandbox, GROUP, 1)
    async with running.db.uow() as uow:
        person = (await uow.session.exec(select(Person).where(Person.telegram_id == 4018))).one()
        assert person.started_at is None
    await user.send("/start")
    await last(sandbox, user.id, 1)
    async with running.db.uow() as uow:
        person = (await uow.session.exec(select(Person).where(Person.telegram_id == 4018))).one()
        assert person.started_at is not None


async def test_with_privacy_mode_on_mention_reply_and_slash_report_still_work(running):
    sandbox = running.sandbox
    sandbox.world.privacy = True  # Telegram's default for bots in groups
    resident = sandbox.user(4019, "黄阿姨", language_code="zh-hans")
    group = sandbox.group(GROUP, "锦华苑业主群", members=[resident])
    await resident.send("#报修 1栋门口的灯坏了", chat=group)  # hidden from the bot by privacy mode
    await resident.send(f"@{running.bot.transport.username} 1栋门口的灯坏了", chat=group)
    first = await last(sandbox, GROUP, 1)
    assert "JH-0001" in first.text
    await resident.send("还有5栋的垃圾桶满了", chat=group, reply_to=first.message_id)
    second = await last(sandbox, GROUP, 2)
    assert "JH-0002" in second.text
    await resident.send("/report 2栋的路灯也不亮", chat=group)
    third = await last(sandbox, GROUP, 3)
    assert "JH-0003" in third.text
    assert len(await tickets(running.db)) == 3


async def test_adding_to_a_ticket_keeps_the_report_being_written(running):
    sandbox = running.sandbox
    user = sandbox.user(4020, "何老师", language_code="zh-hans")
    await file_one(running, user, "1栋1单元楼道灯坏了", "", "")
    count = len(sandbox.messages(user.id))
    await user.send("2栋门禁坏了")  # a second report, left at the unit question
    unit_question = await last(sandbox, user.id, count + 1)
    await user.send("/my")
    listing = await last(sandbox, user.id, count + 2)
    _, opened = await tap(sandbox, user, listing, "JH-0001")
    await tap(sandbox, user, opened, "➕ 补充信息")
    await user.send("灯还是不亮")
    assert "已把您补充的内容" in (await last(sandbox, user.id, count + 3)).text
    _, summary = await tap(sandbox, user, unit_question, "1单元")
    assert "2栋门禁坏了" in summary.text and "请核对" in summary.text


async def test_an_unsure_triage_asks_the_resident_what_the_report_is_about(running):
    sandbox = running.sandbox
    user = sandbox.user(4020, "Oleg", language_code="en")
    await user.send("Здравствуйте, у нас в подъезде проблема, посмотрите пожалуйста")
    question = await last(sandbox, user.id, 1)
    _, question = await tap(sandbox, user, question, "锦华苑")
    _, summary = await tap(sandbox, user, question, "🌳 Common area (roads, gates, gardens)")
    assert "not sure what this is about" in summary.text
    candidates = [row[0].text for row in summary.buttons[:3]]
    assert len(set(candidates)) == 3 and "✅ Submit" in summary.button_texts()
    _, summary = await tap(sandbox, user, summary, candidates[1])
    assert "not sure" not in summary.text and candidates[1] in summary.text
    _, done = await tap(sandbox, user, summary, "✅ Submit")
    assert "Submitted as JH-0001" in done.text
    [ticket] = await tickets(running.db)
    assert t("en", f"category.{ticket.category.value}") == candidates[1]
    assert ticket.route is ticket.category.default_route
