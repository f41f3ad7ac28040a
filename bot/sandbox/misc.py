"""Smaller Bot API methods: forwarding, deleting several messages, pins, the bot's profile texts."""

from typing import Any

from bot.sandbox.compose import post, source_message
from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.registry import method
from bot.sandbox.world import World

_FORWARDED = ("text", "entities", "photo", "document", "video", "voice", "location", "contact")
_FORWARDED += ("sticker", "caption", "caption_entities", "media_group_id")
_PROFILE = {"description": 512, "short_description": 120, "name": 64}


@method("forwardMessage")
def forward_message(world: World, params: Params) -> dict[str, Any]:
    """Forward a message: the same content with a forward_origin naming its sender."""
    chat = world.chat_for_bot(params.chat_id())
    original = source_message(world, params, "forward", "forwarded")
    content = {key: original.data[key] for key in _FORWARDED if key in original.data}
    content.pop("media_group_id", None)
    origin = original.data.get("forward_origin") or {
        "type": "user",
        "sender_user": original.data["from"],
        "date": original.data["date"],
    }
    return post(world, chat, params, {"forward_origin": origin} | content).data


@method("deleteMessages")
def delete_messages(world: World, params: Params) -> bool:
    """Delete up to 100 messages; ones already gone are skipped."""
    chat = world.chat_for_bot(params.chat_id(), reading=True)
    ids = params.json("message_ids")
    if not isinstance(ids, list) or not ids or len(ids) > 100:
        raise bad_request("too many message identifiers specified")
    found = [chat.live(int(message_id)) for message_id in ids]
    if not any(found):
        raise bad_request("message to delete not found")
    for stored in filter(None, found):
        stored.delete()
    world.changed()
    return True


@method("pinChatMessage")
def pin_chat_message(world: World, params: Params) -> bool:
    """Pin a message (kept per chat; no service message is posted)."""
    chat = world.chat_for_bot(params.chat_id())
    message_id = params.integer("message_id", required=True) or 0
    if chat.live(message_id) is None:
        raise bad_request("message to pin not found")
    world.pinned[chat.id] = message_id
    return True


@method("unpinChatMessage")
def unpin_chat_message(world: World, params: Params) -> bool:
    """Unpin the pinned message of a chat."""
    chat = world.chat_for_bot(params.chat_id())
    world.pinned.pop(chat.id, None)
    return True


def _profile_setter(field: str) -> None:
    """Register set<Field> and get<Field> for one of the bot's profile texts, per language."""
    title = "".join(part.title() for part in field.split("_"))

    def setter(world: World, params: Params) -> bool:
        value = params.text(field) or ""
        if len(value) > _PROFILE[field]:
            raise bad_request(f"{field} is too long")
        world.profile[(field, params.text("language_code") or "")] = value
        return True

    def getter(world: World, params: Params) -> dict[str, str]:
        language = params.text("language_code") or ""
        value = world.profile.get((field, language), world.profile.get((field, ""), ""))
        if field == "name" and not value:
            value = world.bot.first_name
        return {field: value}

    method(f"setMy{title}")(setter)
    method(f"getMy{title}")(getter)


for _field in _PROFILE:
    _profile_setter(_field)
