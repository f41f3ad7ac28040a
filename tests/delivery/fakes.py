"""A fake clock (wall and monotonic, moved by sleeping) and a fake Chat that records sends."""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.delivery import RateLimiter
from handlers.chat import Message, Sent
from tests.contract.helpers import T0


class FakeClock:
    """Seconds since T0 as a float (the limiter's clock) and as a datetime (the loop's now)."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []
        self.while_asleep: list[Callable[[], Awaitable[object]]] = []  # run once, at next sleep

    def monotonic(self) -> float:
        return self.t

    def now(self) -> datetime:
        return T0 + timedelta(seconds=self.t)

    def advance(self, seconds: float) -> None:
        self.t += max(seconds, 0.0)

    async def sleep(self, seconds: float) -> None:
        """Time jumps forward at once; other tasks then get their turn."""
        self.slept.append(seconds)
        self.advance(seconds)
        while self.while_asleep:
            await self.while_asleep.pop(0)()
        await asyncio.sleep(0)


def telegram_messages(message: Message) -> int:
    """How many messages Telegram makes of it: an album's photos, and the text after them."""
    if len(message.photos) > 1:
        return len(message.photos) + (1 if message.text or message.buttons else 0)
    return 1


@dataclass
class Delivered:
    """One successful send, as the fake chat saw it."""

    chat_id: int
    message: Message
    at: float
    message_ids: tuple[int, ...]


@dataclass
class Edited:
    """One edit, as the fake chat saw it."""

    chat_id: int
    message_id: int
    message: Message


@dataclass
class FakeChat:
    """Records sends, edits and new forum topics; raises scripted errors per chat (`script`), for
    the first calls (`fail_first`) or always (`always`); `topic_errors` fail create_topic."""

    clock: FakeClock | None = None
    sent: list[Delivered] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    script: dict[int, list[BaseException]] = field(default_factory=lambda: defaultdict(list))
    fail_first: list[BaseException] = field(default_factory=list)
    always: dict[int, BaseException] = field(default_factory=dict)
    in_flight: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    overlapped: bool = False  # two sends to one chat were ever in flight together
    next_id: int = 1000
    pacer: RateLimiter | None = None  # pace every send, as the Telegram transport does
    edits: list[Edited] = field(default_factory=list)
    topics: list[tuple[int, str, int]] = field(default_factory=list)  # (chat, name, thread id)
    topic_errors: list[BaseException] = field(default_factory=list)

    async def send(self, chat_id: int, message: Message) -> Sent:
        if self.pacer:
            await self.pacer.acquire(chat_id, message.parts)
        self.calls.append(chat_id)
        self.in_flight[chat_id] += 1
        self.overlapped |= self.in_flight[chat_id] > 1
        try:
            await asyncio.sleep(0)
            if self.fail_first:
                raise self.fail_first.pop(0)
            if self.script[chat_id]:
                raise self.script[chat_id].pop(0)
            if chat_id in self.always:
                raise self.always[chat_id]
            count = telegram_messages(message)
            ids = tuple(range(self.next_id, self.next_id + count))
            self.next_id += count
            at = self.clock.monotonic() if self.clock else 0.0
            self.sent.append(Delivered(chat_id, message, at, ids))
            return Sent(chat_id, ids, message.thread_id)
        finally:
            self.in_flight[chat_id] -= 1

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [d.message.text for d in self.sent if chat_id is None or d.chat_id == chat_id]

    async def edit(self, chat_id: int, message_id: int, message: Message) -> None:
        if self.pacer:
            await self.pacer.acquire(chat_id)
        await asyncio.sleep(0)
        if chat_id in self.always:
            raise self.always[chat_id]
        self.edits.append(Edited(chat_id, message_id, message))

    async def create_topic(self, chat_id: int, name: str) -> int:
        if self.pacer:
            await self.pacer.acquire(chat_id)
        await asyncio.sleep(0)
        if self.topic_errors:
            raise self.topic_errors.pop(0)
        thread_id = self.next_id
        self.next_id += 1
        self.topics.append((chat_id, name, thread_id))
        return thread_id

    async def answer(self, callback_id: str, text: str | None = None, alert: bool = False) -> None:
        raise NotImplementedError

    async def download(self, file_id: str) -> bytes:
        raise NotImplementedError

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/courtyard_bot?start={payload}"
