"""People are found by Telegram id; a half-finished conversation survives a restart."""

from datetime import timedelta

from storage.db import session_factory
from storage.models import MemberRole, Membership
from storage.uow import UnitOfWork
from tests.contract.helpers import T0, seed


async def test_a_person_is_created_once_and_kept_fresh(db):
    async with db.uow() as uow:
        first = await uow.people.seen(42, "Alice", T0, username="alice", language="en")
        await uow.commit()
    async with db.uow() as uow:
        again = await uow.people.seen(42, "Alice Wang", T0 + timedelta(days=1), language="zh-CN")
        await uow.commit()
    assert again.id == first.id
    assert (again.name, again.username) == ("Alice Wang", None)
    assert again.language == "en"  # chosen language is not overwritten by the app's
    assert again.created_at == T0


async def test_memberships_name_the_role_in_each_team(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        person = await uow.people.seen(7, "李师傅", T0)
        for code, role in [("jh-property", MemberRole.HANDLER), ("grid-workers", MemberRole.LEAD)]:
            team = await uow.community.team(code)
            uow.session.add(
                Membership(team_id=team.id, person_id=person.id, role=role, created_at=T0)
            )
        await uow.commit()
    async with db.uow() as uow:
        roles = {m.role for m in await uow.people.memberships(person.id)}
        assert roles == {MemberRole.HANDLER, MemberRole.LEAD}


async def test_a_half_typed_report_survives_a_restart(db):
    async with db.uow() as uow:
        await uow.conversations.save(
            5, 42, "ask_place", {"text": "楼道灯坏了", "photos": ["AgAD1"]}, T0
        )
        await uow.commit()
    await db.engine.dispose()  # the process stops; a new engine is a new process
    engine = db.new_engine()
    try:
        async with UnitOfWork(session_factory(engine)) as uow:
            saved = await uow.conversations.get(5, 42)
            assert (saved.step, saved.data) == (
                "ask_place",
                {"text": "楼道灯坏了", "photos": ["AgAD1"]},
            )
            await uow.conversations.save(5, 42, "confirm", {"text": "楼道灯坏了"}, T0)
            await uow.commit()
        async with UnitOfWork(session_factory(engine)) as uow:
            assert (await uow.conversations.get(5, 42)).step == "confirm"
            assert await uow.conversations.get(5, 43) is None
            await uow.conversations.clear(5, 42)
            await uow.commit()
        async with UnitOfWork(session_factory(engine)) as uow:
            assert await uow.conversations.get(5, 42) is None
    finally:
        await engine.dispose()
