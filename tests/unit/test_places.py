"""Finding building, unit and room in a resident's words, and reading a bare room number."""

import pytest

from tickets.community import Building
from tickets.places import PlaceGuess, guess_place, parse_room

BUILDINGS = (
    Building(code="1", name="1栋", units=3),
    Building(code="3", name="3栋", units=2),
    Building(code="5", name="5栋", units=2),
    Building(code="8", name="8幢", units=2),
    Building(code="11", name="11栋", units=4),
    Building(code="A", name="A座"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # by configured name
        ("3栋的电梯坏了", PlaceGuess("3")),
        ("8幢门口有垃圾", PlaceGuess("8")),
        ("A座的门禁坏了", PlaceGuess("A")),
        ("a座1203房", PlaceGuess("A", room="1203")),
        # by code and a building word, only for codes that exist
        ("8号楼", PlaceGuess("8")),
        ("8栋", PlaceGuess("8")),
        ("5幢", PlaceGuess("5")),
        ("我住3楼", PlaceGuess("3")),
        ("13栋的灯不亮", PlaceGuess()),
        ("7号楼停水了", PlaceGuess()),
        # a code does not match inside a longer number
        ("11栋的灯不亮", PlaceGuess("11")),
        ("21栋", PlaceGuess()),
        # 一楼 is a floor, not building 1
        ("5栋一楼的灯坏了好几天了", PlaceGuess("5")),
        # English
        ("building 3, the lift is broken", PlaceGuess("3")),
        ("Bldg 5 unit 2", PlaceGuess("5", unit=2)),
        ("block 11 unit 4 room 1203", PlaceGuess("11", unit=4, room="1203")),
        ("Building 9", PlaceGuess()),
        # Chinese numerals
        ("三栋二单元的电梯", PlaceGuess("3", unit=2)),
        ("十一栋三单元", PlaceGuess("11", unit=3)),
        ("一栋三单元", PlaceGuess("1", unit=3)),
        # full-width digits (NFKC)
        ("３栋２单元１２０３室", PlaceGuess("3", unit=2, room="1203")),
        # compact forms
        ("3栋2单元1203", PlaceGuess("3", unit=2, room="1203")),
        ("3-2-1203 楼道灯不亮", PlaceGuess("3", unit=2, room="1203")),
        ("我家是11-4-502", PlaceGuess("11", unit=4, room="502")),
        ("a-1-301", PlaceGuess("A", unit=1, room="301")),
        # a unit only within the building's units
        ("1栋5单元", PlaceGuess("1")),
        ("3-3-1203", PlaceGuess("3", room="1203")),
        ("3-0-1203", PlaceGuess("3", room="1203")),
        ("building 5 unit 1203", PlaceGuess("5")),
        # no building, no unit
        ("2单元的门禁坏了", PlaceGuess()),
        ("unit 2", PlaceGuess()),
        ("9-2-1203", PlaceGuess()),
        ("2024-05-12 停水", PlaceGuess()),
        # room forms
        ("3栋1203室", PlaceGuess("3", room="1203")),
        ("room 1203 has no water", PlaceGuess(room="1203")),
        ("1203房漏水", PlaceGuess(room="1203")),
        ("楼道灯还是不亮", PlaceGuess()),
    ],
)
def test_guess_place(text, expected):
    assert guess_place(text, BUILDINGS) == expected


def test_earliest_building_wins_among_equals():
    assert guess_place("3栋的人把车停在5栋门口", BUILDINGS).building == "3"


def test_a_building_word_is_trusted_over_a_bare_floor():
    assert guess_place("3楼的住户，我是5栋的", BUILDINGS).building == "5"


def test_unit_depends_on_the_building_found():
    two_units, three_units = BUILDINGS[1], BUILDINGS[0]
    assert guess_place("3栋3单元", [two_units]).unit is None
    assert guess_place("1栋3单元", [three_units]).unit == 3


def test_no_buildings_configured():
    assert guess_place("3栋2单元1203", []) == PlaceGuess(room="1203")


@pytest.mark.parametrize(
    ("text", "room"),
    [
        ("1203", "1203"),
        (" 1203 ", "1203"),
        ("1203室", "1203"),
        ("1203 房", "1203"),
        ("2-1203", "2-1203"),
        ("room 1203", "1203"),
        ("Room 1203", "1203"),
        ("#1203", "1203"),
        ("１２０３", "1203"),
        ("12345678", "12345678"),
    ],
)
def test_parse_room(text, room):
    assert parse_room(text) == room


@pytest.mark.parametrize(
    "text",
    ["楼道灯还是不亮", "", "   ", "123456789", "12345-678", "1-2-3", "-12", "12-", "12a", "room"],
)
def test_parse_room_refuses_anything_else(text):
    assert parse_room(text) is None
