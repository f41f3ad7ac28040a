"""reply_markup as Telegram checks it: inline keyboards, reply keyboards, removal, force reply."""

from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.records import Button

_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"
MAX_CALLBACK_BYTES = 64


@dataclass
class Markup:
    """A checked reply_markup: the inline keyboard goes into the Message, the rest does not."""

    inline: dict[str, Any] | None = None
    keyboard: list[list[Button]] | None = None  # a reply keyboard


def read_markup(params: Params) -> Markup:
    """The request's reply_markup, checked; 400 with Telegram's description when wrong."""
    markup = params.json("reply_markup", "reply keyboard markup")
    if markup is None:
        return Markup()
    if not isinstance(markup, dict):
        raise bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in markup:
        return Markup(inline={"inline_keyboard": inline_rows(markup["inline_keyboard"])})
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(_MARKUP_ERROR)
        return Markup(keyboard=[[Button(_button_text(item)) for item in row] for row in rows])
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return Markup()
    raise bad_request(_MARKUP_ERROR)


def inline_rows(rows: Any) -> list[list[dict[str, Any]]]:
    """An inline keyboard's rows, each button checked as Telegram does."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array'
        )
    return [[_inline_button(button) for button in row] for row in rows if row]


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    actions = [key for key in _ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse InlineKeyboardButton: Text buttons are not allowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")
    if not button["text"]:
        raise bad_request("text buttons must have non-empty text")
    return {key: value for key, value in button.items() if value is not None}


def _button_text(item: Any) -> str:
    """A reply keyboard button is a string or an object with text."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item["text"]
    raise bad_request(_MARKUP_ERROR)
