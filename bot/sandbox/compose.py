"""What sending methods share: text and caption rules, replies, topics, and posting for the bot."""

from typing import Any

from bot.sandbox.entities import Entity, detect, sort_entities, trim, u16len
from bot.sandbox.errors import bad_request
from bot.sandbox.keyboards import read_markup
from bot.sandbox.markup import render
from bot.sandbox.params import Params
from bot.sandbox.state import Chat, Stored
from bot.sandbox.world import World

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def shown(raw: str, parse_mode: Any, given_entities: Any) -> tuple[str, list[Entity]]:
    """Text as Telegram stores it: markup applied, trimmed, links and commands detected."""
    text, found = trim(*render(raw, parse_mode, given_entities))
    taken = [(e["offset"], e["offset"] + e["length"]) for e in found]
    for entity in detect(text):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if not any(start < other_end and other_start < end for other_start, other_end in taken):
            found.append(entity)
    return text, sort_entities(found)


def message_text(params: Params) -> dict[str, Any]:
    """sendMessage's text and entities, after parse_mode and trimming, within Telegram's limits."""
    raw = params.text("text")
    if raw is None:
        raise bad_request("message text is empty")
    text, found = shown(raw, params.text("parse_mode"), params.json("entities"))
    if not text:
        raise bad_request("message text is empty")
    if u16len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return {"text": text, "entities": found} if found else {"text": text}


def caption(raw: Any, parse_mode: Any = None, given_entities: Any = None) -> dict[str, Any]:
    """A media message's caption and caption_entities (nothing when empty), at most 1024 long."""
    if raw in (None, ""):
        return {}
    text, found = shown(str(raw), parse_mode or None, given_entities)
    if u16len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    if not text:
        return {}
    return {"caption": text, "caption_entities": found} if found else {"caption": text}


def request_caption(params: Params) -> dict[str, Any]:
    """The caption parameters of a sendPhoto-like request."""
    return caption(
        params.text("caption"), params.text("parse_mode"), params.json("caption_entities")
    )


def reply_target(chat: Chat, params: Params) -> Stored | None:
    """The message replied to (reply_parameters or reply_to_message_id), or None."""
    reply = params.json("reply_parameters")
    if isinstance(reply, dict):
        message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
    else:
        message_id = params.integer("reply_to_message_id")
        allow = params.flag("allow_sending_without_reply")
    if not message_id:
        return None
    try:
        stored = chat.live(int(message_id))
    except (TypeError, ValueError):
        raise bad_request("invalid reply_parameters specified") from None
    if stored is None and not allow:
        raise bad_request("message to be replied not found")
    return stored


def thread_id(chat: Chat, params: Params, reply: Stored | None) -> int | None:
    """The forum topic a message goes to; a reply stays in its message's topic."""
    thread = params.integer("message_thread_id")
    if thread is None and reply is not None:
        thread = reply.data.get("message_thread_id")
    if thread is None or not chat.is_forum:
        return None
    if thread not in chat.topics:
        raise bad_request("message thread not found")
    return thread


def post(world: World, chat: Chat, params: Params, content: dict[str, Any]) -> Stored:
    """Post one checked message as the bot: markup, reply and topic, then the flood limits."""
    markup = read_markup(params)
    reply = reply_target(chat, params)
    thread = thread_id(chat, params, reply)
    world.count(chat.id)
    if markup.inline:
        content["reply_markup"] = markup.inline
    stored = world.store(chat, world.bot, content, reply, thread)
    stored.reply_keyboard = markup.keyboard is not None
    if stored.record is not None:
        stored.record.parse_mode = params.text("parse_mode")
        stored.record.keyboard = markup.keyboard or []
    return stored


def source_message(world: World, params: Params, verb: str, done: str) -> Stored:
    """The message a copy or forward starts from (from_chat_id, message_id), as Telegram checks."""
    source = world.chat_for_bot(params.chat_id("from_chat_id"), reading=True)
    original = source.live(params.integer("message_id", required=True) or 0)
    if original is None:
        raise bad_request(f"message to {verb} not found")
    if original.service:
        raise bad_request(f"message can't be {done}")
    return original
