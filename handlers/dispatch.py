"""The one entry point of the handlers: every update goes to the use case that owns it."""

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from handlers import albums, reception, start
from handlers.chat import DeliveryError
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.texts import language_of, t

log = logging.getLogger(__name__)

Handler = Callable[[Context, Incoming], Awaitable[None]]
ButtonHandler = Callable[[Context, Incoming, str], Awaitable[None]]

COMMANDS: dict[str, Handler] = {"start": start.start, "lang": start.choose_language}
# callback data is "<prefix>:<value>"; the prefix names the handler
BUTTONS: dict[str, ButtonHandler] = {"lang": start.language_chosen}


async def handle(ctx: Context, incoming: Incoming) -> None:
    """Act on one update; album parts wait in the database for the rest of their album."""
    if incoming.media_group_id and not incoming.is_button:
        await albums.keep(ctx, incoming)
    else:
        await respond(ctx, incoming)


async def respond(ctx: Context, incoming: Incoming) -> None:
    """Act on one complete update (an album counts as one)."""
    if incoming.is_button:
        await press(ctx, incoming)
    elif incoming.is_private or reception.addressed_to_bot(incoming):
        handler = COMMANDS.get(incoming.command or "", reception.acknowledge)
        await handler(ctx, incoming)


async def press(ctx: Context, incoming: Incoming) -> None:
    """Hand a button press to its handler; stale or foreign data gets a short notice."""
    prefix, _, value = (incoming.callback_data or "").partition(":")
    handler = BUTTONS.get(prefix)
    if handler is None:
        assert incoming.callback_id is not None
        language = language_of(incoming.sender.language)
        await ctx.chat.answer(incoming.callback_id, t(language, "button.unknown"))
        return
    await handler(ctx, incoming, value)


async def flush_albums(ctx: Context, quiet: timedelta) -> int:
    """Answer every album that is complete; the number answered."""
    answered = 0
    for parts in await albums.settled(ctx, quiet):
        try:
            await respond(ctx, albums.merge(parts))
            answered += 1
        except DeliveryError as error:
            if error.permanent:
                log.warning("album %s not answered: %s", parts[0].media_group_id, error)
            else:
                await albums.put_back(ctx, parts)
        except Exception:
            log.exception("answering album %s failed", parts[0].media_group_id)
    return answered


def commands(language: str) -> list[tuple[str, str]]:
    """The bot's command menu in one language: (command, description)."""
    return [(name, t(language, f"commands.{name}")) for name in COMMANDS]
