"""The SLA sweep at scale: its cost follows the due tickets, not the open ones.

For each size a scratch database (a new PostgreSQL database beside `--postgres`, dropped at the
end; with `--sqlite` also a SQLite file) is migrated, the example community synced (jh-property's
chat set) and filled with open tickets by INSERT ... SELECT over a series: every ticket is a
medium repair in 锦华苑, new and nobody's, opened 2 h 05 min to 2 h 15 min ago, with its `created`
event, its card (`ticket_card`) and the card's sent outbox row, so the tables a sweep reads are
as large as the open tickets. Exactly `--due` of them (1,000) have their next reminder in the
past, scattered over the table; the rest are due 1 to 12 days ahead. Then ANALYZE.

One full sweep (`handlers.staff.sweep.sweep`, batches of 200, a frozen clock at 11:00 in Chengdu)
reminds each due ticket (half of its 4 h response time has gone) and moves its next look on; the
benchmark checks it did exactly that. Each timed run gets a fresh block of never-swept tickets
made due just before it; one untimed warm-up run first (it also counts the queries and captures
the claim query for EXPLAIN), then `--repeats` timed runs, median reported.
`--profile` times each step of one more sweep (a call tree with the SQL inside each step) and
profiles another with cProfile (own time by package); see docs/performance.md.
Targets: 100,000 open no more than twice 10,000 open (the sweep issue); under 200 ms per sweep
of 1,000 due at every size (benchmarks issue).
"""

import argparse
import cProfile
import inspect
import json
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import bindparam, event, func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from handlers.chat import Chat
from handlers.context import Context
from handlers.staff.sweep import sweep
from storage.db import create_engine, database_url, session_factory
from storage.migrate import upgrade
from storage.models import Building, Compound, Outbox, Person, Team, Ticket
from storage.types import UTCDateTime
from storage.uow import UnitOfWork
from tests.support import scratch_database
from tickets.community import CommunityConfig, parse_community

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 11:00 in Chengdu: no quiet hours
OPENED = NOW - timedelta(hours=2, minutes=5)  # minus 0 to 599 s per ticket
TEAM_CHAT = -1002000000001
RESIDENTS = 1000
TARGET_MS = 200.0
TARGET_RATIO = 2.0
SQLITE_LIMIT = 100_000
REPOSITORIES = {"tickets", "people", "community", "cards", "outbox", "uow"}  # Breakdown's labels


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's options."""
    group = parser.add_argument_group("sweep")
    group.add_argument(
        "--sizes",
        default="10000,100000",
        help="open tickets per run, comma-separated (add 1000000 for a million)",
    )
    group.add_argument("--due", type=int, default=1000, help="due tickets per sweep (1000)")
    group.add_argument("--repeats", type=int, default=3, help="timed sweeps per size (3)")
    group.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES),
        help="a PostgreSQL server URL; a scratch database is made beside it",
    )
    group.add_argument(
        "--sqlite", action="store_true", help=f"also on SQLite (sizes up to {SQLITE_LIMIT:,})"
    )
    group.add_argument(
        "--profile",
        action="store_true",
        help="time each step of one more sweep, and profile another (cProfile)",
    )


class _NoChat:
    """The sweep sends nothing itself (everything goes to the outbox): any use is a bug here."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the sweep called chat.{name}; it should only write the outbox")


def community() -> CommunityConfig:
    """The example community with jh-property's group set, as the contract tests have it."""
    data = yaml.safe_load((ROOT / "community.example.yaml").read_text("utf-8"))
    next(t for t in data["teams"] if t["code"] == "jh-property")["chat_id"] = TEAM_CHAT
    return parse_community(data)


# --- loading -----------------------------------------------------------------------------------


def _series(dialect: str) -> str:
    """A CTE `s(n)` of 1..:n, to put before an INSERT ... SELECT ... FROM s."""
    if dialect == "postgresql":
        return "WITH s(n) AS (SELECT generate_series(1, :n))"
    return "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :n)"


def _moment(dialect: str, base: str, seconds: str) -> str:
    """SQL for the bound moment `:base` plus `seconds` (an SQL integer expression)."""
    if dialect == "postgresql":
        return f"(CAST(:{base} AS timestamptz) + ({seconds}) * interval '1 second')"
    # SQLAlchemy keeps SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text: the same shape.
    return f"(strftime('%Y-%m-%d %H:%M:%f', :{base}, ({seconds}) || ' seconds') || '000')"


