"""The sandbox's state records: people, chats and stored messages."""

from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.records import SentMessage


@dataclass
class Person:
    """A Telegram account: a test user or the bot itself."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False  # wrote to the bot in private, so the bot may write back
    blocked: bool = False  # blocked the bot


@dataclass
class Stored:
    """A message in a chat: its current Telegram JSON and what the sandbox knows about it."""

    data: dict[str, Any]
    by_bot: bool
    deleted: bool = False
    record: SentMessage | None = None  # set for the bot's messages
    reply_keyboard: bool = False  # sent with a reply keyboard, so it can't be edited
    service: bool = False

    def delete(self) -> None:
        """Gone from the chat, and from what the tests read of the bot's messages."""
        self.deleted = True
        if self.record is not None:
            self.record.deleted = True


@dataclass
class Chat:
    """A private chat with the bot, a group or a supergroup (negative ids)."""

    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    username: str | None = None
    person: Person | None = None  # the other side of a private chat
    is_forum: bool = False
    members: set[int] = field(default_factory=set)
    admins: list[int] = field(default_factory=list)  # the first is the creator
    bot_member: bool = True
    bot_admin: bool = False
    last_message_id: int = 0
    messages: dict[int, Stored] = field(default_factory=dict)
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)  # thread id -> ForumTopic

    @property
    def is_group(self) -> bool:
        """Groups and supergroups, as opposed to private chats."""
        return self.type != "private"

    def next_message_id(self) -> int:
        """Message ids count up per chat."""
        self.last_message_id += 1
        return self.last_message_id

    def live(self, message_id: int) -> Stored | None:
        """A message that exists and was not deleted, or None."""
        stored = self.messages.get(message_id)
        return stored if stored and not stored.deleted else None
