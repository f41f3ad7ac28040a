"""Administrators set teams up in Telegram, on both frameworks: /bind, /invite, /team."""

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.sandbox import Sandbox, SentMessage
from handlers import dispatch
from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import Incoming, Sender
from handlers.report.wording import moment
from handlers.texts import t
from storage.models import Invite, MemberRole, Membership, Team
from tests.conftest import Database
from tests.contract.helpers import T0, seed
from tests.scenarios.conftest import RunningBot
from tests.scenarios.intake_support import COMMUNITY_CHAT, PROPERTY_CHAT, last, tap
from tickets.community import CommunityConfig

ADMIN = 9001
NEW_GROUP = -1001000800  # a forum supergroup the tf-property team will use
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def mode() -> str:
    """The handlers do not care how updates arrive; test_basics covers the webhook."""
    return "polling"


@pytest.fixture
async def running(
    sandbox: Sandbox, db: Database, community: CommunityConfig, framework: str, mode: str
) -> AsyncIterator[RunningBot]:
    """The bot with one administrator in BOT_ADMINS."""
    bot = RunningBot(sandbox, db, community, framework, mode)
    await bot.start(bot_admins=(ADMIN,))
    try:
        yield bot
    finally:
        await bot.stop()


async def team_row(db: Database, code: str) -> Team:
    async with db.uow() as uow:
        team = await uow.community.team(code)
        assert team is not None
        uow.session.expunge_all()
        return team


async def roles(db: Database, code: str) -> dict[int, MemberRole]:
    """A team's members by Telegram id, with their roles."""
    team = await team_row(db, code)
    assert team.id is not None
    async with db.uow() as uow:
        return {p.telegram_id: m.role for p, m in await uow.members.members(team.id)}


async def answer_to(sandbox: Sandbox, chat: int, user, text: str, count: int) -> SentMessage:
    """Send `text` and return the bot's `count`th message in that chat."""
    await user.send(text, chat=None if chat == user.id else chat)
    return await last(sandbox, chat, count)


async def press(sandbox: Sandbox, user, message: SentMessage, text: str):
    """Press a button of a bot message, in a group or in the user's private chat."""
    chat = None if message.chat_id == user.id else message.chat_id
    return await tap(sandbox, user, message, text, chat)


async def refused(sandbox: Sandbox, user, message: SentMessage, text: str) -> str:
    """Press a button that should be refused: the notice the user sees (no edit to wait for)."""
    chat = None if message.chat_id == user.id else message.chat_id
    query = await user.press(message.message_id, text=text, chat=chat)
    return (await sandbox.wait_for_answer(query, timeout=10))["text"]


