"""The advisory lock: one holder per schema, freed on release or when its connection dies."""

from sqlalchemy import text

from bot.delivery import AdvisoryLock, SoleSender, leader_for
from tests.contract.helpers import postgres_only


@postgres_only
async def test_one_holder_at_a_time_and_a_dropped_connection_frees_the_lock(db):
    engine = db.new_engine()
    mine, theirs = AdvisoryLock(db.engine), AdvisoryLock(engine)
    try:
        assert await mine.acquire()
        assert await mine.acquire()  # still ours
        assert not await theirs.acquire()

        assert mine._connection is not None
        pid = (await mine._connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await mine._connection.commit()
        async with engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await admin.commit()

        assert await theirs.acquire()  # the server freed it with the connection
        assert not await mine.acquire()  # we notice the loss, and it is taken
        assert not mine.held
        await theirs.release()
        assert await mine.acquire()
    finally:
        await mine.release()
        await theirs.release()
        await engine.dispose()


@postgres_only
async def test_release_lets_another_take_it(db):
    engine = db.new_engine()
    first, second = AdvisoryLock(db.engine), AdvisoryLock(engine)
    try:
        assert await first.acquire()
        await first.release()
        await first.release()  # twice is harmless
        assert await second.acquire()
    finally:
        await second.release()
        await engine.dispose()


async def test_the_database_decides_who_leads(db):
    leader = leader_for(db.engine)
    expected = AdvisoryLock if db.dialect == "postgresql" else SoleSender
    assert isinstance(leader, expected)
    assert await leader.acquire()
    await leader.release()
