"""Media in messages: uploads and known file ids become Telegram's photo, document, video..."""

from typing import Any

from bot.sandbox.errors import WRONG_FILE, bad_request
from bot.sandbox.files import FileStore, guess_mime, image_size
from bot.sandbox.params import Upload

MAX_UPLOAD = 50 * 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024
DEFAULT_MIME = {"video": "video/mp4", "voice": "audio/ogg", "sticker": "image/webp"}


def media_content(
    files: FileStore, kind: str, source: Upload | str | None, extra: dict[str, Any]
) -> dict[str, Any]:
    """The Message fields for one photo, document, video or voice, from an upload or file id.

    `extra` holds the request's own fields for the object (duration, width, height).
    """
    if source is None:
        raise bad_request(f'parameter "{kind}" is required')
    if isinstance(source, str):
        return {kind: _known(files, kind, source)}
    if not source.data:
        raise bad_request("file must be non-empty")
    if len(source.data) > (MAX_PHOTO if kind == "photo" else MAX_UPLOAD):
        raise bad_request("file is too big")
    if kind == "photo":
        if image_size(source.data) is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        return {"photo": files.add_photo(source.data)}
    mime = guess_mime(source.filename, source.content_type)
    if kind != "document":
        mime = DEFAULT_MIME[kind] if mime == "application/octet-stream" else mime
    return {kind: files.add(kind, source.data, source.filename, mime, _meta(kind, extra)).to_json()}


def _known(files: FileStore, kind: str, file_id: str) -> Any:
    """A file the sandbox already has; there is no internet, so a URL is refused."""
    stored = files.get(file_id.strip())
    if stored is None or (stored.kind != kind and kind != "document"):
        raise bad_request(WRONG_FILE)
    return stored.sizes if stored.kind == "photo" and kind == "photo" else stored.to_json()


def _meta(kind: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The fields Telegram would read from the media itself; the request's values or defaults."""

    def number(name: str, default: int) -> int:
        value = extra.get(name)
        try:
            return int(value) if value not in (None, "") else default
        except (TypeError, ValueError):
            return default

    if kind == "video":
        return {
            "width": number("width", 640),
            "height": number("height", 360),
            "duration": number("duration", 1),
        }
    if kind == "voice":
        return {"duration": number("duration", 1)}
    if kind == "sticker":
        sticker = {"type": "regular", "width": 512, "height": 512, "is_animated": False}
        return sticker | {"is_video": False, "emoji": extra.get("emoji") or "👍"}
    return {}
