"""Telegram's update JSON to the neutral Incoming: one reading for both frameworks."""

from datetime import UTC, datetime
from typing import Any

from handlers.incoming import File, FileKind, Incoming, Sender

# message keys whose content the bot keeps as a file
FILE_KEYS = {
    "document": FileKind.DOCUMENT,
    "video": FileKind.VIDEO,
    "voice": FileKind.VOICE,
    "audio": FileKind.AUDIO,
    "video_note": FileKind.VIDEO,
}
# message keys the bot notices but does not take
OTHER_KEYS = ("sticker", "poll", "dice", "game", "animation", "venue", "story", "invoice")


def incoming_from_update(update: dict[str, Any], bot_id: int, bot_username: str) -> Incoming | None:
    """The update as handlers see it; None for kinds the bot does not act on."""
    update_id = update["update_id"]
    if "callback_query" in update:
        return _button(update_id, update["callback_query"])
    if "message" in update:
        return _message(update_id, update["message"], bot_id, bot_username)
    return None


def _sender(user: dict[str, Any]) -> Sender:
    name = " ".join(filter(None, (user.get("first_name"), user.get("last_name"))))
    language = user.get("language_code")
    return Sender(user["id"], name or str(user["id"]), user.get("username"), language)


def _date(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromtimestamp(int(value), UTC)


def _button(update_id: int, query: dict[str, Any]) -> Incoming:
    message = query.get("message") or {}
    chat = message.get("chat") or {"id": query["from"]["id"], "type": "private"}
    return Incoming(
        update_id=update_id,
        chat_id=chat["id"],
        chat_type=str(chat["type"]),
        sender=_sender(query["from"]),
        at=_date(message["date"]) if message.get("date") else datetime.now(UTC),
        thread_id=message.get("message_thread_id") if message.get("is_topic_message") else None,
        callback_id=str(query["id"]),
        callback_data=query.get("data"),
        callback_message_id=message.get("message_id"),
        chat_is_forum=bool(chat.get("is_forum")),
    )


def _files(message: dict[str, Any]) -> tuple[File, ...]:
    files = []
    if message.get("photo"):
        largest = message["photo"][-1]
        files.append(File(FileKind.PHOTO, largest["file_id"], largest["file_unique_id"]))
    for key, kind in FILE_KEYS.items():
        if item := message.get(key):
            files.append(File(kind, item["file_id"], item["file_unique_id"], item.get("file_name")))
    return tuple(files)


def _mentions(message: dict[str, Any], text: str, bot_id: int, bot_username: str) -> bool:
    entities = message.get("entities") or message.get("caption_entities") or ()
    handle = f"@{bot_username}".lower()
    for entity in entities:
        kind = str(entity["type"])
        if kind == "mention":
            start, length = entity["offset"], entity["length"]
            if _utf16_slice(text, start, length).lower() == handle:
                return True
        elif kind == "text_mention" and entity.get("user", {}).get("id") == bot_id:
            return True
    return False


def _utf16_slice(text: str, offset: int, length: int) -> str:
    """Telegram's entity offsets count UTF-16 code units, not characters."""
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def _message(update_id: int, message: dict[str, Any], bot_id: int, bot_username: str) -> Incoming:
    chat, text = message["chat"], message.get("text") or message.get("caption") or ""
    reply = message.get("reply_to_message") or {}
    location = message.get("location")
    return Incoming(
        update_id=update_id,
        chat_id=chat["id"],
        chat_type=str(chat["type"]),
        sender=_sender(message.get("from") or {"id": chat["id"], "first_name": ""}),
        at=_date(message["date"]),
        message_id=message["message_id"],
        text=text,
        files=_files(message),
        media_group_id=message.get("media_group_id"),
        reply_to_message_id=reply.get("message_id"),
        reply_to_bot=(reply.get("from") or {}).get("id") == bot_id,
        mentions_bot=_mentions(message, text, bot_id, bot_username),
        thread_id=message.get("message_thread_id") if message.get("is_topic_message") else None,
        location=(location["latitude"], location["longitude"]) if location else None,
        contact_phone=(message.get("contact") or {}).get("phone_number"),
        other=next((key for key in OTHER_KEYS if key in message), None),
        bot_added=any(m.get("id") == bot_id for m in message.get("new_chat_members") or ()),
        chat_is_forum=bool(chat.get("is_forum")),
    )
