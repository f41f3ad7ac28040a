"""The Chat port over either framework's Bot: both share Telegram's method names and arguments."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from handlers.chat import DeliveryError, Keyboard, Message, Rejected, RetryLater, Sent


class Pacer(Protocol):
    """Keeps sends under Telegram's limits (bot.delivery.limits.RateLimiter)."""

    async def acquire(self, chat_id: int, parts: int = 1) -> None: ...


@dataclass(frozen=True)
class Kit:
    """What differs between the frameworks: their markup and media types, errors and downloads."""

    keyboard: Callable[[Keyboard], Any]
    photo: Callable[[str, str | None], Any]  # (file id, caption) -> an album item
    classify: Callable[[Exception], DeliveryError | None]  # None: not a Telegram refusal
    download: Callable[[Any, str], Awaitable[bytes]]


NOT_MODIFIED = "message is not modified"
NO_TEXT = "there is no text in the message to edit"
ALBUM_TEXT_TRIES = 3
TOPIC_NAME_LIMIT = 128  # Telegram's limit on a forum topic's name


def topic_name(name: str) -> str:
    """The name cut to Telegram's limit (counted in UTF-16 units, as Telegram counts)."""
    if len(name.encode("utf-16-le")) <= 2 * TOPIC_NAME_LIMIT:
        return name
    kept, units = [], 1  # one unit for the ellipsis
    for character in name:
        units += len(character.encode("utf-16-le")) // 2
        if units > TOPIC_NAME_LIMIT:
            break
        kept.append(character)
    return "".join(kept) + "…"


class TelegramChat:
    """Sends, edits, answers and downloads through a framework's Bot, paced and classified."""

    def __init__(self, bot: Any, kit: Kit, pacer: Pacer, username: str) -> None:
        self.bot, self.kit, self.pacer, self.username = bot, kit, pacer, username

    async def send(self, chat_id: int, message: Message) -> Sent:
        """Send text, a photo, an album or a document, with the buttons where Telegram allows."""
        with self._refusals():
            sent = await self._send(chat_id, message)
        thread_id = message.thread_id
        if thread_id is None:  # a reply lands in its message's topic
            thread_id = next(
                (m.message_thread_id for m in sent if getattr(m, "is_topic_message", False)), None
            )
        return Sent(chat_id, tuple(m.message_id for m in sent), thread_id)

    async def _send(self, chat_id: int, message: Message) -> list[Any]:
        common: dict[str, Any] = {"chat_id": chat_id, "message_thread_id": message.thread_id}
        if message.reply_to is not None:
            common["reply_to_message_id"] = message.reply_to
        markup = self.kit.keyboard(message.buttons) if message.buttons else None
        caption = message.text or None
        if len(message.photos) > 1 or (message.photos and message.long_caption):
            await self.pacer.acquire(chat_id, len(message.photos))
            sent = await self._photos_alone(message.photos, common)
            if message.text or markup:
                common.pop("reply_to_message_id", None)
                await self.pacer.acquire(chat_id)
                text = self._after_album(text=message.text, reply_markup=markup, **common)
                sent.append(await text)
            return sent
        await self.pacer.acquire(chat_id)
        if message.photos:
            photo = message.photos[0]
            return [
                await self.bot.send_photo(
                    photo=photo, caption=caption, reply_markup=markup, **common
                )
            ]
        if message.document:
            document = message.document
            return [
                await self.bot.send_document(
                    document=document, caption=caption, reply_markup=markup, **common
                )
            ]
        return [await self.bot.send_message(text=message.text, reply_markup=markup, **common)]

    async def _photos_alone(self, photos: tuple[str, ...], common: dict[str, Any]) -> list[Any]:
        """The photos without a caption: an album, or one photo whose text is too long for it."""
        if len(photos) == 1:
            return [await self.bot.send_photo(photo=photos[0], **common)]
        media = [self.kit.photo(photo, None) for photo in photos]
        return list(await self.bot.send_media_group(media=media, **common))

    async def _after_album(self, **arguments: Any) -> Any:
        """The text under an album: the album is out, so a 429 here is waited out, not raised."""
        for _ in range(ALBUM_TEXT_TRIES - 1):
            try:
                with self._refusals():
                    return await self.bot.send_message(**arguments)
            except RetryLater as error:
                await asyncio.sleep(error.retry_after)
        return await self.bot.send_message(**arguments)

    async def edit(self, chat_id: int, message_id: int, message: Message) -> None:
        """Replace a sent message's text (or caption, for a photo) and its buttons."""
        markup = self.kit.keyboard(message.buttons) if message.buttons else None
        target = {"chat_id": chat_id, "message_id": message_id, "reply_markup": markup}
        captioned = bool(message.photos or message.document)
        try:
            await self._edit(captioned, message.text, target)
        except Rejected as error:
            if NO_TEXT not in str(error).lower():
                raise
            await self._edit(True, message.text, target)  # a photo we did not know was one

    async def _edit(self, captioned: bool, text: str, target: dict[str, Any]) -> None:
        """Edit a message's text, or its caption; "not modified" is not a failure."""
        try:
            with self._refusals():
                if captioned:
                    await self.bot.edit_message_caption(caption=text, **target)
                else:
                    await self.bot.edit_message_text(text=text, **target)
        except DeliveryError as error:
            if NOT_MODIFIED not in str(error):
                raise

    async def create_topic(self, chat_id: int, name: str) -> int:
        """Open a topic in a forum group (the name cut to 128 characters); its thread id."""
        with self._refusals():
            await self.pacer.acquire(chat_id)
            topic = await self.bot.create_forum_topic(chat_id=chat_id, name=topic_name(name))
        return int(topic.message_thread_id)

    async def answer(self, callback_id: str, text: str | None = None, alert: bool = False) -> None:
        """Stop the button's spinner, with a short notice when given."""
        with self._refusals():
            await self.bot.answer_callback_query(
                callback_query_id=callback_id, text=text, show_alert=alert
            )

    async def download(self, file_id: str) -> bytes:
        """The bytes of a file someone sent."""
        with self._refusals():
            return await self.kit.download(self.bot, file_id)

    def deep_link(self, payload: str) -> str:
        """https://t.me/<bot>?start=<payload>."""
        return f"https://t.me/{self.username}?start={payload}"

    @contextmanager
    def _refusals(self) -> Iterator[None]:
        """Re-raise Telegram's refusals as DeliveryErrors; anything else unchanged."""
        try:
            yield
        except DeliveryError:
            raise
        except Exception as error:
            refusal = self.kit.classify(error)
            if refusal is None:
                raise
            raise refusal from error