def token_in(text: str) -> str:
    match = re.search(r"\?start=i([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


async def invite_link(sandbox: Sandbox, admin, team: str, role: str, count: int) -> str:
    """The admin's /invite in private, through its buttons: the link's token."""
    choice = await answer_to(sandbox, admin.id, admin, "/invite", count)
    _, choice = await press(sandbox, admin, choice, team)
    assert "什么角色" in choice.text and choice.button_texts() == ["处理人", "负责人", "督办"]
    _, done = await press(sandbox, admin, choice, role)
    assert f"「{team}」（{role}）" in done.text and done.buttons == []
    return token_in(done.text)


async def test_an_admin_binds_a_group_to_a_team_with_the_buttons(running):
    sandbox = running.sandbox
    admin = sandbox.user(ADMIN, "社区小周", language_code="zh-hans")
    group = sandbox.group(NEW_GROUP, "天府花园物业群", members=[admin], forum=True)
    choice = await answer_to(sandbox, group.id, admin, "/bind", 1)
    assert "绑定到哪个团队" in choice.text
    assert choice.button_texts() == ["锦城社区网格员", "锦华苑物业服务中心", "天府花园物业服务中心"]
    answer, bound = await press(sandbox, admin, choice, "天府花园物业服务中心")
    assert not answer.get("text")
    assert (
        bound.text == "✅ 本群现在是「天府花园物业服务中心」的工作群，该团队的报修通知会发到这里。"
    )
    team = await team_row(running.db, "tf-property")
    assert (team.chat_id, team.forum) == (NEW_GROUP, True)

    # the same group bound to another team is moved, and the first team lets go of it
    choice = await answer_to(sandbox, group.id, admin, "/bind@" + running.bot.transport.username, 2)
    _, moved = await press(sandbox, admin, choice, "锦城社区网格员")
    assert "不再是「天府花园物业服务中心」的工作群" in moved.text
    assert (await team_row(running.db, "grid-workers")).chat_id == NEW_GROUP
    assert (await team_row(running.db, "tf-property")).chat_id is None

    private = await answer_to(sandbox, admin.id, admin, "/bind", 1)
    assert "请在团队的工作群里发送 /bind" in private.text


async def test_an_invited_lead_joins_once_and_a_link_stops_working(running):
    sandbox, db = running.sandbox, running.db
    admin = sandbox.user(ADMIN, "社区小周", language_code="zh-hans")
    lead = sandbox.user(5001, "王经理", language_code="zh-hans", username="wangjl")
    token = await invite_link(sandbox, admin, "锦华苑物业服务中心", "负责人", 1)
    async with db.uow() as uow:
        invite = await uow.members.invite_by_token(token)
        assert invite is not None and invite.expires_at - invite.created_at == timedelta(days=2)
        uow.session.expunge(invite)
    assert (
        f"{moment('zh-CN', invite.expires_at, TZ)}前有效（2天）"
        in sandbox.messages(admin.id)[0].text
    )

    welcome = await answer_to(sandbox, lead.id, lead, f"/start i{token}", 1)
    assert "欢迎加入「锦华苑物业服务中心」，您的角色是负责人" in welcome.text
    assert all(command in welcome.text for command in ("/queue", "/mine", "/ticket", "/find"))
    assert (await roles(db, "jh-property"))[lead.id] is MemberRole.LEAD

    again = await answer_to(sandbox, lead.id, lead, f"/start i{token}", 2)
    assert "这个邀请链接已经用过了" in again.text and "向社区管理员索取新的链接" in again.text
    other = sandbox.user(5002, "路人", language_code="zh-hans")
    taken = await answer_to(sandbox, other.id, other, f"/start i{token}", 1)
    assert "已经用过了" in taken.text
    assert other.id not in await roles(db, "jh-property")

    late = await invite_link(sandbox, admin, "锦城社区网格员", "处理人", 2)
    async with db.uow() as uow:
        await uow.session.exec(
            update(Invite).where(col(Invite.token) == late).values(expires_at=invite.created_at)
        )
        await uow.commit()
    expired = await answer_to(sandbox, other.id, other, f"/start i{late}", 2)
    assert "这个邀请链接已在" in expired.text and "过期" in expired.text
    bogus = await answer_to(sandbox, other.id, other, "/start iNoSuchToken", 3)
    assert "这个邀请链接无效" in bogus.text
    assert other.id not in await roles(db, "grid-workers")


async def test_team_lists_members_and_an_admin_removes_one(running):
    sandbox, db = running.sandbox, running.db
    admin = sandbox.user(ADMIN, "社区小周", language_code="zh-hans")
    lead = sandbox.user(5011, "王经理", language_code="zh-hans", username="wangjl")
    handler = sandbox.user(5012, "李师傅", language_code="zh-hans")
    for count, (user, role) in enumerate(((lead, "负责人"), (handler, "处理人")), start=1):
        token = await invite_link(sandbox, admin, "锦华苑物业服务中心", role, count)
        await answer_to(sandbox, user.id, user, f"/start i{token}", 1)
    group = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[admin, lead, handler])

    listed = await answer_to(sandbox, group.id, handler, "/team", 1)
    assert listed.text.splitlines() == [
        "👥 锦华苑物业服务中心",
        "工作群：已绑定",
        "· 王经理（负责人）@wangjl",
        "· 李师傅（处理人）",
    ]
    assert listed.buttons == []  # only administrators remove people
    mine = await answer_to(sandbox, handler.id, handler, "/team", 2)
    assert mine.text == listed.text

    everything = await answer_to(sandbox, admin.id, admin, "/team", 3)
    assert "👥 锦城社区网格员" in everything.text and "👥 天府花园物业服务中心" in everything.text
    assert "还没有成员" in everything.text and "工作群：未绑定" in everything.text
    _, ask = await press(sandbox, admin, everything, "✖ 移除 李师傅（锦华苑物业服务中心）")
    assert "确定要把 李师傅（处理人）移出「锦华苑物业服务中心」吗" in ask.text
    _, kept = await press(sandbox, admin, ask, "取消")
    assert kept.text.startswith("👥 锦华苑物业服务中心")
    assert handler.id in await roles(db, "jh-property")
    in_group = await answer_to(sandbox, group.id, admin, "/team", 2)  # pressed later, when stale
    _, ask = await press(sandbox, admin, kept, "✖ 移除 李师傅（锦华苑物业服务中心）")
    _, done = await press(sandbox, admin, ask, "确认移除")
    assert done.text.startswith("✅ 已把 李师傅 移出「锦华苑物业服务中心」。")
    assert "李师傅（处理人）" not in done.text
    assert done.button_texts() == ["✖ 移除 王经理（锦华苑物业服务中心）"]
    assert await roles(db, "jh-property") == {lead.id: MemberRole.LEAD}

    stale = await refused(sandbox, admin, in_group, "✖ 移除 李师傅（锦华苑物业服务中心）")
    assert stale == "李师傅 已经不是「锦华苑物业服务中心」的成员了。"
    gone = await answer_to(sandbox, handler.id, handler, "/team", 3)
    assert "这个命令只供社区和物业的工作人员使用" in gone.text


