"""The handlers' side, path by path, through the real bot on both frameworks and both databases:
transfers, rejections, resolving without a photo, an unsatisfied resident, strangers pressing
buttons, the staff lists, and re-triage. Each test asserts what people see and what is stored."""

from datetime import timedelta

import pytest
from sqlmodel import select

from storage.models import (
    AttachmentStage,
    Conversation,
    Satisfaction,
    TicketFollower,
    TriageCorrection,
)
from tests.scenarios.intake_support import (
    COMMUNITY_CHAT,
    PROPERTY_CHAT,
    attachments,
    current,
    events,
    tickets,
)
from tests.scenarios.staff_support import (
    card,
    card_shows,
    data_of,
    event_log,
    member,
    press,
    press_stale,
    said,
    shows,
    started,
    team_id,
    ticket_row,
)
from tests.scenarios.test_intake import file_one
from tickets.labels import Category, Route, Urgency
from tickets.lifecycle import Status

NOT_ALLOWED = "您不是这张工单所属团队的成员，无法操作。"  # staff.not_allowed
LIGHT = "楼道灯坏了，晚上很黑"


@pytest.fixture
def mode() -> str:
    """The handlers do not care how updates arrive; test_basics covers the webhook."""
    return "polling"


async def card_of(sandbox, chat: int, label: str):
    """The card of `label` in a team chat, once it has arrived."""

    def there() -> bool:
        return any(
            (m.text or "").lstrip("🚨🟠🟡🆕✅✔↩ ").startswith(label) for m in sandbox.messages(chat)
        )

    await sandbox.wait_until(there, 10)
    return card(sandbox, chat, label)


async def click(sandbox, user, message, text: str, chat=None) -> dict:
    """Press a button that is not expected to change its message; the bot's answer."""
    query = await user.press(message.message_id, text=text, chat=chat)
    return await sandbox.wait_for_answer(query, timeout=10)


async def asked(sandbox, user, message, button: str, words: str, chat) -> object:
    """Press `button` on `message`; the question or menu the bot then sends (it says `words`)."""
    await click(sandbox, user, message, button, chat=chat)
    return await said(sandbox, chat.id, words)


async def resolve_with_photo(sandbox, handler, chat, card_message, note: str) -> None:
    """办结 with an "after" photo."""
    prompt = await asked(sandbox, handler, card_message, "办结", "处理后的照片", chat)
    await handler.send_photo(note, chat=chat, reply_to=prompt.message_id)
    await said(sandbox, chat.id, "已办结，已请居民评价")


async def followers(db, ticket_id: int) -> list[int]:
    """The person ids following a ticket."""
    async with db.uow() as uow:
        query = select(TicketFollower.person_id).where(TicketFollower.ticket_id == ticket_id)
        return list((await uow.session.exec(query)).all())


async def corrections(db) -> list[TriageCorrection]:
    """The handlers' corrections of the triage, oldest first."""
    async with db.uow() as uow:
        rows = list(
            (await uow.session.exec(select(TriageCorrection).order_by(TriageCorrection.id))).all()
        )
        uow.session.expunge_all()
        return rows


async def person_id(db, user) -> int:
    async with db.uow() as uow:
        person = await uow.people.by_telegram_id(user.id)
        assert person is not None and person.id is not None
        return person.id


# 1 ------------------------------------------------------------------------------------------


