"""The composition root: the one place that builds the engine, sessions and configuration."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.community_file import load_community
from bot.errors import EXIT_UNAVAILABLE, StartupError
from bot.settings import Settings
from storage.db import create_engine, first_line, session_factory, wait_for_database
from storage.migrate import pending_revisions, upgrade
from storage.uow import UnitOfWork
from tickets.community import CommunityConfig

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The wall clock, in UTC; tests inject their own."""
    return datetime.now(UTC)


@dataclass
class App:
    """Everything a running bot shares, built once from the settings."""

    settings: Settings
    community: CommunityConfig
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    now: Callable[[], datetime] = utc_now

    def uow(self) -> UnitOfWork:
        """A fresh unit of work for one use case."""
        return UnitOfWork(self.sessions)

    async def close(self) -> None:
        """Release the database connections."""
        await self.engine.dispose()


def build_app(settings: Settings, now: Callable[[], datetime] = utc_now) -> App:
    """Wire the app; nothing connects yet, and a bad community file stops here."""
    community = load_community(settings.community_config)
    engine = create_engine(settings.database_url)
    return App(settings, community, engine, session_factory(engine), now)


async def connect(engine: AsyncEngine, settings: Settings) -> None:
    """Reach the database, retrying a few times; a StartupError if it stays unreachable."""
    where = engine.url.render_as_string(hide_password=True)
    log.info("connecting to the database %s", where)
    try:
        await wait_for_database(
            engine, settings.database_connect_attempts, settings.database_connect_delay
        )
    except (OSError, TimeoutError, DBAPIError) as error:
        raise StartupError(
            f"DATABASE_URL: cannot reach the database {where} after "
            f"{settings.database_connect_attempts} tries ({first_line(error)}). Check that the "
            "server is running and that DATABASE_URL names the right host, port, user and "
            "database.",
            EXIT_UNAVAILABLE,
        ) from None


async def migrate(settings: Settings) -> list[str]:
    """Apply every pending migration; the revisions applied."""
    engine = create_engine(settings.database_url)
    try:
        await connect(engine, settings)
        pending = await pending_revisions(engine)
        await upgrade(engine)
        return pending
    finally:
        await engine.dispose()


async def prepare(app: App) -> None:
    """Connect, make sure the schema is current, and write the community configuration in."""
    await connect(app.engine, app.settings)
    pending = await pending_revisions(app.engine)
    if pending:
        raise StartupError(
            f"The database is missing migrations {', '.join(pending)}. Run "
            "`python -m bot migrate` first (`make run` does it for you)."
        )
    async with app.uow() as uow:
        await uow.community.sync(app.community)
        await uow.commit()
