"""The python-telegram-bot transport: PTB's Application and Updater, speaking the Chat port."""

import asyncio
import warnings
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.chat import Kit, Pacer, TelegramChat
from bot.telegram.transport import ALLOWED_UPDATES, POLL_TIMEOUT, OnUpdate, deliver
from handlers.chat import ChatGone, DeliveryError, Keyboard, Rejected, RetryLater, Unreachable


def keyboard(rows: Keyboard) -> InlineKeyboardMarkup:
    """Our buttons as PTB's inline keyboard."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.data, url=b.url) for b in row]
            for row in rows
        ]
    )


def classify(error: Exception) -> DeliveryError | None:
    """PTB's exceptions as our delivery errors (BadRequest is a NetworkError in PTB: test first)."""
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():  # PTB 22 warns that this becomes a timedelta some day
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            seconds = error.retry_after
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        return RetryLater(float(seconds), error.message)
    if isinstance(error, Forbidden):
        return ChatGone(error.message)
    if isinstance(error, BadRequest):
        gone = "chat not found" in error.message.lower()
        return ChatGone(error.message) if gone else Rejected(error.message)
    if isinstance(error, NetworkError | TimeoutError):
        return Unreachable(str(error))
    if isinstance(error, TelegramError):
        return Rejected(error.message)
    return None


async def download(bot: Bot, file_id: str) -> bytes:
    """Fetch a file by its id."""
    file = await bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


KIT = Kit(
    keyboard, lambda photo, caption: InputMediaPhoto(photo, caption=caption), classify, download
)


class PtbTransport:
    """One bot on python-telegram-bot: polling or webhook feeding, one update at a time."""

    def __init__(self, token: str, api_url: str, pacer: Pacer, on_update: OnUpdate) -> None:
        base = api_url.rstrip("/")
        self.application: Application = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .concurrent_updates(False)
            .job_queue(None)  # our scheduler is our own (scheduler/), not PTB's
            .build()
        )
        self.application.add_handler(TypeHandler(Update, self._take))
        self.pacer, self.on_update = pacer, on_update
        self.bot_id, self.username = 0, ""

    async def _take(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Every update, whatever its kind, goes to our handlers."""
        await deliver(update.to_dict(), self, self.on_update)

    async def start(self, commands: dict[str, list[tuple[str, str]]]) -> None:
        """Initialise (getMe), then the command menu per language."""
        await self.application.initialize()
        bot = self.application.bot
        self.bot_id, self.username = bot.id, bot.username
        self.chat = TelegramChat(bot, KIT, self.pacer, self.username)
        for language, entries in commands.items():
            menu = [BotCommand(name, text) for name, text in entries]
            await bot.set_my_commands(menu, language_code=language or None)

    async def poll(self, stop: asyncio.Event) -> None:
        """PTB's updater long-polling, until `stop` is set."""
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
        )
        try:
            await stop.wait()
        finally:
            await self.application.updater.stop()
            await self.application.stop()

    async def feed(self, update: dict[str, Any]) -> None:
        """One update posted to the webhook."""
        await self.application.process_update(Update.de_json(update, self.application.bot))

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register the webhook with its secret."""
        await self.application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )

    async def close(self) -> None:
        """Shut the application down and close its connections."""
        await self.application.shutdown()