def _json(dialect: str, name: str) -> str:
    return f"CAST(CAST(:{name} AS TEXT) AS jsonb)" if dialect == "postgresql" else f":{name}"


def _moments(*names: str) -> list[Any]:
    return [bindparam(name, type_=UTCDateTime) for name in names]


async def load(engine: AsyncEngine, config: CommunityConfig, size: int, stride: int) -> None:
    """Migrate, sync the community, write `size` open tickets, make block 0 due, ANALYZE."""
    dialect = engine.dialect.name
    await upgrade(engine)
    async with UnitOfWork(session_factory(engine)) as uow:
        await uow.community.sync(config)
        await uow.commit()
    async with engine.begin() as db:
        compound = (await db.execute(select(Compound.id).where(Compound.code == "JH"))).scalar_one()
        team = (await db.execute(select(Team.id).where(Team.code == "jh-property"))).scalar_one()
        where = Building.compound_id == compound
        buildings = (await db.execute(select(Building.id).where(where))).scalars().all()
        residents = f"""{_series(dialect)}
            INSERT INTO person (telegram_id, name, language, phone, created_at, started_at)
            SELECT 800000000 + n, '居民' || n, 'zh-CN', '1380000' || n, :opened, :opened FROM s"""
        statement = text(residents).bindparams(*_moments("opened"))
        await db.execute(statement, {"n": RESIDENTS, "opened": OPENED})
        first = (await db.execute(select(func.min(Person.id)))).scalar_one()
        lag = "(n % 600)"
        building = " ".join(f"WHEN {i} THEN {b}" for i, b in enumerate(buildings))
        tickets = f"""{_series(dialect)}
            INSERT INTO ticket (compound_id, number, reporter_id, source_chat_id, text,
                building_id, unit, room, urgency, category, route, team_id, status,
                created_at, updated_at, first_response_due, resolution_due, next_remind_at,
                escalation_level)
            SELECT :compound, n, :first + n % :residents, 800000000 + n % :residents,
                '家里卫生间漏水，楼下邻居说天花板在滴水，麻烦尽快派人来看看',
                CASE n % {len(buildings)} {building} END, CAST(1 + n % 2 AS VARCHAR(16)), '301',
                'medium', 'repair', 'property', :team, 'new',
                {_moment(dialect, "opened", f"-{lag}")},
                {_moment(dialect, "opened", f"-{lag}")},
                {_moment(dialect, "opened", f"4 * 3600 - {lag}")},
                {_moment(dialect, "opened", f"24 * 3600 - {lag}")},
                {_moment(dialect, "later", f"CAST(n AS BIGINT) * {11 * 86400} / {size}")},
                -1
            FROM s"""
        values = {"n": size, "compound": compound, "first": first, "residents": RESIDENTS}
        values |= {"team": team, "opened": OPENED, "later": NOW + timedelta(days=1)}
        await db.execute(text(tickets).bindparams(*_moments("opened", "later")), values)
        created = {"source": "private", "team": "jh-property"}
        created["triage"] = {"urgency": "medium", "category": "repair", "confidence": 0.9}
        events = f"""INSERT INTO ticket_event (ticket_id, actor_id, at, kind, data)
            SELECT id, reporter_id, created_at, 'created', {_json(dialect, "data")} FROM ticket"""
        await db.execute(text(events), {"data": json.dumps(created, ensure_ascii=False)})
        key = "'card:' || id || ':' || team_id || ':' || 0"
        cards = f"""INSERT INTO ticket_card (ticket_id, team_id, chat_id, outbox_key, created_at)
            SELECT id, team_id, :chat, {key}, created_at FROM ticket"""
        await db.execute(text(cards), {"chat": TEAM_CHAT})
        posted = f"""INSERT INTO outbox (chat_id, payload, dedupe_key, ticket_id, created_at,
                not_before, attempts, sent_at)
            SELECT :chat, {_json(dialect, "payload")}, {key}, id, created_at, created_at, 1,
                created_at FROM ticket"""
        payload = json.dumps({"text": "🟡 JH-0001 · 一般 · 维修\n...", "buttons": []})
        await db.execute(text(posted), {"chat": TEAM_CHAT, "payload": payload})
        counter = "UPDATE ticket_counter SET last_number = :n WHERE compound_id = :compound"
        await db.execute(text(counter), {"n": size, "compound": compound})
    await make_due(engine, stride, 0)
    async with engine.begin() as db:
        await db.execute(text("ANALYZE"))


