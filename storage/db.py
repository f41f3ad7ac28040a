"""The async engine and sessions for SQLite (single writer) and PostgreSQL."""

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class BadDatabaseUrl(ValueError):
    """DATABASE_URL names no database we can use."""


def database_url(raw: str) -> URL:
    """Parse a database URL and pick the async driver (sqlite:// and postgresql:// are accepted)."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise BadDatabaseUrl(f'"{raw}" is not a database URL') from None
    driver = _ASYNC_DRIVERS.get(url.drivername)
    if driver is None:
        raise BadDatabaseUrl(
            f'"{url.drivername}" is not supported; use sqlite+aiosqlite or postgresql+asyncpg'
        )
    if driver.startswith("sqlite") and not url.database:
        raise BadDatabaseUrl("a SQLite URL needs a file path, e.g. sqlite+aiosqlite:///data/x.db")
    return url.set(drivername=driver)


def create_engine(url: URL | str, **options: Any) -> AsyncEngine:
    """An engine for `url`; on SQLite every transaction takes the write lock up front."""
    url = database_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **options)
        _serialize_sqlite_writers(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **options)


def _serialize_sqlite_writers(engine: AsyncEngine) -> None:
    """SQLite allows one writer: BEGIN IMMEDIATE makes others wait instead of failing mid-way."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def wait_for_database(
    engine: AsyncEngine,
    attempts: int = 5,
    delay: float = 2.0,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> None:
    """Connect, retrying a few times with a clear log line; the last failure is raised."""
    where = engine.url.render_as_string(hide_password=True)
    for attempt in range(1, attempts + 1):
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return
        except (OSError, TimeoutError, DBAPIError) as error:
            if attempt == attempts:
                raise
            log.warning(
                "database %s not reachable (attempt %d of %d): %s; retrying in %.1f s",
                where,
                attempt,
                attempts,
                first_line(error),
                delay,
            )
            await sleep(delay)


def first_line(error: BaseException) -> str:
    """The first line of an error's message (drivers write several), or its type's name."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
