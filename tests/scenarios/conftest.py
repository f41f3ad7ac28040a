"""Scenario fixtures: the real bot on either framework, polling or by webhook, on the sandbox."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from bot.app import App
from bot.runtime import Bot
from bot.sandbox import Limits, Sandbox
from bot.settings import Settings
from storage.db import session_factory
from tests.conftest import ROOT, Database
from tests.scenarios.intake_support import COMMUNITY_CHAT, GROUP, PROPERTY_CHAT
from tests.support import free_port
from tickets.community import CommunityConfig, parse_community

TOKEN = "123456:sandbox-token"


@dataclass
class RunningBot:
    """The bot as a process would run it; stop and start it again to play a restart."""

    sandbox: Sandbox
    db: Database
    community: CommunityConfig
    framework: str
    mode: str
    overrides: dict[str, Any] = field(default_factory=dict)
    bot: Bot | None = None
    _stop: asyncio.Event | None = None
    _task: asyncio.Task | None = None

    def settings(self) -> Settings:
        """Settings for this run: no send limits unless a test asks, short album wait."""
        values: dict[str, Any] = {
            "bot_token": TOKEN,
            "telegram_api_url": self.sandbox.url,
            "telegram_framework": self.framework,
            "send_rate_global": 0,
            "send_rate_chat": 0,
            "send_rate_group": 0,
            "album_wait": 0.3,
            "webhook_listen": f"127.0.0.1:{free_port()}",
        }
        values.update(self.overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self, **overrides: Any) -> "RunningBot":
        """Start the bot on a fresh engine (as a new process would) and wait until it listens."""
        self.overrides.update(overrides)
        settings = self.settings()
        engine = self.db.new_engine()
        app = App(settings, self.community, engine, session_factory(engine))
        async with app.uow() as uow:
            await uow.community.sync(self.community)
            await uow.commit()
        self.bot, self._stop = Bot(app), asyncio.Event()
        url = None
        if self.mode == "webhook":
            host, port = settings.webhook_address
            url = f"http://{host}:{port}/telegram/webhook"
        self._task = asyncio.create_task(self.bot.run(self._stop, webhook_url=url))
        for _ in range(200):
            if self.bot.context is not None or self._task.done():
                break
            await asyncio.sleep(0.02)
        if self._task.done():
            await self._task  # raise what stopped it
        await asyncio.sleep(0.1)  # let polling (or the webhook) settle in
        return self

    async def stop(self) -> None:
        """Stop the bot as SIGTERM would, and close its engine."""
        if self._task is None:
            return
        assert self._stop is not None and self.bot is not None
        self._stop.set()
        await asyncio.wait_for(self._task, 30)
        await self.bot.app.engine.dispose()
        self._task = None


@pytest.fixture(scope="session")
def community() -> CommunityConfig:
    """The example community, with compound JH's residents' group and the teams' chats set."""
    data = yaml.safe_load((ROOT / "community.example.yaml").read_text("utf-8"))
    data["compounds"][0]["residents_chat_id"] = GROUP
    chats = {"jh-property": PROPERTY_CHAT, "grid-workers": COMMUNITY_CHAT}
    for team in data["teams"]:
        team["chat_id"] = chats.get(team["code"])
    return parse_community(data)


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    """Each scenario runs on both frameworks."""
    return request.param


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    """... and both ways of taking updates."""
    return request.param


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox without rate limits (tests that need them set them), seeing all group talk."""
    async with Sandbox(limits=Limits.off(), privacy=False) as server:
        yield server


@pytest.fixture
async def running(
    sandbox: Sandbox, db: Database, community: CommunityConfig, framework: str, mode: str
) -> AsyncIterator[RunningBot]:
    """The bot, started; stopped after the test."""
    bot = RunningBot(sandbox, db, community, framework, mode)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
