"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage.migrate import alembic_config, pending_revisions, upgrade


def _differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


async def test_migrated_schema_matches_the_models(db):
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
    assert await pending_revisions(db.engine) == []


async def test_the_reminder_index_covers_only_tickets_with_a_reminder(db):
    async with db.engine.connect() as connection:
        indexes = await connection.run_sync(lambda c: inspect(c).get_indexes("ticket"))
    names = {i["name"]: i for i in indexes}
    assert names["ix_ticket_due_reminder"]["column_names"] == ["next_remind_at"]


async def test_downgrade_to_base_and_up_again(db):
    def downgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    async with db.engine.begin() as connection:
        await connection.run_sync(downgrade)
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    assert await pending_revisions(db.engine) != []
    await upgrade(db.engine)
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_upgrading_an_up_to_date_database_is_harmless(db):
    await upgrade(db.engine)
    assert await pending_revisions(db.engine) == []
