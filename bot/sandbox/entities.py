"""Message entities: UTF-16 offsets, trimming, and what Telegram detects in people's text."""

import re
from typing import Any

Entity = dict[str, Any]

# Telegram finds these in text people type; earlier patterns win where matches overlap.
_DETECTED = [
    ("bot_command", re.compile(r"(?<![A-Za-z0-9_/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")),
    ("url", re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»」。，]")),
    ("mention", re.compile(r"(?<![A-Za-z0-9_@/])@[A-Za-z0-9_]{3,32}(?![A-Za-z0-9_])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
]


def u16len(text: str) -> int:
    """Length in UTF-16 code units, which is how Telegram counts offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def u16slice(text: str, offset: int, length: int) -> str:
    """The part of `text` an entity covers."""
    raw = text.encode("utf-16-le")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def detect(text: str) -> list[Entity]:
    """Entities Telegram adds to a person's message: commands, mentions, hashtags, links."""
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []
    for kind, pattern in _DETECTED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            found.append(
                {"offset": u16len(text[:start]), "length": u16len(match.group()), "type": kind}
            )
    return sort_entities(found)


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Telegram's order: by offset, an enclosing entity before the ones inside it."""
    return sorted(entities, key=lambda entity: (entity["offset"], -entity["length"]))


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = u16len(text[: len(text) - len(text.lstrip())])
    size = u16len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, sort_entities(kept)


def commands(text: str, entities: list[Entity]) -> list[tuple[str, str | None]]:
    """The (command, @bot or None) pairs of a text's bot_command entities."""
    found = []
    for entity in entities:
        if entity.get("type") == "bot_command":
            name, _, bot = u16slice(text, entity["offset"], entity["length"]).partition("@")
            found.append((name, bot or None))
    return found


def mentions(text: str, entities: list[Entity]) -> list[str]:
    """Usernames mentioned with @, without the @."""
    return [
        u16slice(text, entity["offset"], entity["length"])[1:]
        for entity in entities
        if entity.get("type") == "mention"
    ]


class ParseError(Exception):
    """Markup Telegram would refuse; the message is Telegram's."""


class TextBuilder:
    """Plain text being built, with entities opened and closed at UTF-16 positions."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.size = 0
        self.entities: list[Entity] = []
        self.open: list[tuple[str, Entity, int, int]] = []  # (marker, entity, start, index)
        self._order: list[int] = []  # when each finished entity was opened

    def add(self, text: str) -> None:
        """Append plain text."""
        self.parts.append(text)
        self.size += u16len(text)

    def start(self, marker: str, entity: Entity, index: int) -> None:
        """Open an entity here; `marker` is the tag or markdown mark that opened it."""
        self.open.append((marker, entity, self.size, index))

    def close(self) -> Entity:
        """Close the innermost open entity (an empty one is dropped, as Telegram drops it)."""
        _, entity, start, index = self.open.pop()
        if self.size > start and entity.get("type"):
            self.entities.append({**entity, "offset": start, "length": self.size - start})
            self._order.append(index)
        return entity

    def byte_offset(self, index: int) -> int:
        """Telegram reports markup errors at UTF-8 byte offsets of the source."""
        return len(self.source[:index].encode())

    def result(self) -> tuple[str, list[Entity]]:
        """The text and its entities, an outer one before an inner one of the same range."""
        ranked = sorted(
            zip(self._order, self.entities, strict=True),
            key=lambda pair: (pair[1]["offset"], -pair[1]["length"], pair[0]),
        )
        return "".join(self.parts), [entity for _, entity in ranked]
