"""Find the building, unit and room a resident names, so a report needs fewer questions."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tickets.community import Building


@dataclass(frozen=True)
class PlaceGuess:
    """What the text says about the place; None where it says nothing we can trust."""

    building: str | None = None  # building code from the configuration
    unit: int | None = None  # 1..building.units
    room: str | None = None


_CN_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
# a Chinese numeral up to 99 right before a building or unit word (not 楼 alone: 一楼 is a floor)
_CN_NUMERAL = r"[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_CN_NUMBER = re.compile(rf"(?<![一二三四五六七八九十])({_CN_NUMERAL})(?=栋|幢|号楼|单元)")
_EDGE = r"(?<![0-9a-z])"  # a code must not continue a longer number or word
_BUILDING_WORDS = r"(?:栋|幢|号楼)"
_ENGLISH_BUILDING = re.compile(r"\b(?:building|bldg\.?|block)\s*(?:no\.?\s*)?#?\s*([0-9a-z]+)\b")
_COMPACT = re.compile(r"(?<![0-9a-z-])([0-9a-z]+)-(\d{1,2})-(\d{2,5})(?![0-9-])")
# unit and room patterns, most trusted first
_UNIT_PATTERNS = (re.compile(r"(?<!\d)(\d{1,2})\s*单元"), re.compile(r"\bunit\s*#?\s*(\d{1,2})\b"))
_ROOM_PATTERNS = (
    re.compile(r"单元\s*(\d{2,5})(?![\d-])"),
    re.compile(r"(?<![\d-])(\d+(?:-\d+)?)\s*(?:室|号房|房)"),
    re.compile(r"\broom\s*(?:no\.?\s*)?#?\s*(\d+(?:-\d+)?)\b"),
    re.compile(r"#\s*(\d{2,5}(?:-\d+)?)\b"),
)
_ROOM_ONLY = re.compile(r"(?:room\s*(?:no\.?)?\s*|#\s*)?(\d+(?:-\d+)?)\s*(?:室|号房|房)?")


def _cn_number(numeral: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 三十 -> 30, 二十三 -> 23."""
    tens, ten, ones = numeral.partition("十")
    if not ten:
        return _CN_DIGIT[numeral]
    return _CN_DIGIT.get(tens, 1) * 10 + _CN_DIGIT.get(ones, 0)


def _normalise(text: str) -> str:
    """NFKC (full-width digits), lower case, and 三栋/二单元 read as 3栋/2单元."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _CN_NUMBER.sub(lambda m: str(_cn_number(m.group(1))), text)


def _building_hits(text: str, building: Building) -> list[tuple[int, int]]:
    """(trust, position) of each mention: 0 by name or 栋/幢/号楼/building N, 1 by N楼."""
    code = re.escape(_normalise(building.code))
    hits = [(0, m.start()) for m in re.finditer(_EDGE + re.escape(_normalise(building.name)), text)]
    hits += [(0, m.start()) for m in re.finditer(rf"{_EDGE}{code}\s*{_BUILDING_WORDS}", text)]
    hits += [(1, m.start()) for m in re.finditer(rf"{_EDGE}{code}\s*楼", text)]
    hits += [(0, m.start(1)) for m in _ENGLISH_BUILDING.finditer(text) if m.group(1) == code]
    return hits


def _find_building(text: str, buildings: Sequence[Building]) -> Building | None:
    """The most trusted, then earliest, building mentioned."""
    ranked = [(hit, b) for b in buildings for hit in _building_hits(text, b)]
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None


def _unit(text: str, building: Building) -> int | None:
    """The first unit named that the building actually has."""
    for pattern in _UNIT_PATTERNS:
        for match in pattern.finditer(text):
            if 1 <= int(match.group(1)) <= building.units:
                return int(match.group(1))
    return None


def _room(text: str) -> str | None:
    """The first room named in the most trusted form."""
    for pattern in _ROOM_PATTERNS:
        if match := pattern.search(text):
            return match.group(1)
    return None


def guess_place(text: str, buildings: Sequence[Building]) -> PlaceGuess:
    """Building, unit and room in a resident's words; a unit only within a building found."""
    text = _normalise(text)
    if compact := _COMPACT.search(text):
        code, unit, room = compact.groups()
        building = next((b for b in buildings if _normalise(b.code) == code), None)
        if building is not None:
            unit_ok = 1 <= int(unit) <= building.units
            return PlaceGuess(building.code, int(unit) if unit_ok else None, room)
    building = _find_building(text, buildings)
    if building is None:
        return PlaceGuess(room=_room(text))
    return PlaceGuess(building.code, _unit(text, building), _room(text))


def parse_room(text: str) -> str | None:
    """A room number when the message is nothing else ("1203", "1203室", "room 1203", "#2-1203")."""
    match = _ROOM_ONLY.fullmatch(unicodedata.normalize("NFKC", text).strip().lower())
    if match is None or len(match.group(1)) > 8:
        return None
    return match.group(1)
