"""Helpers for the sandbox tests: the test token, a raw Bot API client, a hand-moved clock, and
the forum-topic check that both frameworks' Chat ports must pass."""

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.delivery import RateLimiter, RateLimits
from bot.sandbox import Sandbox
from bot.telegram.chat import Kit, TelegramChat
from handlers.chat import Message, Rejected

TOKEN = "123456:TEST-token_abc"
BOT_ID = 123456


@dataclass
class Answer:
    """One Bot API answer: HTTP status and the JSON envelope."""

    status: int
    body: dict[str, Any]

    @property
    def result(self) -> Any:
        assert self.body["ok"], self.body
        return self.body["result"]

    @property
    def description(self) -> str:
        return self.body["description"]


class RawApi:
    """Calls /bot<token>/<method> with JSON (default), a form, or multipart uploads."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str = TOKEN) -> None:
        self.session = session
        self.url = url
        self.token = token

    async def __call__(self, method: str, files: dict[str, Any] | None = None, **params) -> Answer:
        url = f"{self.url}/bot{self.token}/{method}"
        if files is None:
            async with self.session.post(url, json=params) as response:
                return Answer(response.status, await response.json())
        form = aiohttp.FormData()
        for key, value in params.items():
            form.add_field(key, value if isinstance(value, str) else json.dumps(value))
        for key, (name, data) in files.items():
            form.add_field(key, data, filename=name)
        async with self.session.post(url, data=form) as response:
            return Answer(response.status, await response.json())

    async def form(self, method: str, **params: str) -> Answer:
        """An application/x-www-form-urlencoded call, as python-telegram-bot makes them."""
        async with self.session.post(f"{self.url}/bot{self.token}/{method}", data=params) as r:
            return Answer(r.status, await r.json())

    async def control(self, verb: str, path: str, body: Any = None) -> Answer:
        """A call to the control API under /_sandbox/."""
        async with self.session.request(verb, f"{self.url}/_sandbox{path}", json=body) as r:
            return Answer(r.status, await r.json())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def check_forum_topics(bot: Any, kit: Kit, sandbox: Sandbox) -> None:
    """The real TelegramChat over `bot` opens a topic in a forum group and sends into it."""
    chat = TelegramChat(bot, kit, RateLimiter(RateLimits.off()), "courtyard_sandbox_bot")
    forum = sandbox.group(-1001500, "锦华苑报修", forum=True, bot_admin=True)
    long_name = "JH-0001 " + "灯" * 200
    thread = await chat.create_topic(forum.id, long_name)
    assert forum.chat.topics[thread]["name"] == long_name[:127] + "…"  # 128, Telegram's limit

    card = await chat.send(forum.id, Message("新工单 JH-0001", thread_id=thread))
    assert card.thread_id == thread
    [shown] = sandbox.messages(forum)
    assert (shown.message_id, shown.thread_id) == (card.message_ids[0], thread)
    resident = sandbox.user(1001, "王阿姨")
    photos = tuple(m["photo"][-1]["file_id"] for m in await resident.send_album(2))
    album = await chat.send(forum.id, Message("照片", photos=photos, thread_id=thread))
    assert album.thread_id == thread and len(album.message_ids) == 3
    assert {m.thread_id for m in sandbox.messages(forum)} == {thread}

    reply = await chat.send(forum.id, Message("已派单", reply_to=card.message_ids[0]))
    assert reply.thread_id == thread  # a reply lands in its message's topic
    general = await chat.send(forum.id, Message("公告"))
    assert general.thread_id is None

    plain = sandbox.group(-1001501, "锦华苑业主群")
    with pytest.raises(Rejected, match=r"(?i)chat is not a forum"):
        await chat.create_topic(plain.id, "JH-0002")