async def test_people_who_are_not_administrators_are_refused(running):
    sandbox, db = running.sandbox, running.db
    admin = sandbox.user(ADMIN, "社区小周", language_code="zh-hans")
    resident = sandbox.user(6001, "张阿姨", language_code="zh-hans")
    stranger = sandbox.user(6002, "Tom", language_code="en")
    member = sandbox.user(6003, "李师傅", language_code="zh-hans")
    token = await invite_link(sandbox, admin, "锦华苑物业服务中心", "处理人", 1)
    await answer_to(sandbox, member.id, member, f"/start i{token}", 1)
    group = sandbox.group(PROPERTY_CHAT, "锦华苑物业服务中心", members=[admin, resident, member])

    admins_only = "抱歉，只有社区管理员才能使用这个命令。如需设置团队，请联系社区办公室。"
    staff_only = "这个命令只供社区和物业的工作人员使用"
    assert (await answer_to(sandbox, group.id, resident, "/bind", 1)).text == admins_only
    assert (await answer_to(sandbox, group.id, member, "/bind", 2)).text == admins_only
    assert (await answer_to(sandbox, group.id, resident, "/invite", 3)).text == admins_only
    assert staff_only in (await answer_to(sandbox, group.id, resident, "/team", 4)).text
    assert (await answer_to(sandbox, resident.id, resident, "/invite", 1)).text == admins_only
    assert staff_only in (await answer_to(sandbox, resident.id, resident, "/team", 2)).text
    english = await answer_to(sandbox, stranger.id, stranger, "/bind", 1)
    assert english.text.startswith("Sorry, only the community's administrators can use this")
    assert (
        "for community and property staff only"
        in (await answer_to(sandbox, stranger.id, stranger, "/team", 2)).text
    )

    other_team = sandbox.group(COMMUNITY_CHAT, "网格员群", members=[member])
    not_theirs = await answer_to(sandbox, other_team.id, member, "/team", 1)
    assert not_theirs.text == "您不是「锦城社区网格员」的成员，不能查看它的成员名单。"
    unbound = sandbox.group(-100900, "闲聊群", members=[member])
    assert "还没有绑定团队" in (await answer_to(sandbox, unbound.id, member, "/team", 1)).text

    refusal = "只有社区管理员才能操作这个按钮。"
    binding = await answer_to(sandbox, group.id, admin, "/bind", 5)
    assert await refused(sandbox, resident, binding, "锦城社区网格员") == refusal
    assert await refused(sandbox, member, binding, "锦城社区网格员") == refusal
    inviting = await answer_to(sandbox, group.id, admin, "/invite", 6)
    assert "请私聊我使用 /invite" in inviting.text and not inviting.buttons  # no link in a group
    listing = await answer_to(sandbox, group.id, admin, "/team", 7)
    remove = "✖ 移除 李师傅（锦华苑物业服务中心）"
    assert listing.button_texts() == [remove]
    assert await refused(sandbox, resident, listing, remove) == refusal
    assert await refused(sandbox, member, listing, remove) == refusal
    english = await refused(sandbox, stranger, listing, remove)
    assert english == "Only the community's administrators can use this button."

    assert all(not m.edits for m in sandbox.messages(group.id))  # nothing changed on screen ...
    assert (await team_row(db, "jh-property")).chat_id == PROPERTY_CHAT  # ... nor in the database
    assert member.id in await roles(db, "jh-property")
    async with db.uow() as uow:  # nobody was invited or removed by the refused presses
        assert len((await uow.session.exec(select(Invite))).all()) == 1
        assert len((await uow.session.exec(select(Membership))).all()) == 1


