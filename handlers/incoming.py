"""The neutral update: what a person did, as every transport describes it to the handlers."""

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class FileKind(StrEnum):
    """Kinds of file a person can send that the bot keeps."""

    PHOTO = "photo"
    VIDEO = "video"
    VOICE = "voice"
    AUDIO = "audio"
    DOCUMENT = "document"


@dataclass(frozen=True)
class File:
    """A file as Telegram names it; the content is fetched with Chat.download when needed."""

    kind: FileKind
    file_id: str
    file_unique_id: str
    name: str | None = None


@dataclass(frozen=True)
class Sender:
    """Who did it, as Telegram reports them."""

    telegram_id: int
    name: str
    username: str | None = None
    language: str | None = None  # Telegram's language_code, e.g. "zh-hans" or "en"


@dataclass(frozen=True)
class Incoming:
    """One update: a message (text, files, location, contact) or a button press."""

    update_id: int
    chat_id: int
    chat_type: str  # private, group, supergroup, channel
    sender: Sender
    at: datetime
    message_id: int | None = None
    text: str = ""  # the text, or a photo's caption
    files: tuple[File, ...] = ()
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    reply_to_bot: bool = False
    mentions_bot: bool = False
    thread_id: int | None = None
    location: tuple[float, float] | None = None
    contact_phone: str | None = None
    other: str | None = None  # content the bot does not take: "sticker", "poll", ...
    bot_added: bool = False  # the bot was just added to this group
    callback_id: str | None = None
    callback_data: str | None = None
    callback_message_id: int | None = None
    chat_is_forum: bool = False  # a supergroup with topics (a forum)

    @property
    def is_private(self) -> bool:
        """Whether this happened in a one-to-one chat with the bot."""
        return self.chat_type == "private"

    @property
    def is_button(self) -> bool:
        """Whether this is an inline-button press."""
        return self.callback_id is not None

    @property
    def command(self) -> str | None:
        """The command without its slash or bot name ("/start@x_bot a" -> "start"), if any."""
        if not self.text.startswith("/"):
            return None
        return self.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower() or None

    @property
    def argument(self) -> str:
        """What follows the command ("/start abc" -> "abc")."""
        parts = self.text.split(maxsplit=1)
        return parts[1].strip() if self.command and len(parts) > 1 else ""


def file_from_json(data: dict[str, Any]) -> File:
    """A file as `to_json` stored it."""
    return File(**{**data, "kind": FileKind(data["kind"])})


def to_json(incoming: Incoming) -> dict[str, Any]:
    """A JSON-safe dict of the update, to keep it in the database (album parts)."""
    data = asdict(incoming)
    data["at"] = incoming.at.isoformat()
    return data


def from_json(data: dict[str, Any]) -> Incoming:
    """The update `to_json` stored."""
    values = dict(data)
    values["at"] = datetime.fromisoformat(values["at"])
    values["sender"] = Sender(**values["sender"])
    values["files"] = tuple(file_from_json(f) for f in values.get("files", ()))
    if values.get("location") is not None:
        values["location"] = tuple(values["location"])
    return Incoming(**values)
