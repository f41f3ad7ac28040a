"""Files the bot uploaded or people sent: realistic ids, photo sizes, bytes served by path."""

import base64
import hashlib
import mimetypes
import secrets
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

# Telegram's file ids start with a type tag; these prefixes make sandbox ids look the same.
_ID_PREFIX = {
    "photo": "AgACAgIAAxkBAAI",
    "document": "BQACAgIAAxkBAAI",
    "video": "BAACAgIAAxkBAAI",
    "voice": "AwACAgIAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
}
_FOLDER = {
    "photo": "photos",
    "document": "documents",
    "video": "videos",
    "voice": "voice",
    "sticker": "stickers",
}
_EXTENSION = {"photo": ".jpg", "video": ".mp4", "voice": ".oga", "sticker": ".webp"}
_PHOTO_SIDES = (90, 320, 800, 1280)
MAX_PHOTO_SIDE = 2560


@dataclass
class StoredFile:
    """One file id and the bytes behind it."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    sizes: list[dict[str, Any]] = field(default_factory=list)  # a photo's PhotoSize list
    meta: dict[str, Any] = field(default_factory=dict)  # the rest of its Telegram object

    def to_json(self) -> dict[str, Any]:
        """The Document, Video, Voice or Sticker object for this file."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id} | self.meta


class FileStore:
    """Every file the sandbox knows, by file id and by file path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        kind: str,
        data: bytes,
        name: str | None = None,
        mime: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> StoredFile:
        """Store bytes as a new file id of a kind (document, video, voice, sticker)."""
        stored = self._store(kind, data, _unique_id(kind, data), name, mime)
        stored.meta = {"file_name": name} if name and kind in ("document", "video") else {}
        stored.meta |= {"mime_type": mime} if mime and kind != "sticker" else {}
        stored.meta |= (meta or {}) | {"file_size": len(data)}
        return stored

    def add_photo(self, data: bytes) -> list[dict[str, Any]]:
        """Store a photo; return its PhotoSize list, smallest first (all serve the same bytes)."""
        width, height = image_size(data) or (0, 0)
        sizes = []
        for side in (*[s for s in _PHOTO_SIDES if s < max(width, height)], MAX_PHOTO_SIDE):
            scale = min(1.0, side / max(width, height, 1))
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            if sizes and (sizes[-1]["width"], sizes[-1]["height"]) == size:
                continue
            stored = self._store(
                "photo", data, _unique_id(f"photo{side}", data), None, "image/jpeg"
            )
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": len(data),
                    "width": size[0],
                    "height": size[1],
                }
            )
        for photo_size in sizes:
            self._by_id[photo_size["file_id"]].sizes = sizes
        return sizes

    def get(self, file_id: str) -> StoredFile | None:
        """The file behind an id, or None."""
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        """The file served at /file/bot<token>/<path>, or None."""
        return self._by_path.get(path)

    def _store(
        self, kind: str, data: bytes, unique: str, name: str | None, mime: str | None
    ) -> StoredFile:
        prefix = _ID_PREFIX.get(kind, "BQACAgIAAxkBAAI")
        file_id = prefix + base64.urlsafe_b64encode(secrets.token_bytes(45)).decode().rstrip("=")
        extension = _EXTENSION.get(kind) or (mimetypes.guess_extension(mime or "") or "")
        if name and "." in name:
            extension = "." + name.rsplit(".", 1)[1]
        path = f"{_FOLDER.get(kind, 'documents')}/file_{len(self._by_path)}{extension}"
        stored = StoredFile(file_id, unique, kind, data, path, name, mime)
        self._by_id[file_id] = stored
        self._by_path[path] = stored
        return stored


def _unique_id(salt: str, data: bytes) -> str:
    """Stable per content: the same bytes always get the same file_unique_id."""
    digest = hashlib.sha256(salt.encode() + b"\0" + data).digest()
    return "AQAD" + base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def guess_mime(name: str | None, given: str | None = None) -> str:
    """A MIME type from the upload's header or, failing that, the file name."""
    if given and given != "application/octet-stream":
        return given
    return mimetypes.guess_type(name or "")[0] or "application/octet-stream"


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF or WebP image; None if the bytes are not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 512, 512
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's start-of-frame segment."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None


def make_png(seed: int, width: int = 640, height: int = 480) -> bytes:
    """A valid PNG of one colour picked by `seed`, so every generated image is different."""
    colour = hashlib.sha256(str(seed).encode()).digest()[:3]
    row = b"\x00" + colour * width
    body = zlib.compress(row * height, 6)

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    text = chunk(b"tEXt", b"Comment\0sandbox " + str(seed).encode())
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + text
        + chunk(b"IDAT", body)
        + chunk(b"IEND", b"")
    )
