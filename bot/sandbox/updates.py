"""The bot's update queue: ids, offsets, long polling, allowed_updates and the webhook setting."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import TERMINATED, WEBHOOK_ACTIVE, conflict

FIRST_UPDATE_ID = 100_000_000


@dataclass
class Webhook:
    """setWebhook's settings and the last delivery error, for getWebhookInfo."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateQueue:
    """Updates not yet confirmed by the bot, handed out by getUpdates or pushed to a webhook."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.last_id = FIRST_UPDATE_ID
        self.allowed: list[str] | None = None  # None: Telegram's default set
        self.webhook: Webhook | None = None
        self.listeners: list[Callable[[], None]] = []  # told when an update is queued
        self._poller: asyncio.Future[str] | None = None

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update unless the bot's allowed_updates leaves its kind out."""
        if self.allowed is not None and kind not in self.allowed:
            return None
        self.last_id += 1
        update = {"update_id": self.last_id, kind: payload}
        self.pending.append(update)
        self._wake("update")
        for listener in self.listeners:
            listener()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates as getUpdates' offset says: below a positive one, all but -N last ones."""
        if offset > 0:
            self.pending = [update for update in self.pending if update["update_id"] >= offset]
        elif offset < 0:
            self.pending = self.pending[offset:]

    def remove(self, update: dict[str, Any]) -> None:
        """Forget one update (delivered to the webhook)."""
        if update in self.pending:
            self.pending.remove(update)

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember allowed_updates; an empty list means Telegram's default set."""
        if allowed is not None:
            self.allowed = list(allowed) or None

    def set_webhook(self, webhook: Webhook | None) -> None:
        """Set or clear the webhook; a waiting long poll then ends with 409."""
        self.webhook = webhook
        if webhook is not None:
            self._wake("webhook")
        for listener in self.listeners:
            listener()

    async def poll(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """getUpdates: confirm, then wait up to `wait` seconds for an update; newest poll wins."""
        if self.webhook is not None:
            raise conflict(WEBHOOK_ACTIVE)
        self.confirm(offset)
        self._wake("terminated")
        if not self.pending and wait > 0:
            waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            self._poller = waiter
            try:
                await asyncio.wait({waiter}, timeout=wait)
            finally:
                if self._poller is waiter:
                    self._poller = None
            reason = waiter.result() if waiter.done() else "timeout"
            if reason == "terminated":
                raise conflict(TERMINATED)
            if reason == "webhook":
                raise conflict(WEBHOOK_ACTIVE)
        return self.pending[:limit]

    def close(self) -> None:
        """End a waiting long poll at once (the sandbox is stopping)."""
        self._wake("closed")

    def _wake(self, reason: str) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(reason)
