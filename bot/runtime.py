"""The running bot: transport, handlers, albums and delivery, started and stopped together."""

import asyncio
import contextlib
import hashlib
import logging
import math
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from urllib.parse import urlparse

from bot.app import App
from bot.delivery.limits import RateLimiter, RateLimits
from bot.delivery.loop import Delivery
from bot.errors import EXIT_CONFIG, EXIT_UNAVAILABLE, StartupError
from bot.settings import FIXES, Settings
from bot.telegram.patient import PatientChat
from bot.telegram.transport import Transport
from bot.webhook import serve_webhook, webhook_app
from handlers import dispatch
from handlers.context import Context
from handlers.incoming import Incoming
from scheduler import jobs
from storage.db import first_line

log = logging.getLogger(__name__)

# Telegram shows the menu matching the person's app language; "" is everyone else.
COMMAND_MENUS = {"": "zh-CN", "zh": "zh-CN", "en": "en"}


def rate_limits(settings: Settings) -> RateLimits:
    """The send limits from the settings; 0 means no limit."""
    rates = (settings.send_rate_global, settings.send_rate_chat, settings.send_rate_group)
    return RateLimits(*(rate or math.inf for rate in rates))


def make_transport(settings: Settings, limiter: RateLimiter, on_update) -> Transport:
    """The transport of the configured framework (imported only when chosen)."""
    token = settings.require_token()
    if settings.telegram_framework == "ptb":
        from bot.telegram.ptb_transport import PtbTransport

        return PtbTransport(token, settings.api_url, limiter, on_update)
    from bot.telegram.aiogram_transport import AiogramTransport

    return AiogramTransport(token, settings.api_url, limiter, on_update)


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one derived from the token so every instance agrees."""
    if settings.webhook_secret:
        return settings.webhook_secret
    return hashlib.sha256(f"courtyard:{settings.require_token()}".encode()).hexdigest()


async def gather_albums(context: Context, quiet: timedelta, stop: asyncio.Event) -> None:
    """Answer each album once no new part has come for `quiet`; also after a restart.

    The first round waits `quiet` too: parts that came in while the bot was down are fetched
    right after the start and must join the parts stored before it.
    """
    pause = min(0.5, quiet.total_seconds() / 2)
    job = partial(dispatch.flush_albums, context, quiet)
    await repeat(job, "gathering albums", quiet.total_seconds(), pause, stop)


async def repeat(
    job: Callable[[], Awaitable[object]], what: str, first: float, every: float, stop: asyncio.Event
) -> None:
    """Run `job` after `first` seconds, then every `every` seconds, until the bot stops."""
    await rest(stop, first)
    while not stop.is_set():
        try:
            await job()
        except Exception:
            log.exception("%s failed; trying again", what)
        await rest(stop, every)


async def rest(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if the bot is stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class Bot:
    """One bot process's moving parts, wired from the app."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.limiter = RateLimiter(rate_limits(app.settings))
        self.transport = make_transport(app.settings, self.limiter, self.on_update)
        self.context: Context | None = None

    async def on_update(self, incoming: Incoming) -> None:
        """Every update from the transport goes to the handlers."""
        assert self.context is not None, "updates arrive only after start()"
        await dispatch.handle(self.context, incoming)

    async def run(
        self, stop: asyncio.Event, webhook_url: str | None = None, receive: bool = True
    ) -> None:
        """Start everything, serve until `stop` is set, then stop everything cleanly.

        `receive=False` is a worker: the scheduler and delivery run, but no updates are taken.
        """
        menus = {code: dispatch.commands(language) for code, language in COMMAND_MENUS.items()}
        await self._start_transport(menus)
        chat = self.transport.chat
        settings = self.app.settings
        self.context = Context(
            PatientChat(chat),
            self.app.uow,
            self.app.now,
            self.app.community,
            settings.tz,
            frozenset(settings.bot_admins),
        )
        delivery = Delivery(self.app.uow, chat, self.limiter, self.app.now)
        quiet = timedelta(seconds=self.app.settings.album_wait)
        background = [asyncio.create_task(delivery.run(stop), name="delivery")]
        if receive:
            albums = gather_albums(self.context, quiet, stop)
            background.append(asyncio.create_task(albums, name="albums"))
        scheduler = jobs.start(self.context, settings.sweep_every)
        what = "running" if receive else "running as a worker (no updates taken)"
        log.info("bot @%s is %s (%s)", self.transport.username, what, settings.telegram_framework)
        try:
            if not receive:
                await stop.wait()
            elif webhook_url:
                await self._serve_webhook(webhook_url, stop)
            else:
                await self.transport.poll(stop)
        finally:
            stop.set()
            scheduler.shutdown(wait=False)
            await asyncio.gather(*background, return_exceptions=True)
            await self.transport.close()

    async def _start_transport(self, menus: dict[str, list[tuple[str, str]]]) -> None:
        """Introduce the bot to the Bot API; an unreachable server or a refused token stops here."""
        url = self.app.settings.api_url
        try:
            await self.transport.start(menus)
        except Exception as error:  # noqa: BLE001 (each framework raises its own kinds)
            await self.transport.close()
            refused = "unauthorized" in str(error).lower() or "not found" in str(error).lower()
            setting = "BOT_TOKEN" if refused else "TELEGRAM_API_URL"
            raise StartupError(
                f"{setting}: the Bot API at {url} did not take the bot ({first_line(error)}). "
                f"{FIXES[setting]}",
                EXIT_CONFIG if refused else EXIT_UNAVAILABLE,
            ) from None

    async def _serve_webhook(self, url: str, stop: asyncio.Event) -> None:
        """Listen for Telegram's posts, register the webhook, and wait for the stop."""
        secret = webhook_secret(self.app.settings)
        path = urlparse(url).path or "/"
        runner = await serve_webhook(
            webhook_app(self.transport, path, secret), *self.app.settings.webhook_address
        )
        try:
            await self.transport.set_webhook(url, secret)
            await stop.wait()
        finally:
            await runner.cleanup()
