"""Telegram's HTML parse mode: a closed set of tags and four named character references."""

import re
from typing import Any

from bot.sandbox.entities import Entity, ParseError, TextBuilder

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ESCAPES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[^\s>]*")
_CHAR_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Telegram's HTML: a closed set of tags, four named character references."""
    out = TextBuilder(source)
    index = 0
    while index < len(source):
        char = source[index]
        if char == "&":
            match = _CHAR_REF.match(source, index)
            out.add(_char_ref(match.group(1)) if match else "&")
            index = match.end() if match else index + 1
            continue
        if char != "<":
            out.add(char)
            index += 1
            continue
        index = _html_tag(out, source, index)
    if out.open:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{out.open[-1][0]}"')
    return out.result()


def _char_ref(name: str) -> str:
    """The character an HTML reference stands for; an unknown named one stays as written."""
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return _HTML_ESCAPES.get(name, f"&{name};")


def _html_tag(out: TextBuilder, source: str, index: int) -> int:
    """Open or close the tag at `index`; return the index after it."""
    offset = out.byte_offset(index)
    if source.startswith("</", index):
        if not out.open:
            raise ParseError(f"Unexpected end tag at byte offset {offset}")
        end = source.find(">", index)
        if end == -1:
            raise ParseError(f"Unclosed end tag at byte offset {offset}")
        name, expected = source[index + 2 : end].strip().lower(), out.open[-1][0]
        if name and name != expected:
            raise ParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{expected}>", '
                f'found "</{name}>"'
            )
        out.close()
        return end + 1
    name_end = _TAG_NAME.match(source, index + 1).end()
    if name_end >= len(source):
        raise ParseError(f"Unclosed start tag at byte offset {offset}")
    name = source[index + 1 : name_end].lower()
    if name not in _HTML_TAGS:
        raise ParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    end = source.find(">", name_end)
    if end == -1:
        raise ParseError(f"Unclosed start tag at byte offset {offset}")
    raw_attrs = source[name_end:end]
    attrs = {key.lower(): a or b or c for key, a, b, c in _ATTR.findall(raw_attrs)}
    kind = _HTML_TAGS[name]
    entity: dict[str, Any] = {"type": kind}
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if kind == "text_link":
        entity = {"type": kind, "url": attrs["href"]} if attrs.get("href") else {}
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif kind == "blockquote" and "expandable" in raw_attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "code" and out.open and out.open[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            out.open[-1][1]["language"] = language.removeprefix("language-")
        entity = {}
    out.start(name, entity, index)
    return end + 1
