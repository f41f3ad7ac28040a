"""Teams' members, one-time invites and bound chats, on SQLite and PostgreSQL."""

import asyncio
from datetime import timedelta

from storage.models import Invite, MemberRole
from storage.uow import UnitOfWork
from tests.contract.helpers import T0, postgres_only, seed


async def person(uow: UnitOfWork, telegram_id: int, name: str) -> int:
    """A person's id (created on first sight)."""
    found = await uow.people.seen(telegram_id, name, T0)
    assert found.id is not None
    return found.id


async def team_id(uow: UnitOfWork, code: str) -> int:
    team = await uow.community.team(code)
    assert team is not None and team.id is not None
    return team.id


async def make_invite(db, token: str, role: MemberRole = MemberRole.LEAD) -> None:
    """An invite to jh-property made by an administrator at T0, good for two days."""
    async with db.uow() as uow:
        admin = await person(uow, 1, "管理员")
        await uow.members.invite(
            Invite(
                token=token,
                team_id=await team_id(uow, "jh-property"),
                role=role,
                created_by=admin,
                created_at=T0,
                expires_at=T0 + timedelta(days=2),
            )
        )
        await uow.commit()


async def test_join_change_role_and_leave(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        team, wang = await team_id(uow, "jh-property"), await person(uow, 10, "王师傅")
        assert await uow.members.join(team, wang, MemberRole.HANDLER, T0)
        await uow.commit()
    async with db.uow() as uow:
        assert (await uow.members.membership(wang, team)).role is MemberRole.HANDLER
        assert not await uow.members.join(team, wang, MemberRole.LEAD, T0 + timedelta(hours=1))
        await uow.commit()
    async with db.uow() as uow:
        membership = await uow.members.membership(wang, team)
        assert (membership.role, membership.created_at) == (MemberRole.LEAD, T0)
        [(found, _)] = await uow.members.teams_of(wang)
        assert found.code == "jh-property"
        assert await uow.members.leave(team, wang)
        assert not await uow.members.leave(team, wang)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.members.membership(wang, team) is None
        assert await uow.members.teams_of(wang) == []


async def test_members_come_leads_first_then_supervisors_then_handlers(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        team = await team_id(uow, "grid-workers")
        for telegram_id, name, role in [
            (11, "Bob", MemberRole.HANDLER),
            (12, "白姐", MemberRole.SUPERVISOR),
            (13, "陈主任", MemberRole.LEAD),
            (14, "Ann", MemberRole.HANDLER),
        ]:
            await uow.members.join(team, await person(uow, telegram_id, name), role, T0)
        await uow.commit()
    async with db.uow() as uow:
        members = await uow.members.members(team)
        assert [(p.name, m.role.value) for p, m in members] == [
            ("陈主任", "lead"),
            ("白姐", "supervisor"),
            ("Ann", "handler"),
            ("Bob", "handler"),
        ]
        leads = await uow.members.with_role(team, frozenset({MemberRole.LEAD}))
        assert [p.name for p in leads] == ["陈主任"]
        assert [t.code for t in await uow.community.teams()] == [
            "grid-workers",
            "jh-property",
            "tf-property",
        ]


async def test_an_invite_is_taken_once(db, community):
    await seed(db.uow(), community)
    await make_invite(db, "once")
    async with db.uow() as uow:
        first = await person(uow, 20, "刘姐")
        taken = await uow.members.use_invite("once", first, T0 + timedelta(hours=1))
        assert taken is not None and taken.role is MemberRole.LEAD
        assert (taken.used_by, taken.used_at) == (first, T0 + timedelta(hours=1))
        await uow.commit()
    async with db.uow() as uow:
        second = await person(uow, 21, "另一个人")
        assert await uow.members.use_invite("once", second, T0 + timedelta(hours=2)) is None
        assert await uow.members.use_invite("once", first, T0 + timedelta(hours=2)) is None
        kept = await uow.members.invite_by_token("once")
        assert kept is not None and kept.used_by == first


async def test_an_expired_or_unknown_invite_cannot_be_used(db, community):
    await seed(db.uow(), community)
    await make_invite(db, "late")
    async with db.uow() as uow:
        someone = await person(uow, 22, "迟到的人")
        assert await uow.members.use_invite("late", someone, T0 + timedelta(days=2)) is None
        assert await uow.members.use_invite("nope", someone, T0) is None
        assert await uow.members.invite_by_token("nope") is None
        expired = await uow.members.invite_by_token("late")
        assert expired is not None and expired.used_at is None
        assert expired.expires_at == T0 + timedelta(days=2)
        await uow.commit()
    async with db.uow() as uow:  # a moment before it runs out, it still works
        just = T0 + timedelta(days=2) - timedelta(seconds=1)
        assert await uow.members.use_invite("late", someone, just) is not None


@postgres_only
async def test_two_people_opening_one_invite_at_once_only_one_gets_it(db, community):
    await seed(db.uow(), community)
    await make_invite(db, "race")
    async with db.uow() as uow:
        ids = [await person(uow, 30 + n, f"人{n}") for n in range(2)]
        await uow.commit()

    async def take(person_id: int) -> Invite | None:
        async with db.uow() as uow:
            taken = await uow.members.use_invite("race", person_id, T0)
            await asyncio.sleep(0.1)  # hold the row while the other one tries
            await uow.commit()
            return taken

    results = await asyncio.gather(*(take(i) for i in ids))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    async with db.uow() as uow:
        kept = await uow.members.invite_by_token("race")
        assert kept is not None and kept.used_by == winners[0].used_by


async def test_binding_a_chat_moves_it_from_one_team_to_another(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        property_team = await uow.community.team("jh-property")
        await uow.members.bind(property_team, -100123, forum=True)
        await uow.commit()
    async with db.uow() as uow:
        bound = await uow.members.team_of_chat(-100123)
        assert (bound.code, bound.forum) == ("jh-property", True)
        grid = await uow.community.team("grid-workers")
        await uow.members.bind(grid, -100123, forum=False)
        await uow.commit()
    async with db.uow() as uow:
        assert (await uow.members.team_of_chat(-100123)).code == "grid-workers"
        assert (await uow.community.team("jh-property")).chat_id is None
        grid = await uow.community.team("grid-workers")
        assert (grid.chat_id, grid.forum) == (-100123, False)
        await uow.members.bind(grid, -100456, forum=False)  # a team has one chat
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.members.team_of_chat(-100123) is None
        assert (await uow.members.team_of_chat(-100456)).code == "grid-workers"


async def test_supervisors_of_a_compound(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        grid, jh = await team_id(uow, "grid-workers"), await team_id(uow, "jh-property")
        both = await person(uow, 40, "两边督办")  # supervises through both teams
        jh_only = await person(uow, 41, "物业督办")
        handler = await person(uow, 42, "处理人")
        await uow.members.join(grid, both, MemberRole.SUPERVISOR, T0)
        await uow.members.join(jh, both, MemberRole.SUPERVISOR, T0)
        await uow.members.join(jh, jh_only, MemberRole.SUPERVISOR, T0)
        await uow.members.join(jh, handler, MemberRole.HANDLER, T0)
        await uow.commit()
    async with db.uow() as uow:
        jh_compound = await uow.community.compound("JH")
        tf_compound = await uow.community.compound("TF")
        assert await uow.members.supervises(both, tf_compound.id)
        assert await uow.members.supervises(jh_only, jh_compound.id)
        assert not await uow.members.supervises(jh_only, tf_compound.id)
        assert not await uow.members.supervises(handler, jh_compound.id)
        on_jh = await uow.members.supervisors_of_compound(jh_compound.id)
        assert [p.id for p in on_jh] == [both, jh_only]
        on_tf = await uow.members.supervisors_of_compound(tf_compound.id)
        assert [p.id for p in on_tf] == [both]
