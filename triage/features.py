"""What the model reads: character n-grams of the normalised text, tone removed, digits as 0."""

import re
from collections import Counter

from triage.rules import without_tone

NGRAMS = (1, 4)  # shortest and longest n-gram; no word segmenter needed for Chinese
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+")


def model_text(normalized: str) -> str:
    """The text the model reads: tone cannot move it and room numbers do not matter."""
    text = _DIGITS.sub("0", without_tone(normalized))
    return f" {_SPACES.sub(' ', text).strip()} "


def ngrams(text: str) -> list[str]:
    """Every character n-gram of `model_text` output, in order (the model's analyzer)."""
    low, high = NGRAMS
    return [
        text[start : start + n]
        for n in range(low, high + 1)
        for start in range(len(text) - n + 1)
        if not text[start : start + n].isspace()
    ]


def counts(normalized: str) -> Counter[str]:
    """How often each n-gram occurs in a normalised request."""
    return Counter(ngrams(model_text(normalized)))
