"""Apply the Alembic migrations that ship inside the package, from any working directory."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """Alembic's configuration, pointing at our migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to `revision` in one transaction."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def pending_revisions(engine: AsyncEngine) -> list[str]:
    """Revisions not yet applied to this database, oldest first (empty when up to date)."""

    def read(connection: Connection) -> list[str]:
        current = set(MigrationContext.configure(connection).get_current_heads())
        script = ScriptDirectory.from_config(alembic_config())
        applied = set()
        for head in current:
            applied |= {rev.revision for rev in script.iterate_revisions(head, "base")}
        newest_first = [r.revision for r in script.walk_revisions() if r.revision not in applied]
        return newest_first[::-1]  # in the order they apply

    async with engine.connect() as connection:
        return await connection.run_sync(read)
