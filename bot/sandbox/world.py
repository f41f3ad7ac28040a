"""Everything the sandbox holds: the bot, people, chats, messages, files, updates and counters."""

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.sandbox import entities
from bot.sandbox.errors import CHAT_NOT_FOUND, bad_request, forbidden, too_many_requests
from bot.sandbox.files import FileStore
from bot.sandbox.limits import Limits, RateLimiter
from bot.sandbox.objects import chat_json, strip_nested_reply, user_json
from bot.sandbox.records import Button, SentMessage, Stats
from bot.sandbox.state import Chat, Person, Stored
from bot.sandbox.updates import UpdateQueue

DEFAULT_BOT_ID = 7_000_000_001
RECHECK = 0.02  # seconds between checks of a wait's condition when nothing announced a change
SERVICE_KEYS = ("new_chat_members", "left_chat_member", "new_chat_title", "forum_topic_created")
_KINDS = ("text", "photo", "document", "video", "voice", "location", "contact", "sticker")


class World:
    """The state behind both the Bot API and the test-side API; all of it lives in one loop."""

    def __init__(
        self,
        limits: Limits,
        bot_username: str,
        privacy: bool,
        clock: Callable[[], float] = time.monotonic,
        bot_first_name: str = "Courtyard",
    ) -> None:
        self.bot = Person(DEFAULT_BOT_ID, bot_first_name, username=bot_username, is_bot=True)
        self.privacy = privacy
        self.people: dict[int, Person] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.limiter = RateLimiter(limits, clock)
        self.stats = Stats()
        self.sent: dict[int, list[SentMessage]] = {}
        self.queries: dict[str, dict[str, Any]] = {}  # callback query id -> what was pressed
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope and language -> commands
        self.chat_actions: dict[int, list[str]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.pinned: dict[int, int] = {}  # chat id -> pinned message id
        self.profile: dict[tuple[str, str], str] = {}  # (name/description, language) -> text
        self.counter = 0  # for media group ids and generated images
        self._waiters: list[asyncio.Future[None]] = []

    def use_token(self, token: str) -> None:
        """The bot's id is the token's number, as on Telegram."""
        self.bot.id = int(token.split(":", 1)[0])

    def next_number(self) -> int:
        """A number never handed out before."""
        self.counter += 1
        return self.counter

    def private_chat(self, person: Person) -> Chat:
        """The person's private chat with the bot, created on first use."""
        chat = self.chats.get(person.id)
        if chat is None:
            chat = self.chats[person.id] = Chat(person.id, "private", person=person)
        return chat

    def lookup(self, chat_id: int | str) -> Chat | None:
        """A chat by id or @username, or None."""
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@").lower()
            return next(
                (c for c in self.chats.values() if (c.username or "").lower() == name), None
            )
        if chat_id in self.chats:
            return self.chats[chat_id]
        person = self.people.get(chat_id)
        return self.private_chat(person) if person else None

    def chat_for_bot(self, chat_id: int | str, reading: bool = False) -> Chat:
        """A chat the bot may write to (or read, if `reading`); Telegram's 400/403 otherwise."""
        chat = self.lookup(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        person = chat.person
        if person is not None:
            if reading and not (person.started or person.blocked):
                raise bad_request(CHAT_NOT_FOUND)
            if not reading and person.blocked:
                raise forbidden("bot was blocked by the user")
            if not reading and not person.started:
                raise forbidden("bot can't initiate conversation with a user")
        elif not chat.bot_member:
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def count(self, chat_id: int, messages: int = 1) -> None:
        """Let messages through the flood limits and count them, or raise 429 without counting."""
        wait = self.limiter.acquire(chat_id, messages)
        if wait:
            self.stats.too_many_requests += 1
            raise too_many_requests(wait)
        self.stats.accepted += messages
        self.stats.per_chat[chat_id] = self.stats.per_chat.get(chat_id, 0) + messages

    def store(
        self,
        chat: Chat,
        sender: Person,
        content: dict[str, Any],
        reply_to: Stored | None = None,
        thread_id: int | None = None,
        service: bool = False,
    ) -> Stored:
        """Add a message to a chat; the bot's own messages are also recorded for tests."""
        data: dict[str, Any] = {"message_id": chat.next_message_id(), "from": user_json(sender)}
        data |= {"chat": chat_json(chat), "date": int(time.time())}
        if thread_id is not None:
            data |= {"message_thread_id": thread_id, "is_topic_message": True}
        if reply_to is not None:
            data["reply_to_message"] = strip_nested_reply(reply_to.data)
        data |= content
        stored = Stored(data, by_bot=sender is self.bot, service=service)
        chat.messages[data["message_id"]] = stored
        if stored.by_bot and not service:
            stored.record = SentMessage(chat.id, data["message_id"], None, "text", data["date"])
            describe(stored)
            self.sent.setdefault(chat.id, []).append(stored.record)
            self.changed()
        return stored

    def bot_sees(self, chat: Chat, data: dict[str, Any]) -> bool:
        """Whether the bot receives a message: privacy mode hides most group chatter."""
        if not chat.is_group:
            return True
        if not chat.bot_member:
            return False
        if not self.privacy or any(key in data for key in SERVICE_KEYS):
            return True
        text = data.get("text", data.get("caption", ""))
        found = data.get("entities", data.get("caption_entities", []))
        me = (self.bot.username or "").lower()
        replied = data.get("reply_to_message", {}).get("from", {}).get("id") == self.bot.id
        command = text.startswith("/") and any(
            bot is None or bot.lower() == me for _, bot in entities.commands(text, found)[:1]
        )
        mentioned = me in (name.lower() for name in entities.mentions(text, found))
        return replied or command or mentioned

    def changed(self) -> None:
        """Wake everyone waiting for the bot to do something."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(self, ready: Callable[[], bool], seconds: float) -> bool:
        """Wait until `ready()` holds; False if `seconds` pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not ready():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait({waiter}, timeout=min(remaining, RECHECK))
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        return True


def describe(stored: Stored) -> None:
    """Bring a bot message's SentMessage record in line with its current JSON."""
    record, data = stored.record, stored.data
    if record is None:
        return
    record.message = data
    record.kind = next((kind for kind in _KINDS if kind in data), "service")
    record.text = data.get("text", data.get("caption"))
    record.entities = data.get("entities", data.get("caption_entities", []))
    rows = data.get("reply_markup", {}).get("inline_keyboard", [])
    record.buttons = [
        [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
    ]
    record.photos = [size["file_id"] for size in data.get("photo", [])]
    record.document = data.get("document", {}).get("file_id")
    media = data.get("document") or data.get("video") or data.get("voice") or {}
    record.file_id = record.photos[-1] if record.photos else media.get("file_id")
    record.media_group_id = data.get("media_group_id")
    record.reply_to_message_id = data.get("reply_to_message", {}).get("message_id")
    record.thread_id = data.get("message_thread_id")
