"""Bot API methods that create messages; each one is counted by the flood limits."""

from typing import Any

from bot.sandbox.compose import (
    caption,
    message_text,
    post,
    reply_target,
    request_caption,
    source_message,
    thread_id,
)
from bot.sandbox.errors import bad_request
from bot.sandbox.media import media_content
from bot.sandbox.params import Params
from bot.sandbox.registry import method
from bot.sandbox.world import World

ALBUM_LIMIT = 10
_ALBUM_KINDS = {"photo", "video", "document", "audio"}
_COPIED = ("text", "entities", "photo", "document", "video", "voice", "location", "contact")
_COPIED += ("sticker", "caption", "caption_entities")


@method("sendMessage")
def send_message(world: World, params: Params) -> dict[str, Any]:
    """Send a text message."""
    chat = world.chat_for_bot(params.chat_id())
    return post(world, chat, params, message_text(params)).data


def _send_media(world: World, params: Params, kind: str) -> dict[str, Any]:
    """sendPhoto, sendDocument, sendVideo and sendVoice: one file and an optional caption."""
    chat = world.chat_for_bot(params.chat_id())
    extra = {key: params.values.get(key) for key in ("duration", "width", "height")}
    content = media_content(world.files, kind, params.file(kind), extra)
    return post(world, chat, params, content | request_caption(params)).data


@method("sendPhoto")
def send_photo(world: World, params: Params) -> dict[str, Any]:
    """Send a photo: Telegram answers with several PhotoSize objects."""
    return _send_media(world, params, "photo")


@method("sendDocument")
def send_document(world: World, params: Params) -> dict[str, Any]:
    """Send a file as a document."""
    return _send_media(world, params, "document")


@method("sendVideo")
def send_video(world: World, params: Params) -> dict[str, Any]:
    """Send a video."""
    return _send_media(world, params, "video")


@method("sendVoice")
def send_voice(world: World, params: Params) -> dict[str, Any]:
    """Send a voice note."""
    return _send_media(world, params, "voice")


@method("sendLocation")
def send_location(world: World, params: Params) -> dict[str, Any]:
    """Send a point on the map."""
    chat = world.chat_for_bot(params.chat_id())
    latitude = params.number("latitude", required=True)
    longitude = params.number("longitude", required=True)
    if not (-90 <= (latitude or 0) <= 90 and -180 <= (longitude or 0) <= 180):
        raise bad_request("invalid location specified")
    content = {"location": {"latitude": latitude, "longitude": longitude}}
    return post(world, chat, params, content).data


@method("sendContact")
def send_contact(world: World, params: Params) -> dict[str, Any]:
    """Send a phone contact."""
    chat = world.chat_for_bot(params.chat_id())
    contact = {"phone_number": params.text("phone_number", required=True)}
    contact["first_name"] = params.text("first_name", required=True)
    if params.has("last_name"):
        contact["last_name"] = params.text("last_name")
    return post(world, chat, params, {"contact": contact}).data


@method("sendMediaGroup")
def send_media_group(world: World, params: Params) -> list[dict[str, Any]]:
    """Send an album: one message per item, sharing a media_group_id; counted once per item."""
    chat = world.chat_for_bot(params.chat_id())
    items = params.json("media", "media")
    if not isinstance(items, list) or not items:
        raise bad_request('parameter "media" is required')
    if len(items) > ALBUM_LIMIT:
        raise bad_request("too many messages to send as an album")
    contents = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in _ALBUM_KINDS:
            raise bad_request("can't parse InputMedia JSON object")
        kind = "document" if item["type"] == "audio" else item["type"]
        source = params.attached(item["media"]) if isinstance(item.get("media"), str) else None
        content = media_content(world.files, kind, source, item)
        contents.append(
            content
            | caption(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        )
    reply = reply_target(chat, params)
    thread = thread_id(chat, params, reply)
    world.count(chat.id, len(contents))
    group = str(13_000_000_000_000_000 + world.next_number()) if len(contents) > 1 else None
    sent = []
    for content in contents:
        if group:
            content = {"media_group_id": group} | content
        sent.append(world.store(chat, world.bot, content, reply, thread).data)
    return sent


@method("copyMessage")
def copy_message(world: World, params: Params) -> dict[str, int]:
    """Copy a message without a link to the original; answers with the new MessageId."""
    chat = world.chat_for_bot(params.chat_id())
    original = source_message(world, params, "copy", "copied")
    content = {key: original.data[key] for key in _COPIED if key in original.data}
    if params.has("caption") and "text" not in content:
        content = {k: v for k, v in content.items() if not k.startswith("caption")}
        content |= request_caption(params)
    return {"message_id": post(world, chat, params, content).data["message_id"]}
