"""The Sandbox: one aiohttp server with the Bot API, files and control API, plus the Python API."""

import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.sandbox.botapi import BotApi, not_found_as_json
from bot.sandbox.control import ControlApi
from bot.sandbox.errors import SandboxError
from bot.sandbox.groups import SandboxGroup
from bot.sandbox.limits import Limits
from bot.sandbox.methods import commands_key
from bot.sandbox.records import SentMessage, Stats
from bot.sandbox.state import Chat, Person
from bot.sandbox.users import SandboxUser
from bot.sandbox.webhook import WebhookPusher
from bot.sandbox.world import World

MAX_REQUEST = 60 * 1024 * 1024
DEFAULT_USERNAME = "courtyard_sandbox_bot"


class PendingUpdates(list[dict[str, Any]]):
    """The pending updates; also compares with an int as their count (`== 0`, `> 2`)."""

    def __eq__(self, other: object) -> bool:
        return len(self) == other if isinstance(other, int) else super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __gt__(self, other: Any) -> bool:
        return len(self) > other if isinstance(other, int) else super().__gt__(other)

    def __lt__(self, other: Any) -> bool:
        return len(self) < other if isinstance(other, int) else super().__lt__(other)

    __hash__ = None  # type: ignore[assignment]


def chat_key(chat: Any) -> int:
    """A chat id from an id, a SandboxUser (their private chat) or a SandboxGroup."""
    return int(getattr(chat, "id", chat))


class Sandbox:
    """A local Telegram: run the real bot against `url`, drive people from the test."""

    def __init__(
        self,
        limits: Limits | None = None,
        bot_username: str = DEFAULT_USERNAME,
        privacy: bool = True,
        *,
        bot_first_name: str = "Courtyard",
        clock: Callable[[], float] = time.monotonic,
        webhook_retry_delay: float = 0.05,
    ) -> None:
        self.world = World(limits or Limits(), bot_username, privacy, clock, bot_first_name)
        self.bot_api = BotApi(self.world)
        self.webhooks = WebhookPusher(
            self.world.updates, self.bot_api.run_reply, retry_delay=webhook_retry_delay
        )
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0 picks a free port); returns the base URL."""
        app = web.Application(client_max_size=MAX_REQUEST, middlewares=[not_found_as_json])
        app.add_routes(self.bot_api.routes() + ControlApi(self).routes())
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        await web.SockSite(self._runner, sock).start()
        bound = sock.getsockname()[1]
        self._url = (
            f"http://[{host}]:{bound}" if family == socket.AF_INET6 else f"http://{host}:{bound}"
        )
        self.webhooks.start()
        return self._url

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8081 (the Bot API is under /bot<token>/)."""
        if self._url is None:
            raise SandboxError("the sandbox is not started: await sandbox.start() first")
        return self._url

    async def stop(self) -> None:
        """End long polls, stop webhook pushes and close the server."""
        self.world.updates.close()
        await self.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "Sandbox":
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.stop()

    def user(
        self,
        id: int,
        first_name: str = "Test",
        language_code: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
    ) -> SandboxUser:
        """A test user; the same id gives the same user."""
        person = self.world.people.get(id)
        if person is None:
            person = Person(id, first_name, last_name, username, language_code)
            self.world.people[id] = person
        return SandboxUser(self.world, person)

    def group(
        self,
        id: int,
        title: str,
        members: list[SandboxUser] | tuple[SandboxUser, ...] = (),
        forum: bool = False,
        add_bot: bool = True,
        *,
        admins: list[SandboxUser] | tuple[SandboxUser, ...] = (),
        bot_admin: bool = False,
        username: str | None = None,
    ) -> SandboxGroup:
        """A group (forum=True: a forum supergroup); admins[0] is its creator."""
        if id >= 0:
            raise SandboxError("group ids are negative")
        chat = self.world.chats.get(id)
        if chat is None:
            kind = "supergroup" if forum or id <= -1_000_000_000_000 else "group"
            chat = Chat(id, kind, title, username, is_forum=forum, bot_member=add_bot)
            chat.bot_admin = bot_admin
            self.world.chats[id] = chat
        chat.members |= {user.id for user in (*members, *admins)}
        chat.admins += [user.id for user in admins if user.id not in chat.admins]
        return SandboxGroup(self.world, chat)

    def messages(self, chat: Any) -> list[SentMessage]:
        """What the bot sent to a chat, in order (deleted ones are flagged, not dropped)."""
        return list(self.world.sent.get(chat_key(chat), []))

    async def wait_for(
        self,
        chat: Any,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the contract's signature
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least `count` messages to a chat."""
        key = chat_key(chat)
        if not await self.world.wait_until(lambda: len(self.messages(key)) >= count, timeout):
            texts = [(m.message_id, m.kind, m.text) for m in self.messages(key)]
            raise TimeoutError(
                f"chat {key}: expected at least {count} bot message(s) within {timeout} s, "
                f"got {len(texts)}: {texts}"
            )
        return self.messages(key)

    async def wait_until(
        self,
        condition: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109 - like wait_for
    ) -> None:
        """Wait until `condition()` is true (an edit, a delete...); TimeoutError otherwise."""
        if not await self.world.wait_until(lambda: bool(condition()), timeout):
            raise TimeoutError(f"condition not met within {timeout} s")

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """answerCallbackQuery calls by callback query id: text, show_alert, url, cache_time."""
        return self.world.callback_answers

    async def wait_for_answer(
        self,
        callback_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the contract's signature
    ) -> dict[str, Any]:
        """Wait until the bot answers a button press; returns the answer."""
        if not await self.world.wait_until(lambda: callback_id in self.callback_answers, timeout):
            raise TimeoutError(f"callback query {callback_id} not answered within {timeout} s")
        return self.callback_answers[callback_id]

    @property
    def stats(self) -> Stats:
        """Counters: accepted, too_many_requests, per_chat, requests, errors."""
        return self.world.stats

    def set_limits(self, limits: Limits) -> None:
        """Change the flood limits (Limits.off() to switch them off)."""
        self.world.limiter.limits = limits

    @property
    def limits(self) -> Limits:
        """The flood limits in force."""
        return self.world.limiter.limits

    def updates_pending(self) -> PendingUpdates:
        """Updates queued and not yet confirmed (by a getUpdates offset or a webhook delivery)."""
        return PendingUpdates(self.world.updates.pending)

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes behind any file id the bot uploaded or a user sent."""
        stored = self.world.files.get(file_id)
        if stored is None:
            raise SandboxError(f"no file {file_id!r}")
        return stored.data

    def chat_actions(self, chat: Any) -> list[str]:
        """sendChatAction actions the bot showed in a chat, in order."""
        return list(self.world.chat_actions.get(chat_key(chat), []))

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[Any]:
        """The bot's command list for a scope (default scope when None) and language."""
        return self.world.commands.get(commands_key(scope, language_code), [])