async def make_due(engine: AsyncEngine, stride: int, block: int) -> int:
    """Make block `block` due: every `stride`-th ticket, its next reminder at its half time."""
    dialect = engine.dialect.name
    query = f"""UPDATE ticket SET next_remind_at = {_moment(dialect, "half", "-(number % 600)")}
        WHERE (number - 1) % :stride = :block"""
    async with engine.begin() as db:
        statement = text(query).bindparams(*_moments("half"))
        values = {"half": OPENED + timedelta(hours=2), "stride": stride, "block": block}
        done = await db.execute(statement, values)
        due = (await db.execute(select(func.count()).where(_due()))).scalar_one()
    assert done.rowcount == due, f"{due} tickets due, {done.rowcount} marked"
    return due


def _due() -> Any:
    return col(Ticket.next_remind_at).is_not(None) & (col(Ticket.next_remind_at) <= NOW)


async def reminders(engine: AsyncEngine) -> int:
    """Reminder messages queued so far."""
    async with engine.connect() as db:
        query = select(func.count()).where(col(Outbox.dedupe_key).like("%:remind:%"))
        return (await db.execute(query)).scalar_one()


# --- measuring ---------------------------------------------------------------------------------


class Statements:
    """Counts the SQL statements sent and keeps the claim query (with its parameters)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine, self.count = engine, 0
        self.claim: tuple[str, Any] | None = None
        self.listener = self.seen
        event.listen(engine.sync_engine, "before_cursor_execute", self.listener)

    def seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.count += 1
        if self.claim is None and "ORDER BY ticket.next_remind_at" in statement:
            self.claim = (statement, parameters)

    def stop(self) -> None:
        event.remove(self.engine.sync_engine, "before_cursor_execute", self.listener)


async def plan(engine: AsyncEngine, claim: tuple[str, Any]) -> list[str]:
    """The claim query's plan, as the database prints it."""
    statement, parameters = claim
    async with engine.connect() as db:
        if engine.dialect.name == "postgresql":
            rows = await db.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            lines = [row[0] for row in rows]
        else:
            rows = await db.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            lines = [row[-1] for row in rows]
        await db.rollback()
    return lines


async def timed_sweep(ctx: Context, engine: AsyncEngine, due: int) -> float:
    """One full sweep of the due tickets, in seconds; checks every one was reminded once."""
    before = await reminders(engine)
    start = time.perf_counter()
    done = await sweep(ctx, batch=200)
    seconds = time.perf_counter() - start
    assert (done.tickets, done.reminders) == (due, due), f"swept {done}, expected {due}"
    assert await reminders(engine) - before == due, "a reminder is missing from the outbox"
    async with engine.connect() as db:
        left = (await db.execute(select(func.count()).where(_due()))).scalar_one()
    assert left == 0, f"{left} tickets still due after the sweep"
    return seconds


