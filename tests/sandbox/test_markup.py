"""parse_mode and entity detection, as Telegram does them."""

import pytest

from bot.sandbox.entities import detect, trim, u16len
from bot.sandbox.errors import ApiError
from bot.sandbox.markup import parse_html, parse_markdown, parse_markdown_v2, render


def test_html_becomes_plain_text_and_entities():
    text, found = parse_html('<b>工单</b> JH-0042 <a href="https://x.org/1">看看</a> &lt;3 &amp;')
    assert text == "工单 JH-0042 看看 <3 &"
    assert found == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "url": "https://x.org/1", "offset": 11, "length": 2},
    ]


def test_html_offsets_count_utf16_units():
    text, found = parse_html("🏠 <i>home</i>")
    assert text == "🏠 home"
    assert found == [{"type": "italic", "offset": 3, "length": 4}]


def test_html_pre_with_language_and_nesting():
    text, found = parse_html('<pre><code class="language-python">x = 1</code></pre><b><i>y</i></b>')
    assert text == "x = 1y"
    assert found == [
        {"type": "pre", "language": "python", "offset": 0, "length": 5},
        {"type": "bold", "offset": 5, "length": 1},
        {"type": "italic", "offset": 5, "length": 1},
    ]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("a <x>b</x>", 'Unsupported start tag "x" at byte offset 2'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("</b", "Unexpected end tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_bad_html_is_refused_with_telegrams_description(source, problem):
    with pytest.raises(ApiError) as refused:
        render(source, "HTML")
    assert refused.value.code == 400
    assert refused.value.description == f"Bad Request: can't parse entities: {problem}"


def test_markdown_v2_entities_and_escapes():
    text, found = parse_markdown_v2(
        r"*bold* _it_ __u__ ~s~ ||sp|| `c\`` [link](https://a.b/\)) 1\.5"
    )
    assert text == "bold it u s sp c` link 1.5"
    kinds = [(entity["type"], entity["offset"], entity["length"]) for entity in found]
    assert kinds == [
        ("bold", 0, 4),
        ("italic", 5, 2),
        ("underline", 8, 1),
        ("strikethrough", 10, 1),
        ("spoiler", 12, 2),
        ("code", 15, 2),
        ("text_link", 18, 4),
    ]
    assert found[-1]["url"] == "https://a.b/)"


def test_markdown_v2_refuses_unescaped_reserved_characters():
    with pytest.raises(ApiError) as refused:
        render("Ticket JH-0042 is done.", "MarkdownV2")
    assert "Character '-' is reserved" in refused.value.description
    with pytest.raises(ApiError, match="Can't find end of Bold entity"):
        render("*open", "MarkdownV2")


def test_legacy_markdown():
    text, found = parse_markdown("*b* _i_ `c` [t](http://x.y)")
    assert text == "b i c t"
    assert [entity["type"] for entity in found] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(ApiError, match="Can't find end of the entity starting at byte offset 0"):
        render("*open", "Markdown")


def test_without_parse_mode_the_text_is_kept_and_entities_are_checked():
    assert render("<b>x</b>", None) == ("<b>x</b>", [])
    given = [{"type": "bold", "offset": 0, "length": 1}]
    assert render("x", None, given) == ("x", given)
    with pytest.raises(ApiError, match="can't parse entities JSON object"):
        render("x", None, [{"type": "bold"}])
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        render("x", "RTF")


def test_detected_entities_in_peoples_text():
    found = detect("/start abc @courtyard_sandbox_bot #报修 https://a.cn/x.")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 6),
        ("mention", 11, 22),
        ("hashtag", 34, 3),
        ("url", 38, 14),
    ]
    assert detect("/help@courtyard_sandbox_bot") == [
        {"offset": 0, "length": 27, "type": "bot_command"}
    ]
    assert detect("mail a@b.com or 1/2") == []


def test_trim_keeps_entities_on_their_characters():
    text, found = trim("  hi there \n", [{"type": "bold", "offset": 2, "length": 2}])
    assert text == "hi there"
    assert found == [{"type": "bold", "offset": 0, "length": 2}]
    assert trim(" \n ", []) == ("", [])
    assert u16len("😀a") == 3


def test_markdown_v2_quotes_and_code_blocks():
    text, found = parse_markdown_v2(">第一行\n>第二行\n正文 ```python\nx = 1```")
    assert text == "第一行\n第二行\n正文 x = 1"
    assert found == [
        {"type": "blockquote", "offset": 0, "length": 7},
        {"type": "pre", "language": "python", "offset": 11, "length": 5},
    ]
    with pytest.raises(ApiError, match="Character '>' is reserved"):
        render("a > b", "MarkdownV2")
    with pytest.raises(ApiError, match="Can't find end of a url at byte offset 7"):
        render("[link](http://x", "MarkdownV2")
