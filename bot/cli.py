"""`python -m bot COMMAND`: run the bot, migrate the database, or check the configuration."""

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

from bot.app import App, build_app, migrate, prepare
from bot.errors import StartupError
from bot.settings import Settings, load_settings
from tickets.community import CommunityConfig

log = logging.getLogger("bot")


@asynccontextmanager
async def _prepared_app(settings: Settings) -> AsyncIterator[App]:
    """The app, connected, migrated-checked and with its community loaded; closed afterwards."""
    app = build_app(settings)
    try:
        await prepare(app)
        _describe(app.community)
        yield app
    finally:
        await app.close()


async def _run(settings: Settings) -> None:
    settings.require_token()
    async with _prepared_app(settings):
        print(
            f"Courtyard is configured and its database is ready. The Telegram transport "
            f"(TELEGRAM_FRAMEWORK={settings.telegram_framework}) is not part of this version "
            "yet, so the bot stops here."
        )


async def _migrate(settings: Settings) -> None:
    applied = await migrate(settings)
    print(f"migrations applied: {', '.join(applied)}" if applied else "the database is up to date")


async def _check(settings: Settings) -> None:
    async with _prepared_app(settings):
        token = "set" if settings.bot_token else "NOT SET (python -m bot run will say how)"
        print(f"settings, community file and database are fine; BOT_TOKEN is {token}")


def _describe(community: CommunityConfig) -> None:
    buildings = sum(len(c.buildings) for c in community.compounds)
    print(
        f"community {community.name}: {len(community.compounds)} compounds, "
        f"{buildings} buildings, {len(community.teams)} teams"
    )


COMMANDS: dict[str, tuple[str, Callable[[Settings], Coroutine[Any, Any, None]]]] = {
    "run": ("start the bot (needs BOT_TOKEN)", _run),
    "migrate": ("create or upgrade the database schema", _migrate),
    "check": ("validate settings, the community file and the database, then exit", _check),
}


def parser() -> argparse.ArgumentParser:
    """The command line, with one sub-command per entry of COMMANDS."""
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Courtyard (有事请您说): residents' requests, routed and chased until closed.",
        epilog="Settings come from the environment or .env; see the README.",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, _) in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the command, and turn start-up errors into exit codes."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = load_settings()
        asyncio.run(COMMANDS[args.command][1](settings))
    except StartupError as error:
        print(f"\n{error}\n", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    return 0