class Breakdown:
    """Wall time spent in the sweep's steps, as a call tree, and in the driver (SQL round trips).

    The sweep runs alone and in sequence, so the time between entering and leaving a step is that
    step's: unlike cProfile, this is not confused by coroutines or SQLAlchemy's greenlets. The
    steps are wrapped for one sweep and put back afterwards; production code is not changed.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.stack: list[str] = []
        self.spent: dict[tuple[str, ...], list[float]] = {}  # path -> [calls, seconds]
        self.patched: list[tuple[Any, str, Any]] = []
        self.started, self.verb = 0.0, ""

    def _add(self, path: tuple[str, ...], seconds: float) -> None:
        entry = self.spent.setdefault(path, [0, 0.0])
        entry[0] += 1
        entry[1] += seconds

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)
        breakdown = self

        if inspect.iscoroutinefunction(original):

            async def timed(*args: Any, **kwargs: Any) -> Any:
                breakdown.stack.append(label)
                path, start = tuple(breakdown.stack), time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    breakdown._add(path, time.perf_counter() - start)
                    breakdown.stack.pop()

        else:

            def timed(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                breakdown.stack.append(label)
                path, start = tuple(breakdown.stack), time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    breakdown._add(path, time.perf_counter() - start)
                    breakdown.stack.pop()

        setattr(owner, name, timed)
        self.patched.append((owner, name, original))

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.verb = statement.split(None, 1)[0].upper()
        self.started = time.perf_counter()

    def _after(self, *_: Any) -> None:
        self._add((*self.stack, f"SQL {self.verb}"), time.perf_counter() - self.started)

    async def run(self, ctx: Context, due: int) -> dict[str, Any]:
        """One sweep with its steps timed; the tree, in the order steps first ran."""
        from handlers.staff import card
        from handlers.staff import sweep as module
        from storage.repositories.cards import CardRepository
        from storage.repositories.community import CommunityRepository
        from storage.repositories.outbox import OutboxRepository
        from storage.repositories.people import PersonRepository
        from storage.repositories.tickets import TicketRepository

        steps = [
            (module, "chase_one", "chase_one"),
            (module, "calendar_of", "calendar_of (the team's calendar)"),
            (module, "owed", "owed (the clock)"),
            (module, "remind", "remind"),
            (module, "reminder_text", "reminder_text"),
            (card, "label_of", "card.label_of"),
            (card, "render", "card.render"),
            (card, "place_of", "card.place_of"),
            (card, "_transfers", "card._transfers"),
            (card, "tell_team", "card.tell_team"),
            (TicketRepository, "claim_due", "tickets.claim_due"),
            (TicketRepository, "history", "tickets.history"),
            (TicketRepository, "record", "tickets.record"),
            (PersonRepository, "get", "people.get"),
            (CommunityRepository, "compound_by_id", "community.compound_by_id"),
            (CommunityRepository, "building_by_id", "community.building_by_id"),
            (CommunityRepository, "team_by_id", "community.team_by_id"),
            (CardRepository, "latest", "cards.latest"),
            (OutboxRepository, "enqueue", "outbox.enqueue"),
            (UnitOfWork, "commit", "uow.commit"),
        ]
        for owner, name, label in steps:
            if hasattr(owner, name):  # the sweep's code moves on; time what is there
                self.wrap(owner, name, label)
        sync = self.engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before)
        event.listen(sync, "after_cursor_execute", self._after)
        try:
            self.stack.append("sweep")
            start = time.perf_counter()
            done = await module.sweep(ctx, batch=200)
            wall = time.perf_counter() - start
            self.stack.pop()
        finally:
            event.remove(sync, "before_cursor_execute", self._before)
            event.remove(sync, "after_cursor_execute", self._after)
            for owner, name, original in reversed(self.patched):
                setattr(owner, name, original)
        assert done.reminders == due
        self._add(("sweep",), wall)
        self.spent[("sweep",)][0] = 1
        sql = sum(s for path, (_n, s) in self.spent.items() if path[-1].startswith("SQL "))
        statements = sum(
            int(n) for path, (n, _s) in self.spent.items() if path[-1].startswith("SQL ")
        )
        own = {path: seconds for path, (_n, seconds) in self.spent.items()}
        for path, (_n, seconds) in self.spent.items():
            if len(path) > 1:
                own[path[:-1]] -= seconds  # a step's own time: not in the steps it called
        tree = [
            {
                "step": " / ".join(path),
                "depth": len(path) - 1,
                "calls": int(calls),
                "s": round(seconds, 4),
                "own_s": round(own[path], 4),
                "share": round(seconds / wall, 3),
            }
            for path, (calls, seconds) in self.spent.items()
        ]
        orm = sum(own[path] for path in own if path[-1].split(".")[0] in REPOSITORIES)
        order = {path: n for n, path in enumerate(self.spent)}
        tree.sort(key=lambda row: _tree_key(row["step"], order))
        return {
            "wall_s": round(wall, 3),
            "sql_s": round(sql, 3),
            "sql_share": round(sql / wall, 3),
            "statements": statements,
            "orm_s": round(orm, 3),  # in repository calls, around their SQL: the ORM's own work
            "orm_share": round(orm / wall, 3),
            "ours_s": round(wall - sql - orm, 3),  # the rest: the handlers' own Python
            "ours_share": round((wall - sql - orm) / wall, 3),
            "tree": tree,
        }


def _tree_key(step: str, order: dict[tuple[str, ...], int]) -> list[int]:
    """Sort a path under its parent, in the order each step first finished (SQL last)."""
    path = tuple(step.split(" / "))
    return [
        10**9 if part.startswith("SQL ") else order.get(path[: n + 1], 0)
        for n, part in enumerate(path)
    ]


def _package(filename: str, name: str) -> str:
    """Whose code a profiled function is: a library, the standard library, or one of ours."""
    if filename == "~":
        if "epoll" in name:
            return "waiting: the event loop's poll (the database)"
        return "greenlet" if "greenlet" in name else "C built-ins"
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    if filename.startswith(str(ROOT)):
        return "ours: " + Path(filename).relative_to(ROOT).parts[0]
    return "asyncio" if "/asyncio/" in filename else "standard library"


def own_time_by_package(profiler: cProfile.Profile) -> list[dict[str, Any]]:
    """cProfile's own time (not cumulative, which coroutines and greenlets garble) per package."""
    table = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {}
    for (filename, _line, name), (_c, _n, own, _cum, _callers) in table.items():
        key = _package(filename, name)
        totals[key] = totals.get(key, 0.0) + own
    whole = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return [{"package": k, "s": round(v, 3), "share": round(v / whole, 3)} for k, v in ranked]


