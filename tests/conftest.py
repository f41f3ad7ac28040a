"""Shared fixtures: a migrated database on SQLite and on PostgreSQL for every contract test."""

import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.models  # noqa: F401  (the tables)
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import UnitOfWork
from tests.support import postgres_url, require_postgres, run_blocking
from tickets.community import CommunityConfig, parse_community

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Database:
    """A migrated database for one test."""

    dialect: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    new_engine: Callable[[], AsyncEngine]  # another engine on the same data: a "restart"

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on this database."""
        return UnitOfWork(self.sessions)


@dataclass(frozen=True)
class PostgresTarget:
    """Where PostgreSQL tests run: a URL and a schema of their own within it."""

    url: URL
    schema: str

    def engine(self) -> AsyncEngine:
        """An engine whose connections see only this run's schema."""
        return create_engine(
            self.url, connect_args={"server_settings": {"search_path": self.schema}}
        )


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresTarget]:
    """A fresh, migrated schema for this test run in the test database; dropped afterwards."""
    url = postgres_url()
    require_postgres(url)
    target = PostgresTarget(url, f"courtyard_test_{uuid.uuid4().hex[:10]}")

    async def create() -> None:
        admin = create_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{target.schema}"'))
        await admin.dispose()
        engine = target.engine()
        await upgrade(engine)
        await engine.dispose()

    async def drop() -> None:
        admin = create_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{target.schema}" CASCADE'))
        await admin.dispose()

    run_blocking(create())
    yield target
    run_blocking(drop())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies, so migrations run once per session."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"

    async def create() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()

    run_blocking(create())
    return path


async def _empty_postgres_tables(engine: AsyncEngine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The same migrated, empty database on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "courtyard.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)

        def new_engine() -> AsyncEngine:
            return create_engine(f"sqlite+aiosqlite:///{path}")
    else:
        new_engine = request.getfixturevalue("postgres").engine
    engine = new_engine()
    try:
        yield Database(request.param, engine, session_factory(engine), new_engine)
    finally:
        if request.param == "postgresql":
            await _empty_postgres_tables(engine)
        await engine.dispose()


@pytest.fixture(scope="session")
def community() -> CommunityConfig:
    """The example community shipped with the project."""
    return parse_community(yaml.safe_load((ROOT / "community.example.yaml").read_text("utf-8")))
