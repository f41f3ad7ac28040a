"""Telegram's MarkdownV2 and legacy Markdown parse modes."""

import re
from typing import Any

from bot.sandbox.entities import Entity, ParseError, TextBuilder

_MD2_TOGGLES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]+")
_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_NAMES = {"bold": "Bold", "italic": "Italic", "underline": "Underline", "spoiler": "Spoiler"}
_NAMES |= {"strikethrough": "Strikethrough", "code": "Code", "pre": "Pre", "text_link": "TextUrl"}
_NAMES |= {"blockquote": "BlockQuote"}


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """MarkdownV2: every reserved character outside an entity must be escaped."""
    out = TextBuilder(source)
    index = 0
    while index < len(source):
        char = source[index]
        top = out.open[-1][0] if out.open else ""
        line_start = index == 0 or source[index - 1] == "\n"
        if char == "\\" and index + 1 < len(source):
            out.add(source[index + 1])
            index += 2
        elif top in ("`", "```") and not source.startswith(top, index):
            out.add(char)
            index += 1
        elif char == ">" and line_start:
            if top != ">":
                out.start(">", {"type": "blockquote"}, index)
            index += 1
        elif char == "\n" and top == ">" and not source.startswith(">", index + 1):
            out.close()
            out.add(char)
            index += 1
        elif char == "`":
            index = _md2_code(out, source, index)
        elif source.startswith(("__", "||"), index) or char in "*_~":
            marker = source[index : index + 2] if source.startswith(("__", "||"), index) else char
            if top == marker:
                out.close()
            else:
                out.start(marker, {"type": _MD2_TOGGLES[marker]}, index)
            index += len(marker)
        elif char == "[":
            out.start("[", {}, index)
            index += 1
        elif char == "]" and top == "[" and source.startswith("(", index + 1):
            url, index = _md2_url(out, source, index + 2)
            out.open[-1][1].update({"type": "text_link", "url": url})
            out.close()
        elif char in _MD2_RESERVED:
            raise ParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.add(char)
            index += 1
    if out.open and out.open[-1][0] == ">":
        out.close()  # a quote may run to the end of the text
    if out.open:
        marker, entity, _, start = out.open[-1]
        name = _NAMES.get(entity.get("type", ""), "TextUrl")
        raise ParseError(f"Can't find end of {name} entity at byte offset {out.byte_offset(start)}")
    return out.result()


def _md2_code(out: TextBuilder, source: str, index: int) -> int:
    """Open or close `code` or a ```pre``` block; return the next index."""
    if out.open and out.open[-1][0] in ("`", "```"):
        index += len(out.open[-1][0])
        out.close()
        return index
    if source.startswith("```", index):
        line_end = source.find("\n", index)
        first = source[index + 3 : line_end] if line_end != -1 else ""
        entity: dict[str, Any] = {"type": "pre"}
        if _LANGUAGE.fullmatch(first.strip()):
            entity["language"] = first.strip()
            index = line_end + 1
            out.start("```", entity, index)
            return index
        out.start("```", entity, index)
        return index + 3
    out.start("`", {"type": "code"}, index)
    return index + 1


def _md2_url(out: TextBuilder, source: str, index: int) -> tuple[str, int]:
    """The url of [text](url) from `index`, and where it ends."""
    start = index
    chars = []
    while index < len(source) and source[index] != ")":
        if source[index] == "\\" and index + 1 < len(source):
            index += 1
        chars.append(source[index])
        index += 1
    if index >= len(source):
        raise ParseError(f"Can't find end of a url at byte offset {out.byte_offset(start)}")
    return "".join(chars), index + 1


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = TextBuilder(source)
    index = 0
    kinds = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}
    while index < len(source):
        char = source[index]
        marker = "```" if source.startswith("```", index) else char
        if char == "\\" and source[index + 1 : index + 2] in ("_", "*", "`", "["):
            out.add(source[index + 1])
            index += 2
        elif marker in kinds or char == "[":
            closing = {"[": "]"}.get(marker, marker)
            end = source.find(closing, index + len(marker))
            link = source.find(")", end) if char == "[" and end != -1 else 0
            if end == -1 or link == -1 or (char == "[" and source[end + 1 : end + 2] != "("):
                offset = out.byte_offset(index)
                raise ParseError(f"Can't find end of the entity starting at byte offset {offset}")
            entity = {"type": kinds.get(marker, "text_link")}
            if char == "[":
                entity["url"] = source[end + 2 : link]
            out.start(marker, entity, index)
            out.add(source[index + len(marker) : end])
            out.close()
            index = link + 1 if char == "[" else end + len(closing)
        else:
            out.add(char)
            index += 1
    return out.result()
