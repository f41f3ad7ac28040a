"""The aiogram transport: aiogram's Bot, Dispatcher and polling, speaking the Chat port."""

import asyncio
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto

from bot.telegram.chat import Kit, Pacer, TelegramChat
from bot.telegram.transport import ALLOWED_UPDATES, OFFICIAL_API, POLL_TIMEOUT, OnUpdate, deliver
from handlers.chat import ChatGone, DeliveryError, Keyboard, Rejected, RetryLater, Unreachable


def keyboard(rows: Keyboard) -> InlineKeyboardMarkup:
    """Our buttons as aiogram's inline keyboard."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.data, url=b.url) for b in row]
            for row in rows
        ]
    )


def classify(error: Exception) -> DeliveryError | None:
    """aiogram's exceptions as our delivery errors."""
    if isinstance(error, TelegramRetryAfter):
        return RetryLater(error.retry_after, error.message)
    if isinstance(error, TelegramForbiddenError):
        return ChatGone(error.message)
    if isinstance(error, TelegramBadRequest | TelegramNotFound):
        gone = "chat not found" in error.message.lower()
        return ChatGone(error.message) if gone else Rejected(error.message)
    if isinstance(error, TelegramNetworkError | TelegramServerError | TimeoutError):
        return Unreachable(str(error))
    return None


async def download(bot: Bot, file_id: str) -> bytes:
    """Fetch a file by its id."""
    file = await bot.get_file(file_id)
    assert file.file_path is not None
    content = await bot.download_file(file.file_path)
    assert content is not None
    return content.read()


KIT = Kit(
    keyboard,
    lambda photo, caption: InputMediaPhoto(media=photo, caption=caption),
    classify,
    download,
)


class AiogramTransport:
    """One bot on aiogram: polling or webhook feeding, updates handled one at a time."""

    def __init__(self, token: str, api_url: str, pacer: Pacer, on_update: OnUpdate) -> None:
        api = (
            PRODUCTION
            if api_url.rstrip("/") == OFFICIAL_API
            else TelegramAPIServer.from_base(api_url)
        )
        self.bot = Bot(token, session=AiohttpSession(api=api))
        self.pacer, self.on_update = pacer, on_update
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(self._take)
        self.bot_id, self.username = 0, ""

    async def _take(self, handler: Any, update: Any, data: dict[str, Any]) -> None:
        """Every update, whatever its kind, goes to our handlers instead of aiogram's routers."""
        raw = update.model_dump(mode="json", exclude_none=True, by_alias=True)
        await deliver(raw, self, self.on_update)

    async def start(self, commands: dict[str, list[tuple[str, str]]]) -> None:
        """getMe, then the command menu per language."""
        me = await self.bot.get_me()
        self.bot_id, self.username = me.id, me.username or ""
        self.chat = TelegramChat(self.bot, KIT, self.pacer, self.username)
        for language, entries in commands.items():
            menu = [BotCommand(command=name, description=text) for name, text in entries]
            await self.bot.set_my_commands(menu, language_code=language or None)

    async def poll(self, stop: asyncio.Event) -> None:
        """aiogram's long polling, one update at a time, until `stop` is set."""
        await self.bot.delete_webhook()  # getUpdates is refused while a webhook is set
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                handle_signals=False,
                close_bot_session=False,
                handle_as_tasks=False,
                allowed_updates=ALLOWED_UPDATES,
                polling_timeout=POLL_TIMEOUT,
            )
        )
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not polling.done():
            await self.dispatcher.stop_polling()
        stopped.cancel()
        await polling

    async def feed(self, update: dict[str, Any]) -> None:
        """One update posted to the webhook."""
        await self.dispatcher.feed_raw_update(self.bot, update)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register the webhook with its secret."""
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.bot.session.close()
