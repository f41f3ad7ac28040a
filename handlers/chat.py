"""The Chat port: how handlers and delivery talk to people, whatever framework carries it."""

from dataclasses import dataclass, field
from typing import Any, Protocol

CAPTION_LIMIT = 1024  # Telegram's longest photo caption


@dataclass(frozen=True)
class Button:
    """An inline button: callback data (at most 64 bytes) or a link."""

    text: str
    data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Message:
    """Something to send: text, photos (file ids), a document, and buttons under it.

    One photo goes with the text as its caption; several go as an album, and the text with the
    buttons follows the album (Telegram cannot put buttons on an album).
    """

    text: str = ""
    buttons: Keyboard = ()
    photos: tuple[str, ...] = ()
    document: str | None = None
    document_name: str | None = None
    reply_to: int | None = None
    thread_id: int | None = None

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe dict for the outbox."""
        payload: dict[str, Any] = {"text": self.text}
        if self.buttons:
            payload["buttons"] = [
                [{k: v for k, v in vars(b).items() if v is not None} for b in row]
                for row in self.buttons
            ]
        for name in ("document", "document_name", "reply_to", "thread_id"):
            if getattr(self, name) is not None:
                payload[name] = getattr(self, name)
        if self.photos:
            payload["photos"] = list(self.photos)
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "Message":
        """The message an outbox row holds."""
        buttons = tuple(tuple(Button(**b) for b in row) for row in payload.get("buttons", ()))
        return cls(
            text=payload.get("text", ""),
            buttons=buttons,
            photos=tuple(payload.get("photos", ())),
            document=payload.get("document"),
            document_name=payload.get("document_name"),
            reply_to=payload.get("reply_to"),
            thread_id=payload.get("thread_id"),
        )

    @property
    def long_caption(self) -> bool:
        """Whether the text is too long to be a photo's caption (1,024 UTF-16 units), so that it
        follows the photo as a message of its own."""
        return len(self.text.encode("utf-16-le")) // 2 > CAPTION_LIMIT

    @property
    def parts(self) -> int:
        """How many messages Telegram counts for this: one per photo of an album, plus its text."""
        if len(self.photos) > 1 or (self.photos and self.long_caption):
            return len(self.photos) + (1 if self.text or self.buttons else 0)
        return 1


@dataclass(frozen=True)
class Sent:
    """Where a message landed: its chat and the Telegram ids of its parts, in order."""

    chat_id: int
    message_ids: tuple[int, ...] = field(default=())
    thread_id: int | None = None  # the forum topic it went to


class DeliveryError(Exception):
    """Telegram did not take a message; subclasses say whether trying again can help."""

    permanent = False


class RetryLater(DeliveryError):
    """Telegram asked us to slow down (429): try again after `retry_after` seconds."""

    def __init__(self, retry_after: float, reason: str = "Too Many Requests") -> None:
        super().__init__(f"{reason} (retry after {retry_after:g}s)")
        self.retry_after = retry_after


class ChatGone(DeliveryError):
    """The chat cannot get messages (blocked the bot, never started it, unknown): never retry."""

    permanent = True


class Rejected(DeliveryError):
    """Telegram refused the message itself (too long, bad button data): retrying cannot help."""

    permanent = True


class Unreachable(DeliveryError):
    """A network failure or a server error: try again with backoff."""


class Chat(Protocol):
    """What a transport offers: send, edit, answer buttons, fetch files, make deep links."""

    async def send(self, chat_id: int, message: Message) -> Sent:
        """Send a message; raises a DeliveryError when Telegram does not take it."""
        ...

    async def edit(self, chat_id: int, message_id: int, message: Message) -> None:
        """Replace the text (or caption) and buttons of a message the bot sent."""
        ...

    async def answer(self, callback_id: str, text: str | None = None, alert: bool = False) -> None:
        """Stop the spinner on a pressed button, with an optional short notice."""
        ...

    async def download(self, file_id: str) -> bytes:
        """The content of a file a person sent."""
        ...

    async def create_topic(self, chat_id: int, name: str) -> int:
        """Open a forum topic in a group with topics; its thread id."""
        ...

    def deep_link(self, payload: str) -> str:
        """A t.me link that opens the bot with /start payload."""
        ...
