"""One spelling for every request: NFKC, full-width to half-width, lower case, no control marks."""

import re
import unicodedata

MAX_CHARS = 4096  # Telegram's limit for one message; longer text is cut, not refused
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_SPACES = re.compile(r"[ \t\r\f\v]+")
# Chinese punctuation NFKC leaves alone, spelled the ASCII way so rules need one spelling.
_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "～": "~", "「": '"', "」": '"', "…": "..."})


def normalize(text: object) -> str:
    """The text as the rules and the model read it; never raises, whatever arrives."""
    if not text:
        return ""
    text = text if isinstance(text, str) else str(text)  # a number in a JSON line, say
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_PUNCTUATION)
    text = _CONTROL.sub(" ", text).lower()
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines()).strip()


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit of any script (not only emoji)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def readable_share(text: str) -> float:
    """Share of the letters that are Chinese or Latin: the scripts the model was trained on."""
    letters = [c for c in text if unicodedata.category(c)[0] == "L"]
    if not letters:
        return 0.0
    return sum(is_chinese(c) or c.isascii() for c in letters) / len(letters)


def is_chinese(char: str) -> bool:
    """True for a CJK ideograph (the script of nearly all our residents)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