class Recorder:
    """A Chat that records button answers and edits (the handlers' side only)."""

    def __init__(self) -> None:
        self.answers: list[str | None] = []
        self.edits: list[Message] = []

    async def answer(self, callback_id: str, text: str | None = None, alert: bool = False) -> None:
        self.answers.append(text)

    async def edit(self, chat_id: int, message_id: int, message: Message) -> None:
        self.edits.append(message)


async def test_button_data_is_never_trusted(db, community):
    """Ids in callback data are looked up again: forged or stale data changes nothing."""
    await seed(db.uow(), community)
    async with db.uow() as uow:
        team = await uow.community.team("jh-property")
        outsider = await uow.people.seen(7001, "外人", T0)
        await uow.commit()
    chat = Recorder()
    ctx = Context(chat, db.uow, lambda: T0, community, TZ, frozenset({ADMIN}))  # type: ignore[arg-type]
    zh = "zh-CN"
    cases = {
        "s:bind:999": t(zh, "setup.gone"),
        "s:bind:abc": t(zh, "setup.gone"),
        "s:it:-1": t(zh, "setup.gone"),
        f"s:ir:{team.id}:boss": t(zh, "setup.gone"),
        f"s:ir:{team.id}": t(zh, "setup.gone"),
        f"s:rm:{team.id}:999": t(zh, "setup.gone"),
        f"s:rmy:{team.id}:{outsider.id}": t(
            zh, "setup.team.not_a_member", name="外人", team="锦华苑物业服务中心"
        ),
        "s:drop:1": t(zh, "button.unknown"),
        "s:rm": t(zh, "button.unknown"),
    }
    sender = Sender(ADMIN, "社区小周", language="zh-hans")
    for data in cases:
        press = Incoming(
            update_id=1,
            chat_id=PROPERTY_CHAT,
            chat_type="supergroup",
            sender=sender,
            at=T0,
            callback_id="q",
            callback_data=data,
            callback_message_id=5,
        )
        await dispatch.handle(ctx, press)
    assert chat.answers == list(cases.values())
    assert chat.edits == []
    async with db.uow() as uow:
        assert [row.chat_id for row in await uow.community.teams()] == [
            COMMUNITY_CHAT,
            PROPERTY_CHAT,
            None,
        ]
        assert (await uow.session.exec(select(Invite))).all() == []
