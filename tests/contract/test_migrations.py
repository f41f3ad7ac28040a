"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from storage.migrate import alembic_config, pending_revisions, upgrade
from tests.contract.helpers import T0, open_ticket, seed


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


async def _downgrade(engine, revision: str) -> None:
    def run(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def test_downgrade_to_base_and_up_again(db):
    await _downgrade(db.engine, "base")
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


async def test_intake_migrates_down_and_up_with_people_and_tickets_in_place(db, community):
    # On SQLite, copying `person` (batch mode) would fail here: tickets point at the people.
    await seed(db.uow(), community)
    ticket = await open_ticket(db.uow(), resident_telegram_id=1001)
    async with db.uow() as uow:
        bob = await uow.people.seen(2002, "李先生", T0)
        jh = await uow.community.compound("JH")
        building = await uow.community.building(jh.id, "5")
        await uow.people.remember_place(bob, jh.id, building.id, "2")
        bob.started_at = T0
        await uow.tickets.follow(ticket.id, bob.id, T0)
        await uow.commit()
    await _downgrade(db.engine, "0002")
    async with db.engine.connect() as connection:
        columns = await connection.run_sync(lambda c: inspect(c).get_columns("person"))
        people = await connection.execute(text("SELECT telegram_id FROM person ORDER BY id"))
        assert [c["name"] for c in columns][-1] == "created_at"
        assert [row[0] for row in people] == [1001, 2002]
    await upgrade(db.engine)
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
    async with db.uow() as uow:
        bob = await uow.people.by_telegram_id(2002)
        assert (bob.compound_id, bob.building_id, bob.unit, bob.started_at) == (None,) * 4
        assert (await uow.tickets.get(ticket.id)).reporter_id != bob.id
        assert await uow.tickets.followers(ticket.id) == []
