"""What tests/e2e/test_sweep_processes.py needs: a scratch PostgreSQL database driven from sync
code, the sandbox and `python -m bot worker` as real processes with their logs in files, a
bulk of overdue tickets inserted in one statement, and the counts to check afterwards."""

import asyncio
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from tests.e2e.test_cli import ROOT, environment
from tests.support import free_port, scratch_database

T = TypeVar("T")
TOKEN = "123:abc"  # any well-formed token: the sandbox takes it
TEAM = "jh-property"
TEAM_CHAT = -1009000000001  # a supergroup in the sandbox, bound to the team in the community file
CLAIMED = re.compile(r"sweep: claimed (\d+) due tickets")
SENDER = "took the delivery lock"
# The first line of a reminder: "⏰ 提醒：JH-0042 ...", "⏰ JH-0042 ...的截止时间到了" or
# "⚠ 超时：JH-0042 ..." (handlers/texts/staff/zh-CN.yaml, remind.*); the card follows it.
REMINDER = re.compile(r"^(?:⏰|⚠ 超时).*?\bJH-(\d{4,})")


class LoopThread:
    """An event loop in a thread of its own, so sync test code can run coroutines on one loop
    (asyncpg connections belong to the loop that opened them) while it blocks on processes."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        """Run a coroutine on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@dataclass
class ScratchDb:
    """A scratch PostgreSQL database, its URL for the processes, and an engine for the test."""

    url: URL
    engine: AsyncEngine
    loop: LoopThread

    @property
    def plain_url(self) -> str:
        return self.url.render_as_string(hide_password=False)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(coroutine)

    def rows(self, sql: str, **params: object) -> list[tuple]:
        """The rows of one query."""

        async def query() -> list[tuple]:
            async with self.engine.connect() as connection:
                return [tuple(r) for r in await connection.execute(text(sql), params)]

        return self.run(query())

    def scalar(self, sql: str, **params: object) -> Any:
        [(value, *_)] = self.rows(sql, **params)
        return value


@contextmanager
def scratch_db(server: URL) -> Iterator[ScratchDb]:
    """tests.support.scratch_database, held open across a sync test; dropped afterwards."""
    loop = LoopThread()
    try:
        manager = scratch_database(server)
        url = loop.run(manager.__aenter__())
        engine = create_engine(url)
        try:
            yield ScratchDb(url, engine, loop)
        finally:
            try:
                loop.run(engine.dispose())
            finally:
                loop.run(manager.__aexit__(None, None, None))
    finally:
        loop.close()


def write_community(directory: Path) -> Path:
    """The example community with jh-property bound to TEAM_CHAT and no quiet hours.

    Quiet hours would move the reminder slots of a night-time run to 07:00, so the tickets would
    owe nothing and the test would depend on the hour it runs at.
    """
    config = yaml.safe_load((ROOT / "community.example.yaml").read_text("utf-8"))
    [team] = [t for t in config["teams"] if t["code"] == TEAM]
    team["chat_id"] = TEAM_CHAT
    config["sla"]["quiet_hours"] = None
    path = directory / "community.sweep.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


async def _insert_tickets(engine: AsyncEngine, count: int, now: datetime) -> None:
    # Opened 5 h ago under the general clock (4 h to respond): the response deadline passed an
    # hour ago, so each ticket owes one "⚠ 超时" reminder now, and its next one is an hour away
    # (repeat_every 2h), as is the first rung of escalation (team_lead, 2h after the deadline):
    # the team chat gets exactly one message per ticket while the test runs.
    created = now - timedelta(hours=5)
    due = created + timedelta(hours=4)
    async with engine.begin() as connection:
        compound = await connection.execute(text("SELECT id FROM compound WHERE code = 'JH'"))
        compound_id = compound.scalar_one()
        team = await connection.execute(text("SELECT id FROM team WHERE code = :c"), {"c": TEAM})
        team_id = team.scalar_one()
        reporter_id = (
            await connection.execute(
                text(
                    "INSERT INTO person (telegram_id, name, language, created_at) "
                    "VALUES (5550001, '王阿姨', 'zh-CN', :now) RETURNING id"
                ),
                {"now": now},
            )
        ).scalar_one()  # started_at NULL: the bot may not write to her, only to the team
        await connection.execute(
            text(
                "INSERT INTO ticket (compound_id, number, reporter_id, source_chat_id, text,"
                " urgency, category, route, team_id, status, created_at, updated_at,"
                " first_response_due, resolution_due, next_remind_at, escalation_level)"
                " SELECT :compound, n, :reporter, 5550001, '楼道灯坏了，第' || n || '号',"
                " 'general', 'repair', 'property', :team, 'new', :created, :created,"
                " :due, :due, :remind, -1"
                " FROM generate_series(1, :count) AS n"
            ),
            {
                "compound": compound_id,
                "reporter": reporter_id,
                "team": team_id,
                "created": created,
                "due": due,
                "remind": now - timedelta(minutes=1),
                "count": count,
            },
        )
        await connection.execute(
            text("UPDATE ticket_counter SET last_number = :count WHERE compound_id = :compound"),
            {"count": count, "compound": compound_id},
        )


def insert_tickets(db: ScratchDb, count: int) -> None:
    """`count` open, unassigned, overdue tickets JH-0001.. of jh-property, due for a reminder;
    all in one transaction, so every process sees all of them at once."""
    db.run(_insert_tickets(db.engine, count, datetime.now(UTC)))


