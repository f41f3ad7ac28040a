"""Fixtures: a running sandbox and a raw Bot API client speaking real HTTP to it."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.sandbox import Limits, Sandbox
from tests.sandbox.helpers import RawApi


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(limits=Limits.off()) as running:
        yield running


@pytest.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        client = RawApi(session, sandbox.url)
        await client("getMe")  # the bot's id follows the token, as on Telegram
        yield client


@pytest.fixture
def resident(sandbox: Sandbox):
    """A resident who has not written yet (their first message starts the bot's private chat)."""
    return sandbox.user(1001, "王阿姨", language_code="zh-hans")
