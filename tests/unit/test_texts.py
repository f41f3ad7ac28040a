"""The translation catalogs: the same keys and placeholders in Chinese and English."""

import string

import pytest

from handlers.texts import LANGUAGES, catalog, language_of, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key():
    keys = {language: set(catalog(language)) for language in LANGUAGES}
    assert keys["en"] == keys["zh-CN"]


@pytest.mark.parametrize("key", sorted(catalog("zh-CN")))
def test_placeholders_match_across_languages(key):
    assert placeholders(catalog("en")[key]) == placeholders(catalog("zh-CN")[key])


@pytest.mark.parametrize(
    ("code", "language"),
    [("en", "en"), ("en-US", "en"), ("zh-hans", "zh-CN"), ("zh-TW", "zh-CN"), (None, "zh-CN")],
)
def test_telegram_language_codes_map_to_our_languages(code, language):
    assert language_of(code) == language


def test_an_unknown_language_falls_back_to_chinese():
    assert t("fr", "lang.chosen") == t("zh-CN", "lang.chosen") == "已切换为中文。"


def test_values_are_filled_in():
    assert t("en", "mine.cancelled", ticket="JH-0042") == "JH-0042 is cancelled."
