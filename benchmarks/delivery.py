"""Delivery under Telegram's limits: the real bot process sends outbox messages to the sandbox.

The sandbox enforces the default limits (30 messages/s in all, 1/s per chat, 20/min per group).
The send rate is (N - 1) / (time from the first message's arrival to the last's), reported per
framework as a share of the global limit, with the 429 answers and the duplicates (both must be
zero). The bot paces itself at 95% of each limit (RateLimits.headroom), so 95% is the ceiling.
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.sandbox import Limits, Sandbox
from handlers.chat import Message
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:benchmark"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's options."""
    group = parser.add_argument_group("delivery")
    group.add_argument("--messages", type=int, default=300)
    group.add_argument("--chats", type=int, default=300)
    group.add_argument("--groups", type=int, default=0, help="how many of the chats are groups")
    group.add_argument("--frameworks", default="aiogram,ptb")
    group.add_argument("--database", help="a PostgreSQL URL (default: a new SQLite file)")


async def enqueue(url: str, chat_ids: list[int], messages: int) -> None:
    """Migrate the database and queue the messages, round-robin over the chats."""
    engine = create_engine(url)
    await upgrade(engine)
    now = datetime.now(UTC)
    async with UnitOfWork(session_factory(engine)) as uow:
        for n in range(messages):
            chat_id = chat_ids[n % len(chat_ids)]
            payload = Message(f"通知 {n + 1}: 明天上午9点至11点停水检修。").to_payload()
            await uow.outbox.enqueue(chat_id, payload, f"bench:{n}", now)
        await uow.commit()
    await engine.dispose()


async def deliver(args: argparse.Namespace, framework: str, workdir: Path) -> dict[str, Any]:
    """One run: a sandbox with Telegram's limits, a bot process, and a stopwatch."""
    async with Sandbox(limits=Limits()) as sandbox:
        chat_ids = []
        for n in range(args.chats):
            if n < args.groups:
                chat_ids.append(sandbox.group(-10_000 - n, f"楼栋群 {n}").id)
            else:
                user = sandbox.user(700_000 + n, f"居民{n}", language_code="zh-hans")
                user.person.started = True  # as if each had written to the bot before
                chat_ids.append(user.id)
        url = args.database or f"sqlite+aiosqlite:///{workdir / f'{framework}.db'}"
        await enqueue(url, chat_ids, args.messages)
        process = start_bot(workdir, url, sandbox.url, framework)
        try:
            first, last = await stopwatch(sandbox, args.messages)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
        counts = [len(sandbox.messages(chat_id)) for chat_id in set(chat_ids)]
        duration = last - first
        rate = Limits().global_per_second
        return {
            "framework": framework,
            "messages": sum(counts),
            "seconds": round(duration, 2),
            "per_second": round((sum(counts) - 1) / duration, 1),
            "share_of_allowed": round((sum(counts) - 1) / duration / rate, 3),
            "too_many_requests": sandbox.stats.too_many_requests,
            "duplicates": sum(counts) - args.messages,
        }


def start_bot(workdir: Path, url: str, api: str, framework: str) -> subprocess.Popen[bytes]:
    """`python -m bot run` against the sandbox, logging to a file."""
    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api,
        "TELEGRAM_FRAMEWORK": framework,
        "DATABASE_URL": url,
        "COMMUNITY_CONFIG": str(ROOT / "community.example.yaml"),
    }
    log = (workdir / f"{framework}.log").open("wb")
    command = [sys.executable, "-m", "bot", "run"]
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)


async def stopwatch(sandbox: Sandbox, expected: int, patience: float = 300) -> tuple[float, float]:
    """When the first and the last expected message reached the sandbox."""
    first = None
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        accepted = sandbox.stats.accepted
        now = time.monotonic()
        if accepted and first is None:
            first = now
        if accepted >= expected:
            assert first is not None
            return first, now
        await asyncio.sleep(0.002)
    raise TimeoutError(f"only {sandbox.stats.accepted} of {expected} messages arrived")


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every framework in turn; prints a table and returns the figures."""
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for framework in args.frameworks.split(","):
            results.append(await deliver(args, framework, Path(workdir)))
    print(f"delivery: {args.messages} messages to {args.chats} chats under Telegram's limits")
    print(f"{'framework':<10}{'seconds':>9}{'msg/s':>8}{'share':>8}{'429s':>6}{'dups':>6}")
    for r in results:
        print(
            f"{r['framework']:<10}{r['seconds']:>9}{r['per_second']:>8}"
            f"{r['share_of_allowed']:>8.1%}{r['too_many_requests']:>6}{r['duplicates']:>6}"
        )
    return results
