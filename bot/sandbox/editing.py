"""Bot API methods that change or remove messages, and answers to button presses."""

import time
from typing import Any

from bot.sandbox.compose import message_text, request_caption
from bot.sandbox.errors import NOT_MODIFIED, QUERY_TOO_OLD, bad_request
from bot.sandbox.keyboards import read_markup
from bot.sandbox.params import Params
from bot.sandbox.registry import method
from bot.sandbox.state import Stored
from bot.sandbox.world import World, describe

ANSWER_LIMIT = 200


def _editable(world: World, params: Params) -> Stored:
    """The bot message an edit targets; inline messages do not exist in the sandbox."""
    if params.has("inline_message_id"):
        raise bad_request("message to edit not found")
    chat = world.chat_for_bot(params.chat_id())
    stored = chat.live(params.integer("message_id", required=True) or 0)
    if stored is None:
        raise bad_request("message to edit not found")
    if not stored.by_bot or stored.reply_keyboard or stored.service:
        raise bad_request("message can't be edited")
    return stored


def _edit(world: World, stored: Stored, fields: dict[str, Any]) -> dict[str, Any]:
    """Apply new values (None removes a field) unless nothing changes, as Telegram refuses."""
    if all(stored.data.get(key) == value for key, value in fields.items()):
        raise bad_request(NOT_MODIFIED)
    before = stored.data.get("text", stored.data.get("caption"))
    for key, value in fields.items():
        if value is None:
            stored.data.pop(key, None)
        else:
            stored.data[key] = value
    stored.data["edit_date"] = int(time.time())
    if stored.record is not None:
        if stored.data.get("text", stored.data.get("caption")) != before:
            stored.record.edits.append(before)
        describe(stored)
    world.changed()
    return stored.data


@method("editMessageText")
def edit_message_text(world: World, params: Params) -> dict[str, Any]:
    """Replace a text message's text (and keyboard: none given removes it)."""
    stored = _editable(world, params)
    content = message_text(params)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    fields = {"text": content["text"], "entities": content.get("entities")}
    fields["reply_markup"] = read_markup(params).inline
    edited = _edit(world, stored, fields)
    if stored.record is not None:
        stored.record.parse_mode = params.text("parse_mode")
    return edited


@method("editMessageCaption")
def edit_message_caption(world: World, params: Params) -> dict[str, Any]:
    """Replace a media message's caption (and keyboard)."""
    stored = _editable(world, params)
    if "text" in stored.data:
        raise bad_request("there is no caption in the message to edit")
    content = request_caption(params)
    fields = {
        "caption": content.get("caption"),
        "caption_entities": content.get("caption_entities"),
    }
    fields["reply_markup"] = read_markup(params).inline
    return _edit(world, stored, fields)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(world: World, params: Params) -> dict[str, Any]:
    """Replace or remove a message's inline keyboard."""
    stored = _editable(world, params)
    return _edit(world, stored, {"reply_markup": read_markup(params).inline})


@method("deleteMessage")
def delete_message(world: World, params: Params) -> bool:
    """Delete a message; a second delete finds nothing."""
    chat = world.chat_for_bot(params.chat_id(), reading=True)
    stored = chat.live(params.integer("message_id", required=True) or 0)
    if stored is None:
        raise bad_request("message to delete not found")
    stored.delete()
    world.changed()
    return True


@method("answerCallbackQuery")
def answer_callback_query(world: World, params: Params) -> bool:
    """Answer a button press once; an unknown or already answered query is too old."""
    query_id = params.text("callback_query_id", required=True) or ""
    query = world.queries.get(query_id)
    if query is None or query_id in world.callback_answers:
        raise bad_request(QUERY_TOO_OLD)
    text = params.text("text")
    if text is not None and len(text) > ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    world.callback_answers[query_id] = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.text("url"),
        "cache_time": params.integer("cache_time", default=0),
    }
    world.changed()
    return True