async def test_transfer_to_the_community_and_back(running):
    # The property handler hands the ticket to the grid workers with a reason; their chat gets a
    # card saying where it came from, the old card says where it went. A grid worker sends it
    # back, and a third card appears in the property chat.
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5101, "王阿姨", language_code="zh-hans")
    handler = sandbox.user(6101, "张师傅", language_code="zh-hans")
    worker = sandbox.user(6102, "李网格员", language_code="zh-hans")
    property_chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    community_chat = sandbox.group(COMMUNITY_CHAT, "锦城社区网格员", members=[worker])
    await member(db, handler, "jh-property")
    await member(db, worker, "grid-workers")
    await file_one(running, resident, LIGHT, "3栋", "2单元")
    [ticket] = await tickets(db)
    first = await card_of(sandbox, PROPERTY_CHAT, "JH-0001")

    reason = "小区路灯归社区管理，请网格员协调"
    question = await asked(sandbox, handler, first, "转办", "转办 JH-0001 的原因", property_chat)
    await handler.send(reason, chat=property_chat, reply_to=question.message_id)
    await said(sandbox, PROPERTY_CHAT, "已转办给「锦城社区网格员」")

    left = await shows(sandbox, first, "已转至「锦城社区网格员」处理")
    assert left.button_texts() == []
    there = await card_of(sandbox, COMMUNITY_CHAT, "JH-0001")
    assert f"由「锦华苑物业服务中心」转来：{reason}" in there.text
    assert "状态：待接单" in there.text and "接单" in there.button_texts()
    take_there = data_of(there, "接单")  # kept: an edit takes the buttons away
    row = await ticket_row(db, ticket.id)
    assert row.team_id == await team_id(db, "grid-workers") and row.route is Route.COMMUNITY
    assert (row.status, row.assignee_id) == (Status.NEW, None)
    [moved] = [e for e in await event_log(db, ticket.id) if e.kind == "transferred"]
    assert moved.data == {"from": "jh-property", "to": "grid-workers", "reason": reason}
    await said(sandbox, resident.id, "JH-0001 已转交「锦城社区网格员」处理")

    # the grid worker sends it back
    back_reason = "经核实是楼道灯，属物业维修范围"
    question = await asked(sandbox, worker, there, "转办", "转办 JH-0001 的原因", community_chat)
    await worker.send(back_reason, chat=community_chat, reply_to=question.message_id)
    await said(sandbox, COMMUNITY_CHAT, "已转办给「锦华苑物业服务中心」")
    gone = await shows(sandbox, there, "已转至「锦华苑物业服务中心」处理")
    assert gone.button_texts() == []
    await sandbox.wait_until(
        lambda: card(sandbox, PROPERTY_CHAT, "JH-0001").message_id != first.message_id, 10
    )
    third = card(sandbox, PROPERTY_CHAT, "JH-0001")
    assert f"由「锦城社区网格员」转来：{back_reason}" in third.text
    assert "接单" in third.button_texts()
    assert "已转至「锦城社区网格员」" in current(sandbox, PROPERTY_CHAT, first.message_id).text
    row = await ticket_row(db, ticket.id)
    assert row.team_id == await team_id(db, "jh-property") and row.route is Route.PROPERTY
    assert [e.kind for e in await event_log(db, ticket.id)].count("transferred") == 2

    # a phone still showing the community card's buttons: the press says where the ticket went
    answer = await press_stale(sandbox, worker, there, take_there)
    assert "这张工单已转至「锦华苑物业服务中心」" in (answer["text"] or "")  # staff.moved
    assert (await ticket_row(db, ticket.id)).status is Status.NEW


# 2 ------------------------------------------------------------------------------------------


