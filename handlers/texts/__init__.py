"""Every user-facing text, from the translation catalogs: Chinese first, English too."""

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
_HERE = Path(__file__).parent


@cache
def catalog(language: str) -> dict[str, str]:
    """One language's catalog, flattened to dotted keys ("start.welcome").

    The main file is `<language>.yaml`; each area may keep its own in `<area>/<language>.yaml`.
    A key defined twice is a mistake, refused here.
    """
    files = [_HERE / f"{language}.yaml", *sorted(_HERE.glob(f"*/{language}.yaml"))]
    texts: dict[str, str] = {}
    for path in files:
        for key, value in _flatten(yaml.safe_load(path.read_text("utf-8"))):
            if key in texts:
                raise ValueError(f"{path}: text {key!r} is defined twice")
            texts[key] = value
    return texts


def _flatten(data: dict, prefix: str = ""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


def language_of(code: str | None) -> str:
    """Our language for a Telegram language_code: English for "en…", Chinese otherwise."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANGUAGE


def t(language: str, key: str, **values: object) -> str:
    """The text for `key` in `language` (Chinese when unknown), with values filled in."""
    texts = catalog(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    return texts[key].format(**values) if values else texts[key]
