"""The people's side: test users who write, send media, press buttons and block the bot."""

import secrets
import time
from typing import Any

from bot.sandbox.entities import detect, u16len
from bot.sandbox.errors import SandboxError
from bot.sandbox.files import guess_mime, image_size, make_png
from bot.sandbox.groups import push_membership
from bot.sandbox.objects import chat_instance, user_json
from bot.sandbox.state import Chat, Person
from bot.sandbox.world import World

Message = dict[str, Any]
_CAPTIONED = ("photo", "document", "video", "voice")


class SandboxUser:
    """A person talking to the bot; every send returns the Message as the bot sees it."""

    def __init__(self, world: World, person: Person) -> None:
        self._world = world
        self.person = person

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def first_name(self) -> str:
        return self.person.first_name

    @property
    def chat_id(self) -> int:
        """The id of this person's private chat with the bot (their user id)."""
        return self.person.id

    async def send(
        self, text: str, chat: Any = None, reply_to: Any = None, thread_id: int | None = None
    ) -> Message:
        """Write text; commands, mentions, hashtags and links get their entities."""
        if not text.strip() or u16len(text) > 4096:
            raise SandboxError("a message's text must be 1-4096 characters")
        found = detect(text)
        content = {"text": text, "entities": found} if found else {"text": text}
        return self._post(chat, content, reply_to, thread_id)

    async def send_photo(
        self,
        caption: str | None = None,
        chat: Any = None,
        image: bytes | None = None,
        reply_to: Any = None,
        media_group_id: str | None = None,
    ) -> Message:
        """Send one photo; without `image`, a small generated PNG (different every time).

        `media_group_id` makes it one part of an album sent piece by piece (see send_album).
        """
        group = {"media_group_id": str(media_group_id)} if media_group_id is not None else {}
        return self._post(chat, group | self._photo(image) | _caption(caption), reply_to)

    async def send_album(
        self, photos: int | list[bytes] = 3, caption: str | None = None, chat: Any = None
    ) -> list[Message]:
        """Send an album: one message per photo, one media_group_id, the caption on the first."""
        images = [None] * photos if isinstance(photos, int) else list(photos)
        if not 2 <= len(images) <= 10:
            raise SandboxError("an album holds 2-10 photos")
        group = str(13_000_000_000_000_000 + self._world.next_number())
        sent = []
        for index, image in enumerate(images):
            content = {"media_group_id": group} | self._photo(image)
            sent.append(self._post(chat, content | (_caption(caption) if index == 0 else {})))
        return sent

    async def send_location(self, latitude: float, longitude: float, chat: Any = None) -> Message:
        """Share a location."""
        return self._post(chat, {"location": {"latitude": latitude, "longitude": longitude}})

    async def send_contact(
        self, phone_number: str, first_name: str | None = None, chat: Any = None
    ) -> Message:
        """Share a phone number: one's own (user_id set) unless another first_name is given."""
        contact = {"phone_number": phone_number, "first_name": first_name or self.first_name}
        if first_name is None:
            contact["user_id"] = self.id
        return self._post(chat, {"contact": contact})

    async def send_document(
        self,
        data: bytes,
        file_name: str = "file.pdf",
        caption: str | None = None,
        chat: Any = None,
        mime_type: str | None = None,
    ) -> Message:
        """Send a file."""
        stored = self._world.files.add(
            "document", data, file_name, guess_mime(file_name, mime_type)
        )
        return self._post(chat, {"document": stored.to_json()} | _caption(caption))

    async def send_voice(
        self, data: bytes | None = None, duration: int = 1, chat: Any = None
    ) -> Message:
        """Send a voice note (OGG bytes are generated when none are given)."""
        data = data or b"OggS\x00\x02" + secrets.token_bytes(64)
        stored = self._world.files.add("voice", data, None, "audio/ogg", {"duration": duration})
        return self._post(chat, {"voice": stored.to_json()})

    async def send_video(
        self,
        data: bytes | None = None,
        caption: str | None = None,
        chat: Any = None,
        duration: int = 1,
    ) -> Message:
        """Send a video (MP4-looking bytes are generated when none are given)."""
        data = data or b"\x00\x00\x00\x18ftypmp42" + secrets.token_bytes(64)
        meta = {"width": 640, "height": 360, "duration": duration}
        stored = self._world.files.add("video", data, None, "video/mp4", meta)
        return self._post(chat, {"video": stored.to_json()} | _caption(caption))

    async def send_sticker(self, emoji: str = "👍", chat: Any = None) -> Message:
        """Send a sticker."""
        data = b"RIFF\x24\x00\x00\x00WEBPVP8 " + secrets.token_bytes(32)
        meta = {"type": "regular", "width": 512, "height": 512, "is_animated": False}
        meta |= {"is_video": False, "emoji": emoji}
        stored = self._world.files.add("sticker", data, None, "image/webp", meta)
        return self._post(chat, {"sticker": stored.to_json()})

    async def edit(self, message_id: int, text: str, chat: Any = None) -> Message:
        """Edit one's own text (or caption); the bot gets an edited_message update."""
        target = self._chat(chat)
        stored = target.live(int(message_id))
        if stored is None or stored.data.get("from", {}).get("id") != self.id:
            raise SandboxError(f"user {self.id} has no message {message_id} in chat {target.id}")
        key = "text" if "text" in stored.data else "caption"
        if key == "caption" and not any(kind in stored.data for kind in _CAPTIONED):
            raise SandboxError(f"message {message_id} has neither text nor a caption to edit")
        found = detect(text)
        entities_key = "entities" if key == "text" else "caption_entities"
        stored.data |= {key: text, "edit_date": int(time.time())}
        stored.data.pop(entities_key, None)
        stored.data |= {entities_key: found} if found else {}
        if self._world.bot_sees(target, stored.data):
            self._world.updates.push("edited_message", dict(stored.data))
        return dict(stored.data)

    async def press(
        self, message_id: int, data: str | None = None, text: str | None = None, chat: Any = None
    ) -> str:
        """Press an inline button of a bot message; returns the callback query id."""
        target = self._chat(chat)
        self._check_not_blocked(target)
        stored = target.live(int(message_id))
        if stored is None or not stored.by_bot:
            raise SandboxError(f"no bot message {message_id} in chat {target.id}")
        if data is None and text is None:
            raise SandboxError("press() needs data= or text=")
        rows = stored.data.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        button = next(
            (
                b
                for b in buttons
                if (data is None or b.get("callback_data") == data)
                and (text is None or b["text"] == text)
            ),
            None,
        )
        if button is None or "callback_data" not in button:
            shown = [(b["text"], b.get("callback_data") or b.get("url")) for b in buttons]
            raise SandboxError(f"message {message_id} has no such callback button; it has {shown}")
        query_id = str(secrets.randbits(62))
        self._world.queries[query_id] = {"chat_id": target.id, "message_id": int(message_id)}
        payload = {"id": query_id, "from": user_json(self.person), "message": dict(stored.data)}
        payload["chat_instance"] = chat_instance(target.id, self._world.bot.id)
        payload["data"] = button["callback_data"]
        self._world.updates.push("callback_query", payload)
        return query_id

    def block(self) -> None:
        """Block the bot: sends to this person get 403, and the bot gets my_chat_member."""
        if not self.person.blocked:
            self.person.blocked = True
            chat = self._world.private_chat(self.person)
            push_membership(self._world, chat, self.person, "member", "kicked")

    def unblock(self) -> None:
        """Unblock the bot (it gets my_chat_member back to member)."""
        if self.person.blocked:
            self.person.blocked = False
            chat = self._world.private_chat(self.person)
            push_membership(self._world, chat, self.person, "kicked", "member")

    def _photo(self, image: bytes | None) -> Message:
        image = image or make_png(self._world.next_number())
        if image_size(image) is None:
            raise SandboxError("a photo must be PNG, JPEG, GIF or WebP bytes")
        return {"photo": self._world.files.add_photo(image)}

    def _chat(self, chat: Any) -> Chat:
        """The chat a test means: None for the private chat, a group, or a chat id."""
        if chat is None:
            return self._world.private_chat(self.person)
        chat_id = int(getattr(chat, "id", chat))
        found = self._world.lookup(chat_id)
        if found is None:
            raise SandboxError(f"no chat {chat_id}: create it with sandbox.group()")
        return found

    def _check_not_blocked(self, chat: Chat) -> None:
        if chat.person is self.person and self.person.blocked:
            raise SandboxError(f"user {self.id} blocked the bot; call unblock() first")

    def _post(
        self, chat: Any, content: Message, reply_to: Any = None, thread_id: int | None = None
    ) -> Message:
        """Store a message from this person and queue it for the bot if the bot would see it."""
        target = self._chat(chat)
        self._check_not_blocked(target)
        if target.person is self.person:
            self.person.started = True
        elif target.person is not None:
            raise SandboxError(f"chat {target.id} is another user's private chat with the bot")
        else:
            target.members.add(self.id)
        reply = None
        if reply_to is not None:
            reply_id = reply_to["message_id"] if isinstance(reply_to, dict) else int(reply_to)
            reply = target.live(reply_id)
            if reply is None:
                raise SandboxError(f"no message {reply_id} in chat {target.id} to reply to")
        thread = thread_id or (reply.data.get("message_thread_id") if reply else None)
        if thread is not None and thread not in target.topics:
            raise SandboxError(f"no topic {thread} in chat {target.id}")
        stored = self._world.store(target, self.person, content, reply, thread)
        if self._world.bot_sees(target, stored.data):
            self._world.updates.push("message", dict(stored.data))
        return dict(stored.data)


def _caption(caption: str | None) -> Message:
    if not caption:
        return {}
    found = detect(caption)
    return {"caption": caption, "caption_entities": found} if found else {"caption": caption}
