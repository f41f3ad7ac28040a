"""What tests read back: the bot's messages as plain records, and the sandbox's counters."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Button:
    """One keyboard button: an inline one has data or url; a reply keyboard one only text."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass
class SentMessage:
    """A message the bot sent, kept up to date with its edits and deletion."""

    chat_id: int
    message_id: int
    text: str | None  # the text or caption, as Telegram shows it (after parse_mode)
    kind: str  # text, photo, document, video, voice, location, contact, sticker
    date: int
    buttons: list[list[Button]] = field(default_factory=list)  # the inline keyboard
    photos: list[str] = field(default_factory=list)  # file ids of the photo's sizes
    document: str | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    thread_id: int | None = None
    edits: list[str | None] = field(default_factory=list)  # earlier texts, oldest first
    deleted: bool = False
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    keyboard: list[list[Button]] = field(default_factory=list)  # a reply keyboard, if sent
    file_id: str | None = None  # the file of a photo (largest size), document, video or voice
    message: dict[str, Any] = field(default_factory=dict, repr=False)  # current Message JSON

    def button_texts(self) -> list[str]:
        """Every inline button's text, row by row."""
        return [button.text for row in self.buttons for button in row]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for the control API)."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "kind": self.kind,
            "date": self.date,
            "buttons": [[vars(button) for button in row] for row in self.buttons],
            "keyboard": [[vars(button) for button in row] for row in self.keyboard],
            "photos": self.photos,
            "document": self.document,
            "file_id": self.file_id,
            "media_group_id": self.media_group_id,
            "reply_to_message_id": self.reply_to_message_id,
            "thread_id": self.thread_id,
            "edits": self.edits,
            "deleted": self.deleted,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
        }


@dataclass
class Stats:
    """Counters over the sandbox's life."""

    accepted: int = 0  # messages counted by the rate limits and let through
    too_many_requests: int = 0  # 429 answers
    per_chat: dict[int, int] = field(default_factory=dict)  # accepted messages per chat
    requests: dict[str, int] = field(default_factory=dict)  # Bot API calls per method
    errors: dict[int, int] = field(default_factory=dict)  # error answers per error_code

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (chat ids become strings)."""
        return {
            "accepted": self.accepted,
            "too_many_requests": self.too_many_requests,
            "per_chat": {str(chat): count for chat, count in self.per_chat.items()},
            "requests": dict(self.requests),
            "errors": {str(code): count for code, count in self.errors.items()},
        }
