"""Direct answers wait out a 429 or a network blip instead of failing the conversation."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from handlers.chat import Chat, Message, RetryLater, Sent, Unreachable

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 3
MAX_WAIT = 30.0  # seconds; longer waits are not worth holding a conversation for


class PatientChat:
    """The Chat port that retries what Telegram asks to retry, a few times, then gives up."""

    def __init__(self, chat: Chat, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.chat, self.sleep = chat, sleep

    async def _patiently(self, attempt: Callable[[], Awaitable[T]]) -> T:
        for tries in range(1, ATTEMPTS):
            try:
                return await attempt()
            except (RetryLater, Unreachable) as error:
                wait = error.retry_after if isinstance(error, RetryLater) else float(tries)
                if wait > MAX_WAIT:
                    raise
                log.info("Telegram said %s; trying again in %.1fs", error, wait)
                await self.sleep(wait)
        return await attempt()  # the last try: its failure is the caller's

    async def send(self, chat_id: int, message: Message) -> Sent:
        """Send, retrying after a 429 or a network failure."""
        return await self._patiently(lambda: self.chat.send(chat_id, message))

    async def edit(self, chat_id: int, message_id: int, message: Message) -> None:
        """Edit, retrying the same way."""
        await self._patiently(lambda: self.chat.edit(chat_id, message_id, message))

    async def create_topic(self, chat_id: int, name: str) -> int:
        """Open a forum topic, retrying the same way."""
        return await self._patiently(lambda: self.chat.create_topic(chat_id, name))

    async def answer(self, callback_id: str, text: str | None = None, alert: bool = False) -> None:
        """Answer a button press (not retried: Telegram forgets a press after a few seconds)."""
        await self.chat.answer(callback_id, text, alert)

    async def download(self, file_id: str) -> bytes:
        """Download, retrying the same way."""
        return await self._patiently(lambda: self.chat.download(file_id))

    def deep_link(self, payload: str) -> str:
        """The wrapped chat's deep link."""
        return self.chat.deep_link(payload)
