"""The one entry point of the handlers: every update goes to the use case that owns it."""

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from handlers import albums, reception, start
from handlers.chat import DeliveryError
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.report import buttons, group, intake, mine, private
from handlers.staff import commands as staff_commands
from handlers.staff import presses, setup, talk, verdict
from handlers.texts import language_of, t

log = logging.getLogger(__name__)

Handler = Callable[[Context, Incoming], Awaitable[None]]
ButtonHandler = Callable[[Context, Incoming, str], Awaitable[None]]

# Commands in private chat; the menu shows MENU, in this order.
COMMANDS: dict[str, Handler] = {
    "start": start.start,
    "new": intake.start_report,
    "report": intake.start_report,
    "my": mine.show_list,
    "cancel": intake.cancel,
    "lang": start.choose_language,
}
MENU = ("new", "my", "cancel", "lang", "start")
GROUP_SETUP = frozenset({"start", "help"})  # commands in a group that get the set-up answer
GROUP_REPORT = frozenset({"report", "new"})  # commands in a group that file a report
# callback data is "<prefix>:<value>"; the prefix names the handler
BUTTONS: dict[str, ButtonHandler] = {
    "lang": start.language_chosen,
    "go": start.go,
    "r": buttons.pressed,
    "t": mine.pressed,
}

# Staff set-up (handlers/staff/setup.py): administrators bind groups to teams, invite people and
# manage members; the same commands work in a group and in private chat (not in the menu).
GROUP_STAFF: dict[str, Handler] = {
    "bind": setup.bind,
    "invite": setup.invite,
    "team": setup.show_team,
}
# Handlers' work (handlers/staff/): lists and tickets by command, card buttons, verdicts.
GROUP_STAFF |= {
    "queue": staff_commands.queue,
    "mine": staff_commands.mine,
    "ticket": staff_commands.ticket,
    "find": staff_commands.find,
}
COMMANDS.update(GROUP_STAFF)
BUTTONS |= {"s": setup.pressed, "h": presses.pressed, "hq": staff_commands.opened}
BUTTONS["v"] = verdict.pressed


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
    elif incoming.is_private:
        if incoming.command is None:
            await private.message(ctx, incoming)
        else:
            await COMMANDS.get(incoming.command, reception.unknown_command)(ctx, incoming)
    else:
        await in_group(ctx, incoming)


async def in_group(ctx: Context, incoming: Incoming) -> None:
    """In a group the bot answers only what is for it: set-up, and reports; the rest is ignored."""
    if incoming.bot_added or incoming.command in GROUP_SETUP:
        await group.setup(ctx, incoming)
    elif incoming.command in GROUP_STAFF:
        await GROUP_STAFF[incoming.command](ctx, incoming)
    elif await talk.in_team_chat(ctx, incoming):
        return  # a handler's answer to a card's question, or a reply to a card
    elif incoming.command in GROUP_REPORT or (
        incoming.command is None and reception.addressed_to_bot(incoming)
    ):
        await group.report(ctx, incoming)


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
    return [(name, t(language, f"commands.{name}")) for name in MENU]