async def test_reject_as_a_duplicate_then_as_not_ours(running):
    # JH-0002 is the same problem as JH-0001: its reporter now follows JH-0001 and hears when it
    # is resolved. JH-0003 is not the property's job: its reporter reads the handler's reason.
    sandbox, db = running.sandbox, running.db
    first_reporter = sandbox.user(5201, "王阿姨", language_code="zh-hans")
    second_reporter = sandbox.user(5202, "李叔", language_code="zh-hans")
    third_reporter = sandbox.user(5203, "赵先生", language_code="zh-hans")
    handler = sandbox.user(6201, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")
    await file_one(running, first_reporter, LIGHT, "3栋", "2单元")
    await file_one(running, second_reporter, "楼道灯又坏了", "5栋", "1单元")
    one, two = await tickets(db)

    second = await card_of(sandbox, PROPERTY_CHAT, "JH-0002")
    menu = await asked(sandbox, handler, second, "退回", "退回 JH-0002 的原因", chat)
    assert menu.button_texts() == ["不属于我们的职责", "与其他工单重复", "取消"]
    question = await asked(sandbox, handler, menu, "与其他工单重复", "JH-0002 与哪张工单重复", chat)
    await handler.send("JH-0001", chat=chat, reply_to=question.message_id)
    await said(sandbox, PROPERTY_CHAT, "已退回，居民已收到原因")

    rejected = await shows(sandbox, second, "状态：已退回")
    assert rejected.button_texts() == []
    row = await ticket_row(db, two.id)
    assert row.status is Status.REJECTED and row.duplicate_of_id == one.id
    assert await person_id(db, second_reporter) in await followers(db, one.id)
    await said(sandbox, second_reporter.id, "JH-0002 与 JH-0001 是同一问题")
    assert (await ticket_row(db, one.id)).status is Status.NEW  # the other one goes on

    # not in our remit, with a reason the resident reads
    await file_one(running, third_reporter, "单元门禁坏了", "1栋", "1单元")
    third = await card_of(sandbox, PROPERTY_CHAT, "JH-0003")
    menu = await asked(sandbox, handler, third, "退回", "退回 JH-0003 的原因", chat)
    question = await asked(
        sandbox, handler, menu, "不属于我们的职责", "写下退回 JH-0003 的原因", chat
    )
    reason = "门禁由业委会另行招标维护，请联系业委会"
    await handler.send(reason, chat=chat, reply_to=question.message_id)
    await said(sandbox, third_reporter.id, f"JH-0003 已退回：{reason}")
    row = (await tickets(db))[2]
    assert row.status is Status.REJECTED and row.duplicate_of_id is None

    # JH-0001 is resolved: its reporter is asked, the follower is told
    await resolve_with_photo(
        sandbox, handler, chat, card(sandbox, PROPERTY_CHAT, "JH-0001"), "灯已换好"
    )
    await said(sandbox, first_reporter.id, "您的报修 JH-0001 已办结")
    await said(sandbox, second_reporter.id, "您关注的报修 JH-0001 已办结")


# 3 ------------------------------------------------------------------------------------------


async def test_resolve_without_a_photo(running):
    # 办结 asks for an "after" photo; words alone are asked again. 跳过照片 asks why there is
    # none, and that reason reaches the resident as the note, with the verdict buttons.
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5301, "王阿姨", language_code="zh-hans")
    handler = sandbox.user(6301, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")
    await file_one(running, resident, LIGHT, "3栋", "2单元")
    [ticket] = await tickets(db)
    first = await card_of(sandbox, PROPERTY_CHAT, "JH-0001")

    prompt = await asked(sandbox, handler, first, "办结", "处理后的照片", chat)
    assert prompt.button_texts() == ["跳过照片", "取消"]
    await handler.send("修好了", chat=chat, reply_to=prompt.message_id)
    again = await said(sandbox, PROPERTY_CHAT, "请发送照片，或点“跳过照片”")
    assert "跳过照片" in again.button_texts()
    assert (await ticket_row(db, ticket.id)).status is Status.NEW

    why = await asked(sandbox, handler, again, "跳过照片", "说明为什么没有处理后的照片", chat)
    note = "灯泡已更换，夜间现场无法拍照"
    await handler.send(note, chat=chat, reply_to=why.message_id)
    await said(sandbox, PROPERTY_CHAT, "已办结，已请居民评价")

    result = await said(sandbox, resident.id, "JH-0001 已办结")
    assert result.kind == "text" and result.photos == []
    assert f"处理说明：{note}" in result.text
    assert result.button_texts() == ["满意", "基本满意", "不满意"]
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "待居民评价")
    row = await ticket_row(db, ticket.id)
    assert row.status is Status.RESOLVED
    after = [a for a in await attachments(db, ticket.id) if a.stage is AttachmentStage.AFTER]
    assert after == []
    [done] = [e for e in await event_log(db, ticket.id) if e.kind == "resolved"]
    assert done.data == {"note": note, "photos": 0}


# 4 ------------------------------------------------------------------------------------------


async def test_an_unsatisfied_resident_reopens_and_escalates(running):
    # 不满意 asks why; the reason reopens the ticket, climbs one rung, tells the team chat and
    # the team's lead. The old verdict buttons no longer work.
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5401, "王阿姨", language_code="zh-hans")
    handler = sandbox.user(6401, "张师傅", language_code="zh-hans")
    lead = sandbox.user(6402, "刘经理", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler, lead])
    await member(db, handler, "jh-property")
    await member(db, lead, "jh-property", role="lead")
    await started(sandbox, lead)
    await started(sandbox, handler)
    await file_one(running, resident, LIGHT, "3栋", "2单元")
    [ticket] = await tickets(db)
    first = await card_of(sandbox, PROPERTY_CHAT, "JH-0001")
    await press(sandbox, handler, first, "接单", chat=chat)
    await resolve_with_photo(
        sandbox, handler, chat, await shows(sandbox, first, "已接单"), "灯已换好"
    )
    verdict = await said(sandbox, resident.id, "JH-0001 已办结")
    satisfied = data_of(verdict, "满意")
    level = (await ticket_row(db, ticket.id)).escalation_level

    _, why = await press(sandbox, resident, verdict, "不满意")
    assert "很抱歉没能让您满意" in why.text and why.button_texts() == []
    await resident.send("灯还是一闪一闪的，没修好")
    await said(sandbox, resident.id, "JH-0001 已重新打开并上报负责人")

    row = await ticket_row(db, ticket.id)
    assert row.status is Status.REOPENED and row.satisfaction is Satisfaction.UNSATISFIED
    assert row.escalation_level > level  # climbed: above the handler, to the team's lead
    kinds = await events(db, ticket.id)
    assert kinds.index("rated") < kinds.index("reopened") < kinds.index("escalated")
    [climb] = [e for e in await event_log(db, ticket.id) if e.kind == "escalated"]
    assert climb.data["level"] == row.escalation_level and climb.data["to"] == "team_lead"
    await said(sandbox, PROPERTY_CHAT, "JH-0001 已重新打开：灯还是一闪一闪的，没修好")
    reopened = await shows(sandbox, first, "状态：已重新打开")
    assert "接单" in reopened.button_texts()

    # the verdict message as a phone that missed the edit still shows it
    answer = await press_stale(sandbox, resident, verdict, satisfied)
    assert answer["text"] == "这张工单已不在待评价状态。"  # verdict.too_late
    assert (await ticket_row(db, ticket.id)).status is Status.REOPENED

    # the person in charge hears of it privately
    await said(sandbox, lead.id, "JH-0001 已上报：灯还是一闪一闪的，没修好")


