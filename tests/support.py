"""Helpers for tests that need PostgreSQL or must run a coroutine from sync code."""

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from storage.db import create_engine, database_url

T = TypeVar("T")
DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from sync code, even while a test's event loop is running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def postgres_url() -> URL:
    """TEST_DATABASE_URL, or the PostgreSQL that runs on this project's machines."""
    return database_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL))


async def _postgres_problem(url: URL) -> str | None:
    engine = create_engine(url, connect_args={"timeout": 5})
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as error:  # noqa: BLE001  (any failure means: not reachable)
        return f"{type(error).__name__}: {error}".splitlines()[0]
    finally:
        await engine.dispose()


def require_postgres(url: URL) -> None:
    """Skip with a reason on a laptop without PostgreSQL; under CI=true fail instead."""
    problem = run_blocking(_postgres_problem(url))
    if problem is None:
        return
    where = url.render_as_string(hide_password=True)
    message = f"PostgreSQL at {where} is not reachable ({problem}); set TEST_DATABASE_URL"
    if IN_CI:
        pytest.fail(f"{message}. Under CI=true PostgreSQL is required.", pytrace=False)
    pytest.skip(message)


@asynccontextmanager
async def scratch_database(url: URL) -> AsyncIterator[URL]:
    """A new, empty PostgreSQL database beside the test one, dropped afterwards."""
    name = f"courtyard_scratch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