def control(base: str, path: str, body: dict | None = None, method: str | None = None) -> Any:
    """Call the sandbox's control API; its result."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{base}/_sandbox{path}",
        data=data,
        headers={"Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["result"]


@dataclass
class Process:
    """A `python -m bot ...` process whose stdout and stderr go to one log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def claimed(self) -> list[int]:
        """The size of every batch this process's sweep claimed, as it logged them."""
        return [int(n) for n in CLAIMED.findall(self.log())]

    @property
    def sender(self) -> bool:
        return SENDER in self.log()

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop in time; reaped either way."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


def start(name: str, cwd: Path, *args: str, **settings: str) -> Process:
    """Start `python -m bot ARGS` in the background with only the given settings."""
    log_path = cwd / f"{name}.log"
    with log_path.open("wb") as sink:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=environment(PYTHONUNBUFFERED="1", **settings),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return Process(name, popen, log_path)


def wait_for(condition: Callable[[], object], what: str, timeout: float, every: float = 0.05):
    """Poll until `condition()` is truthy and return it; AssertionError naming `what` if not."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


@dataclass
class Sandbox:
    """`python -m bot sandbox --no-limits` in the background, with the team's group in it."""

    process: Process
    base: str

    @classmethod
    def start(cls, cwd: Path) -> "Sandbox":
        port = free_port()
        process = start("sandbox", cwd, "sandbox", "--port", str(port), "--no-limits")
        sandbox = cls(process, f"http://127.0.0.1:{port}")

        def listening() -> bool:
            if not process.alive():
                raise AssertionError(f"the sandbox stopped:\n{process.log()}")
            try:
                control(sandbox.base, "")
            except OSError:
                return False
            return True

        try:
            wait_for(listening, "the sandbox to listen", 30)
            control(sandbox.base, "/groups", {"id": TEAM_CHAT, "title": "锦华苑物业服务中心"})
        except BaseException:
            process.stop()
            raise
        return sandbox

    def stats(self) -> dict[str, Any]:
        return control(self.base, "/stats")

    def sent_to_team(self) -> int:
        """How many messages the bot has sent to the team's chat (the sandbox's counter)."""
        return int(self.stats()["per_chat"].get(str(TEAM_CHAT), 0))

    def reminders(self) -> Counter[int]:
        """Reminder messages in the team's chat, counted by ticket number."""
        messages = control(self.base, f"/chats/{TEAM_CHAT}/messages")
        found: Counter[int] = Counter()
        for message in messages:
            match = REMINDER.match(message["text"] or "")
            if match:
                found[int(match[1])] += 1
        return found


@dataclass
class Fleet:
    """The worker processes of one test, and the sandbox they send to."""

    sandbox: Sandbox
    workers: list[Process] = field(default_factory=list)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.sandbox.process.stop()

    def logs(self) -> str:
        return "\n".join(f"===== {w.name} =====\n{w.log()[-6000:]}" for w in self.workers)


def worker_settings(db: ScratchDb, sandbox: Sandbox, community: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": sandbox.base,
        "DATABASE_URL": db.plain_url,
        "COMMUNITY_CONFIG": str(community),
        "SWEEP_EVERY": "1",
        "SEND_RATE_GLOBAL": "0",
        "SEND_RATE_CHAT": "0",
        "SEND_RATE_GROUP": "0",
    }


def start_workers(fleet: Fleet, cwd: Path, count: int, settings: dict[str, str]) -> None:
    """Start `count` workers together; wait until each runs and one of them sends."""
    for number in range(1, count + 1):
        fleet.workers.append(start(f"worker{number}", cwd, "worker", **settings))

    def all_running() -> bool:
        for worker in fleet.workers:
            if not worker.alive():
                raise AssertionError(f"{worker.name} stopped:\n{worker.log()}")
        return all("running as a worker" in w.log() for w in fleet.workers)

    wait_for(all_running, "the workers to start", 60)
    wait_for(lambda: any(w.sender for w in fleet.workers), "a worker to take the sending", 30)
    senders = [w.name for w in fleet.workers if w.sender]
    assert len(senders) == 1, f"more than one process sends: {senders}\n{fleet.logs()}"


def outbox_state(db: ScratchDb) -> dict[str, int]:
    """The reminder rows of the outbox and what became of them, and everything else queued."""
    [(total, sent, failed, pending, others)] = db.rows(
        "SELECT count(*) FILTER (WHERE dedupe_key LIKE 'team:%:remind:%'),"
        " count(*) FILTER (WHERE dedupe_key LIKE 'team:%:remind:%' AND sent_at IS NOT NULL),"
        " count(*) FILTER (WHERE failed_at IS NOT NULL),"
        " count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),"
        " count(*) FILTER (WHERE dedupe_key NOT LIKE 'team:%:remind:%')"
        " FROM outbox"
    )
    return {"reminders": total, "sent": sent, "failed": failed, "pending": pending, "other": others}


def reminded_events(db: ScratchDb) -> tuple[int, int, int]:
    """`reminded` events: how many, of how many tickets, and the most any one ticket has."""
    [(events, tickets)] = db.rows(
        "SELECT count(*), count(DISTINCT ticket_id) FROM ticket_event WHERE kind = 'reminded'"
    )
    most = db.scalar(
        "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ticket_event"
        " WHERE kind = 'reminded' GROUP BY ticket_id) AS per_ticket"
    )
    return events, tickets, most


def still_due(db: ScratchDb) -> int:
    return db.scalar("SELECT count(*) FROM ticket WHERE next_remind_at <= now()")