# 5 ------------------------------------------------------------------------------------------


async def test_people_without_the_right_are_refused_and_nothing_changes(running):
    # A resident in the team chat and a member of another team press every button of a card:
    # each press is refused and nothing is stored. A handler pressing the resident's verdict is
    # refused too, and the staff commands are not for residents.
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5501, "王阿姨", language_code="zh-hans")
    stranger = sandbox.user(5502, "路人甲", language_code="zh-hans")
    outsider = sandbox.user(6502, "李网格员", language_code="zh-hans")
    handler = sandbox.user(6501, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler, stranger, outsider])
    await member(db, handler, "jh-property")
    await member(db, outsider, "grid-workers")
    await file_one(running, resident, LIGHT, "3栋", "2单元")
    [ticket] = await tickets(db)
    first = await card_of(sandbox, PROPERTY_CHAT, "JH-0001")
    seen = len(sandbox.messages(PROPERTY_CHAT))

    for person in (stranger, outsider):
        for button in ("接单", "回复", "转办", "改级", "退回", "办结"):
            answer = await click(sandbox, person, first, button, chat=chat)
            assert answer["text"] == NOT_ALLOWED, (person.first_name, button, answer)
    row = await ticket_row(db, ticket.id)
    assert (row.status, row.assignee_id, row.team_id) == (Status.NEW, None, ticket.team_id)
    assert await events(db, ticket.id) == ["created"]
    async with db.uow() as uow:
        assert (await uow.session.exec(select(Conversation))).all() == []  # no question open
    assert len(sandbox.messages(PROPERTY_CHAT)) == seen  # no menu, no question
    assert current(sandbox, PROPERTY_CHAT, first.message_id).edits == []

    # the resident's verdict is the resident's
    await resolve_with_photo(sandbox, handler, chat, first, "灯已换好")
    verdict = await said(sandbox, resident.id, "JH-0001 已办结")
    answer = await click(sandbox, handler, verdict, "满意", chat=resident.id)
    assert answer["text"] == "这不是您的报修，无法查看或操作。"  # ticket.not_yours
    row = await ticket_row(db, ticket.id)
    assert row.status is Status.RESOLVED and row.satisfaction is None

    # staff commands in private, from a resident
    for command in ("/queue", "/mine", "/ticket JH-0001", "/find 3栋"):
        before = len(sandbox.messages(resident.id))
        await resident.send(command)
        [reply] = (await sandbox.wait_for(resident.id, before + 1))[before:]
        assert reply.text == "这个命令只供处理人员使用。", command


# 6 ------------------------------------------------------------------------------------------


