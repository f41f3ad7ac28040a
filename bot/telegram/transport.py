"""What a transport is, and the one place that hands each update to the handlers safely."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.telegram.updates import incoming_from_update
from handlers.chat import Chat
from handlers.incoming import Incoming

log = logging.getLogger(__name__)

OnUpdate = Callable[[Incoming], Awaitable[None]]
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
OFFICIAL_API = "https://api.telegram.org"
POLL_TIMEOUT = 25  # seconds a getUpdates call may wait for news


class Transport(Protocol):
    """A framework's bot: polls or takes webhook posts, and speaks through `chat`."""

    chat: Chat
    bot_id: int
    username: str

    async def start(self, commands: dict[str, list[tuple[str, str]]]) -> None:
        """Learn who the bot is and publish its command menu, per language code."""
        ...

    async def poll(self, stop: asyncio.Event) -> None:
        """Long-poll for updates until `stop` is set."""
        ...

    async def feed(self, update: dict[str, Any]) -> None:
        """Handle one update posted to the webhook."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to post updates to `url` with the secret header."""
        ...

    async def close(self) -> None:
        """Release the framework's connections."""
        ...


async def deliver(update: dict[str, Any], transport: Transport, on_update: OnUpdate) -> None:
    """Turn the update into an Incoming and handle it; a failure is logged, never raised."""
    update_id = update.get("update_id")
    try:
        incoming = incoming_from_update(update, transport.bot_id, transport.username)
        if incoming is not None:
            await on_update(incoming)
    except Exception:
        log.exception("update %s failed; the bot carries on", update_id)