@asynccontextmanager
async def scratch(dialect: str, server: str, workdir: Path, size: int) -> AsyncIterator[URL]:
    """A new empty database for one size: a PostgreSQL database (dropped) or a SQLite file."""
    if dialect == "sqlite":
        yield database_url(f"sqlite+aiosqlite:///{workdir / f'sweep-{size}.db'}")
        return
    async with scratch_database(database_url(server)) as url:
        yield url


async def measure(args: argparse.Namespace, dialect: str, size: int, workdir: Path) -> dict:
    """Load one size, warm up, time the sweeps (and profile one); the figures of this size."""
    due = args.due
    if size % due:
        raise SystemExit(f"--sizes: {size} is not a multiple of --due {due}")
    stride = size // due  # block b: the tickets numbered b+1, b+1+stride, ...
    blocks = 1 + args.repeats + 2 * args.profile
    if stride < blocks:
        raise SystemExit(f"--sizes: {size} open tickets hold fewer than {blocks} blocks of {due}")
    config = community()
    async with scratch(dialect, args.postgres, workdir, size) as url:
        engine = create_engine(url)
        try:
            start = time.perf_counter()
            await load(engine, config, size, stride)
            load_s = time.perf_counter() - start
            sessions = session_factory(engine)
            ctx = Context(
                cast(Chat, _NoChat()),
                lambda: UnitOfWork(sessions),
                lambda: NOW,
                config,
                TZ,
                admins=frozenset(),
            )
            statements = Statements(engine)
            warm = await timed_sweep(ctx, engine, due)  # block 0, made due before ANALYZE
            statements.stop()
            assert statements.claim is not None, "the sweep sent no claim query"
            lines = await plan(engine, statements.claim)
            runs = []
            for block in range(1, 1 + args.repeats):
                assert await make_due(engine, stride, block) == due
                runs.append(await timed_sweep(ctx, engine, due))
            figures: dict[str, Any] = {
                "database": dialect,
                "open": size,
                "due": due,
                "median_ms": round(statistics.median(runs) * 1000, 1),
                "per_due_ms": round(statistics.median(runs) * 1000 / due, 3),
                "runs_ms": [round(r * 1000, 1) for r in runs],
                "warmup_ms": round(warm * 1000, 1),
                "statements_per_due": round(statements.count / due, 2),
                "plan": lines[0].strip(),
                "plan_scan": next((x.strip(" ->") for x in lines if "SCAN" in x.upper()), ""),
                "uses_partial_index": any("ix_ticket_due_reminder" in x for x in lines),
                "load_s": round(load_s, 1),
            }
            if args.profile:
                assert await make_due(engine, stride, 1 + args.repeats) == due
                figures["breakdown"] = await Breakdown(engine).run(ctx, due)
                assert await make_due(engine, stride, 2 + args.repeats) == due
                profiler = cProfile.Profile()
                profiler.enable()
                done = await sweep(ctx, batch=200)
                profiler.disable()
                assert done.reminders == due
                figures["own_time"] = own_time_by_package(profiler)
        finally:
            await engine.dispose()
    return figures