async def test_queue_mine_ticket_and_find(running):
    # Three tickets of the property team, one of them overdue: /queue puts it first, /mine shows
    # what the handler took, /ticket shows the card and who did what, /find by building and by
    # words, and a list's button opens the ticket.
    sandbox, db = running.sandbox, running.db
    handler = sandbox.user(6601, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    await member(db, handler, "jh-property")
    await file_one(
        running, sandbox.user(5601, "王阿姨", language_code="zh-hans"), LIGHT, "3栋", "2单元"
    )
    await file_one(
        running, sandbox.user(5602, "李叔", language_code="zh-hans"), "楼道消防栓漏水", "5栋"
    )
    await file_one(
        running, sandbox.user(5603, "周阿姨", language_code="zh-hans"), "电梯门关不上", "1栋"
    )
    *_, three = await tickets(db)
    await press(
        sandbox, handler, await card_of(sandbox, PROPERTY_CHAT, "JH-0001"), "接单", chat=chat
    )
    await card_shows(sandbox, PROPERTY_CHAT, "JH-0001", "处理人：张师傅")
    async with db.uow() as uow:  # JH-0003 should have been answered an hour ago
        late = await uow.tickets.get(three.id, for_update=True)
        late.first_response_due = late.created_at - timedelta(hours=1)
        uow.session.add(late)
        await uow.commit()

    await handler.send("/queue", chat=chat)
    queue = await said(sandbox, PROPERTY_CHAT, "待办工单（3张，超时的在前）")
    lines = queue.text.split("\n")[1:]
    assert lines[0].startswith("⏰ JH-0003") and "电梯" in lines[0]
    assert sorted(line.lstrip("⏰ ")[:7] for line in lines) == ["JH-0001", "JH-0002", "JH-0003"]
    assert not any(line.startswith("⏰") for line in lines[1:])
    assert queue.button_texts()[0] == "JH-0003"

    await handler.send("/mine")
    mine = await said(sandbox, handler.id, "我的工单（1张）")
    assert "JH-0001" in mine.text and "JH-0002" not in mine.text and "JH-0003" not in mine.text

    await handler.send("/ticket JH-0001", chat=chat)
    shown = await said(sandbox, PROPERTY_CHAT, "处理记录：")
    assert shown.text.split("\n")[0].endswith("JH-0001 · 中等 · 公共设施维修")
    assert "提交报修 · 王阿姨" in shown.text and "工作人员已接单 · 张师傅" in shown.text
    assert shown.button_texts() == ["回复", "转办", "改级", "退回", "办结"]

    await handler.send("/find 3栋")
    found = await said(sandbox, handler.id, "查找“3栋”")
    assert "JH-0001" in found.text and "JH-0002" not in found.text and "JH-0003" not in found.text
    await handler.send("/find 漏水")
    found = await said(sandbox, handler.id, "查找“漏水”")
    assert found.button_texts() == ["JH-0002"]
    answer = await click(sandbox, handler, found, "JH-0002")
    assert not answer["text"]
    opened = await said(sandbox, handler.id, "楼道消防栓漏水")
    assert opened.text.split("\n")[0].endswith("JH-0002 · 中等 · 公共设施维修")
    assert "处理记录：" in opened.text and "接单" in opened.button_texts()


# 7 ------------------------------------------------------------------------------------------


async def test_retriage_changes_the_level_then_moves_to_the_community(running):
    # 改级 offers the levels and categories. 疑难 redraws the card (and keeps the correction for
    # training); a category of the community's route (邻里纠纷) moves the ticket to the grid
    # workers, whose chat gets a card.
    sandbox, db = running.sandbox, running.db
    resident = sandbox.user(5701, "王阿姨", language_code="zh-hans")
    handler = sandbox.user(6701, "张师傅", language_code="zh-hans")
    chat = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[handler])
    sandbox.group(COMMUNITY_CHAT, "锦城社区网格员")
    await member(db, handler, "jh-property")
    await file_one(running, resident, LIGHT, "3栋", "2单元")
    [ticket] = await tickets(db)
    first = await card_of(sandbox, PROPERTY_CHAT, "JH-0001")

    menu = await asked(sandbox, handler, first, "改级", "调整 JH-0001 的紧急程度或类别", chat)
    assert menu.button_texts()[:4] == ["紧急", "疑难", "· 中等", "一般"]
    answer = await click(sandbox, handler, menu, "疑难", chat=chat)
    assert answer["text"] == "已调整，时限已重新计算。"
    harder = await shows(sandbox, first, "JH-0001 · 疑难 · 公共设施维修")
    assert harder.text.startswith("🟠") and "已联系" in harder.button_texts()
    row = await ticket_row(db, ticket.id)
    assert row.urgency is Urgency.DIFFICULT
    [fix] = await corrections(db)
    assert (fix.was_urgency, fix.urgency) == (Urgency.MEDIUM, Urgency.DIFFICULT)
    assert fix.category is Category.REPAIR and fix.ticket_id == ticket.id

    await click(sandbox, handler, menu, "邻里纠纷", chat=chat)
    there = await card_of(sandbox, COMMUNITY_CHAT, "JH-0001")
    assert "疑难 · 邻里纠纷" in there.text and "接单" in there.button_texts()
    left = await shows(sandbox, first, "已转至「锦城社区网格员」处理")
    assert left.button_texts() == []
    row = await ticket_row(db, ticket.id)
    assert row.team_id == await team_id(db, "grid-workers") and row.route is Route.COMMUNITY
    assert row.category is Category.NEIGHBOR and row.status is Status.NEW
    fixes = await corrections(db)
    assert [f.category for f in fixes] == [Category.REPAIR, Category.NEIGHBOR]
    assert [e.kind for e in await event_log(db, ticket.id)].count("retriaged") == 2
