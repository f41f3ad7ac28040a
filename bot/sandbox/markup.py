"""parse_mode as Telegram applies it: HTML, MarkdownV2 and Markdown become plain text + entities."""

from typing import Any

from bot.sandbox.entities import Entity, ParseError, sort_entities
from bot.sandbox.errors import bad_request
from bot.sandbox.markdown import parse_markdown, parse_markdown_v2
from bot.sandbox.markup_html import parse_html

PARSERS = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}


def render(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[Entity]]:
    """The text and entities Telegram stores for a text or caption; ApiError if it refuses."""
    if parse_mode:
        parser = PARSERS.get(parse_mode.lower())
        if parser is None:
            raise bad_request("unsupported parse_mode")
        try:
            return parser(text)
        except ParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if entities is None:
        return text, []
    if not isinstance(entities, list) or not all(_is_entity(item) for item in entities):
        raise bad_request("can't parse entities JSON object")
    return text, sort_entities([dict(item) for item in entities])


def _is_entity(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("type"), str)
        and isinstance(item.get("offset"), int)
        and isinstance(item.get("length"), int)
    )
