"""A Bot API call's parameters, however they came (JSON, form, multipart, query string)."""

import json
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Typed access to parameters; form values arrive as text and are converted as Telegram does."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def has(self, name: str) -> bool:
        """Whether the parameter was given (a file part counts)."""
        return self.values.get(name) not in (None, "") or name in self.uploads

    def text(self, name: str, required: bool = False) -> str | None:
        """A string parameter."""
        value = self.values.get(name)
        if value is None:
            if required:
                raise bad_request(f'parameter "{name}" is required')
            return None
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, required: bool = False, default: int | None = None) -> int | None:
        """An integer parameter; text that is not a number is refused."""
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f'parameter "{name}" is required')
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, required: bool = False) -> float | None:
        """A float parameter (latitude, longitude)."""
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f'parameter "{name}" is required')
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter: JSON true/false or their text forms."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value.lower() not in _TRUE | _FALSE:
                raise bad_request(f"invalid {name} specified")
            return value.lower() in _TRUE
        return bool(value)

    def json(self, name: str, what: str | None = None) -> Any:
        """A nested object or array: as JSON, or as a JSON string inside a form field."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what or name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A chat id: a number or an @username."""
        value = self.values.get(name)
        if value in (None, ""):
            raise bad_request(f"{name} is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload (direct or attach://name), or a file id or URL."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.attached(value)
        return value if isinstance(value, str) and value else None

    def attached(self, reference: str) -> Upload | str:
        """What an attach://name reference points to."""
        if not reference.startswith("attach://"):
            return reference
        upload = self.uploads.get(reference.removeprefix("attach://"))
        if upload is None:
            raise bad_request("wrong HTTP URL specified")
        return upload
