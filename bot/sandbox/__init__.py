"""A local Telegram Bot API for tests, benchmarks and running the bot without a token."""

import asyncio
import logging

from bot.sandbox.errors import ApiError, SandboxError
from bot.sandbox.groups import SandboxGroup
from bot.sandbox.limits import Limits
from bot.sandbox.records import Button, SentMessage, Stats
from bot.sandbox.server import DEFAULT_USERNAME, Sandbox
from bot.sandbox.users import SandboxUser

log = logging.getLogger("bot.sandbox")

__all__ = [
    "ApiError",
    "Button",
    "Limits",
    "Sandbox",
    "SandboxError",
    "SandboxGroup",
    "SandboxUser",
    "SentMessage",
    "Stats",
    "serve",
]


async def serve(
    host: str,
    port: int,
    limits: Limits,
    bot_username: str = DEFAULT_USERNAME,
    privacy: bool = True,
) -> None:
    """Run a sandbox until cancelled, telling how to point the bot at it."""
    sandbox = Sandbox(limits=limits, bot_username=bot_username, privacy=privacy)
    url = await sandbox.start(host, port)
    hint = f"TELEGRAM_API_URL={url} BOT_TOKEN=123:abc python -m bot run"
    log.info("Telegram sandbox at %s", url)
    print(f"Telegram sandbox listening on {url} (control API: {url}/_sandbox)", flush=True)
    print(f"run the bot against it: {hint}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()
