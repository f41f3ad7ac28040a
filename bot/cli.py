"""`python -m bot COMMAND`: run the bot, migrate the database, or check the configuration."""

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot import corrections
from bot.app import App, build_app, migrate, prepare
from bot.errors import StartupError
from bot.runtime import Bot
from bot.sandbox import Limits, serve
from bot.settings import Settings, load_settings
from tickets.community import CommunityConfig
from triage import cli as triage_cli
from triage import dataset

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


def _stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT and SIGTERM stop the bot cleanly (finish the update at hand, close connections)."""
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)


async def _run(args: argparse.Namespace) -> None:
    settings = load_settings()
    settings.require_token()
    async with _prepared_app(settings) as app:
        stop = asyncio.Event()
        _stop_on_signals(stop)
        await Bot(app).run(stop, webhook_url=args.webhook)


async def _worker(_: argparse.Namespace) -> None:
    settings = load_settings()
    settings.require_token()
    async with _prepared_app(settings) as app:
        stop = asyncio.Event()
        _stop_on_signals(stop)
        await Bot(app).run(stop, receive=False)


async def _migrate(_: argparse.Namespace) -> None:
    applied = await migrate(load_settings())
    print(f"migrations applied: {', '.join(applied)}" if applied else "the database is up to date")


async def _check(_: argparse.Namespace) -> None:
    settings = load_settings()
    async with _prepared_app(settings):
        token = "set" if settings.bot_token else "NOT SET (python -m bot run will say how)"
        print(f"settings, community file and database are fine; BOT_TOKEN is {token}")


def _describe(community: CommunityConfig) -> None:
    buildings = sum(len(c.buildings) for c in community.compounds)
    print(
        f"community {community.name}: {len(community.compounds)} compounds, "
        f"{buildings} buildings, {len(community.teams)} teams"
    )


async def _sandbox(args: argparse.Namespace) -> None:
    limits = Limits.off() if args.no_limits else Limits()
    stop = asyncio.Event()
    _stop_on_signals(stop)
    server = asyncio.create_task(serve(args.host, args.port, limits, args.bot_username))
    await asyncio.wait({server, asyncio.create_task(stop.wait())}, return_when="FIRST_COMPLETED")
    server.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await server


async def _triage(args: argparse.Namespace) -> None:
    if args.action == "corrections":
        async with _prepared_app(load_settings()) as app:
            try:
                written, skipped = await corrections.export(app.uow(), args.out)
            except dataset.BadExample as error:
                raise SystemExit(f"the training data needs fixing first: {error}") from error
        print(
            f"wrote {written} corrections to {args.out}; skipped {skipped} "
            "(no text, or the text is already in the training data)"
        )
        return
    code = triage_cli.run(args)
    if code:
        raise SystemExit(code)


def _run_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--webhook",
        metavar="URL",
        help="take updates by webhook at this public https URL (listening on WEBHOOK_LISTEN) "
        "instead of long polling",
    )


def _sandbox_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", default="127.0.0.1", help="address to listen on")
    command.add_argument("--port", type=int, default=8081, help="port to listen on (8081)")
    command.add_argument(
        "--no-limits", action="store_true", help="do not enforce Telegram's rate limits"
    )
    command.add_argument("--bot-username", default="courtyard_sandbox_bot")


def _triage_arguments(command: argparse.ArgumentParser) -> None:
    """The triage command line, plus `corrections`, which needs the database (so lives here)."""
    actions = triage_cli.arguments(command)
    export = actions.add_parser(
        "corrections",
        help="write handlers' corrections from the database as training examples (JSON Lines)",
    )
    export.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        default=dataset.CORRECTIONS,
        help="where to write them (triage/data/train/corrections.jsonl)",
    )


Command = Callable[[argparse.Namespace], Coroutine[Any, Any, None]]
COMMANDS: dict[str, tuple[str, Command, Callable[[argparse.ArgumentParser], None] | None]] = {
    "run": ("start the bot (needs BOT_TOKEN)", _run, _run_arguments),
    "worker": (
        "run the SLA sweep, the other scheduled jobs and delivery, without taking updates",
        _worker,
        None,
    ),
    "migrate": ("create or upgrade the database schema", _migrate, None),
    "check": ("validate settings, the community file and the database, then exit", _check, None),
    "sandbox": (
        "run a local Telegram Bot API server to try the bot without Telegram",
        _sandbox,
        _sandbox_arguments,
    ),
    "triage": (
        "classify requests from a file, evaluate, or train the triage model",
        _triage,
        _triage_arguments,
    ),
}


def parser() -> argparse.ArgumentParser:
    """The command line, with one sub-command per entry of COMMANDS."""
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Courtyard (有事请您说): residents' requests, routed and chased until closed.",
        epilog="Settings come from the environment or .env; see the README.",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, _, arguments) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if arguments:
            arguments(command)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the command, and turn start-up errors into exit codes."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per job run
    # nor a warning each time a long sweep makes the next one wait (max_instances=1 on purpose)
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    try:
        asyncio.run(COMMANDS[args.command][1](args))
    except StartupError as error:
        print(f"\n{error}\n", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    return 0
