"""The community configuration is written into the database, and rewriting it is harmless."""

from sqlmodel import select

from storage.models import Building, Grid, Team, TicketCounter
from tests.contract.helpers import seed
from tickets.labels import Route


async def test_sync_writes_compounds_buildings_grids_and_teams(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        compounds = await uow.community.compounds()
        assert [(c.code, c.name) for c in compounds] == [("JH", "锦华苑"), ("TF", "天府花园")]
        jh = compounds[0]
        buildings = await uow.community.buildings(jh.id)
        assert [b.name for b in buildings] == ["1栋", "2栋", "3栋", "5栋"]
        assert [b.units for b in buildings] == [3, 3, 2, 2]
        grids = {g.id: g.code for g in (await uow.session.exec(select(Grid))).all()}
        assert [grids[b.grid_id] for b in buildings] == ["JH-G1", "JH-G1", "JH-G2", "JH-G2"]
        teams = await uow.community.teams_of_compound(jh.id)
        assert {(t.code, t.kind) for t in teams} == {
            ("jh-property", Route.PROPERTY),
            ("grid-workers", Route.COMMUNITY),
        }
        counters = (await uow.session.exec(select(TicketCounter))).all()
        assert sorted(c.last_number for c in counters) == [0, 0]


async def test_sync_twice_changes_nothing_and_keeps_a_bound_team_chat(db, community):
    await seed(db.uow(), community)
    async with db.uow() as uow:
        team = await uow.community.team("jh-property")
        team.chat_id = -1001234567890  # bound later with /bind
        await uow.commit()
    await seed(db.uow(), community)
    async with db.uow() as uow:
        assert (await uow.community.team("jh-property")).chat_id == -1001234567890
        assert len((await uow.session.exec(select(Building))).all()) == 7
        assert len((await uow.session.exec(select(Team))).all()) == 3


async def test_sync_applies_a_renamed_building(db, community):
    await seed(db.uow(), community)
    compound = community.compounds[0]
    renamed = compound.buildings[0].model_copy(update={"name": "1号楼"})
    changed = community.model_copy(
        update={
            "compounds": (
                compound.model_copy(update={"buildings": (renamed, *compound.buildings[1:])}),
                *community.compounds[1:],
            )
        }
    )
    await seed(db.uow(), changed)
    async with db.uow() as uow:
        jh = await uow.community.compound("JH")
        assert (await uow.community.buildings(jh.id))[0].name == "1号楼"