def _sizes(raw: str) -> list[int]:
    return [int(part.replace("_", "")) for part in raw.split(",") if part.strip()]


def _print_profile(row: dict[str, Any]) -> None:
    b = row["breakdown"]
    print(
        f"\nwhere the time goes, {row['database']}, {row['open']:,} open: one sweep, "
        f"{b['wall_s'] * 1000:.0f} ms, {b['statements']} SQL statements taking "
        f"{b['sql_s'] * 1000:.0f} ms ({b['sql_share']:.0%}) in the driver and the database"
    )
    print(
        f"  in SQLAlchemy around the statements (repository calls less their SQL): "
        f"{b['orm_s'] * 1000:.0f} ms ({b['orm_share']:.0%}); the handlers' own Python: "
        f"{b['ours_s'] * 1000:.0f} ms ({b['ours_share']:.0%})"
    )
    header = "step (SQL ...: time inside cursor.execute)"
    print(f"  {header:58}{'calls':>7}{'ms':>8}{'own ms':>8}{'share':>8}")
    for step in b["tree"]:
        name = "  " * step["depth"] + step["step"].split(" / ")[-1]
        print(
            f"  {name[:58]:58}{step['calls']:>7}{step['s'] * 1000:>8.0f}"
            f"{step['own_s'] * 1000:>8.0f}{step['share']:>8.1%}"
        )
    print("  cProfile, own time by package (another sweep, slowed by the profiler):")
    for group in row["own_time"][:10]:
        print(f"    {group['package'][:56]:56}{group['s']:>9.3f} s{group['share']:>8.1%}")


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every size on PostgreSQL (and SQLite); prints a table and returns the figures."""
    sizes = _sizes(args.sizes)
    targets = [("postgresql", size) for size in sizes]
    if args.sqlite:
        targets += [("sqlite", size) for size in sizes if size <= SQLITE_LIMIT]
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for dialect, size in targets:
            rows.append(await measure(args, dialect, size, Path(workdir)))
    print(
        f"sweep: one full sweep of {args.due:,} due tickets (batches of 200), "
        f"median of {args.repeats} after a warm-up"
    )
    print(
        f"{'database':<12}{'open':>11}{'due':>7}{'median':>11}{'per due':>10}"
        f"{'runs (ms)':>24}{'SQL/due':>9}{'load':>8}"
    )
    for r in rows:
        runs = ", ".join(f"{x:.0f}" for x in r["runs_ms"])
        print(
            f"{r['database']:<12}{r['open']:>11,}{r['due']:>7,}{r['median_ms']:>8.0f} ms"
            f"{r['per_due_ms']:>7.2f} ms{runs:>24}{r['statements_per_due']:>9}"
            f"{r['load_s']:>6.0f} s"
        )
    figures: dict[str, Any] = {"sizes": rows, "target_ms": TARGET_MS, "target_ratio": TARGET_RATIO}
    for dialect in dict.fromkeys(r["database"] for r in rows):
        mine = {r["open"]: r for r in rows if r["database"] == dialect}
        base = min(mine)
        ratios = {size: mine[size]["median_ms"] / mine[base]["median_ms"] for size in mine}
        figures[f"{dialect}_ratios"] = {str(k): round(v, 2) for k, v in ratios.items()}
        for size, ratio in ratios.items():
            if size != base:
                verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
                print(
                    f"{dialect}: {size:,} / {base:,} open = {ratio:.2f}x "
                    f"(target <= {TARGET_RATIO:.0f}x: {verdict})"
                )
        for size, r in mine.items():
            scan = f" / {r['plan_scan']}" if r["plan_scan"] and r["plan_scan"] != r["plan"] else ""
            print(f"{dialect}: claim plan at {size:,}: {r['plan']}{scan}")
        used = all(r["uses_partial_index"] for r in mine.values())
        print(f"{dialect}: the claim uses ix_ticket_due_reminder at every size: {used}")
    slow = [r for r in rows if r["median_ms"] > TARGET_MS]
    figures["met_ms_target"] = not slow
    verdict = "met" if not slow else f"NOT met ({len(slow)} of {len(rows)} runs over)"
    print(f"under {TARGET_MS:.0f} ms per sweep of {args.due:,} due at every size: {verdict}")
    for r in rows:
        if "breakdown" in r:
            _print_profile(r)
    return figures
