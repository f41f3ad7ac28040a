"""Compounds, buildings, grids and teams, kept in step with the community configuration."""

from collections.abc import Sequence
from typing import TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Building, Compound, Grid, Team, TeamCompound, TicketCounter
from storage.repositories._sql import insert_unless_exists
from tickets.community import CommunityConfig

Row = TypeVar("Row", Compound, Grid, Building, Team)


class CommunityRepository:
    """Reads the community's places and teams; `sync` writes the configuration into them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._by_id: dict[tuple[type, int], object] = {}  # places and teams read in this unit

    async def _get(self, model: type[Row], row_id: int) -> Row | None:
        """A row by id, read once per unit of work: a sweep draws many cards of the same places
        and teams, and the session keeps rows only while something else holds them."""
        key = (model, row_id)
        if key not in self._by_id:
            row = await self.session.get(model, row_id)
            if row is None:
                return None  # not cached: it may be added later in this unit
            self._by_id[key] = row
        return self._by_id[key]  # type: ignore[return-value]

    async def sync(self, config: CommunityConfig) -> None:
        """Insert or update everything the configuration names; nothing is deleted.

        Rows the file no longer names are kept, because tickets still point at them.
        A team's chat bound with /bind is kept when the file does not set one.
        """
        compound_ids = {}
        for spec in config.compounds:
            compound = await self._upsert(
                Compound,
                {"code": spec.code},
                name=spec.name,
                residents_chat_id=spec.residents_chat_id,
            )
            await insert_unless_exists(
                self.session,
                TicketCounter,
                {"compound_id": compound.id, "last_number": 0},
                ["compound_id"],
            )
            compound_ids[spec.code] = compound.id
            grid_ids = {}
            for grid in spec.grids:
                row = await self._upsert(
                    Grid, {"compound_id": compound.id, "code": grid.code}, name=grid.name
                )
                grid_ids[grid.code] = row.id
            for building in spec.buildings:
                await self._upsert(
                    Building,
                    {"compound_id": compound.id, "code": building.code},
                    name=building.name,
                    units=building.units,
                    grid_id=grid_ids.get(building.grid) if building.grid else None,
                )
        for spec in config.teams:
            values = {"name": spec.name, "kind": spec.kind}
            if spec.chat_id is not None:
                values["chat_id"] = spec.chat_id
            team = await self._upsert(Team, {"code": spec.code}, **values)
            for code in spec.compounds:  # validated: every code names a compound above
                await insert_unless_exists(
                    self.session,
                    TeamCompound,
                    {"team_id": team.id, "compound_id": compound_ids[code]},
                    ["team_id", "compound_id"],
                )
        await self.session.flush()

    async def _upsert(self, model: type[Row], key: dict[str, object], **values: object) -> Row:
        query = select(model).filter_by(**key)
        row = (await self.session.exec(query)).first()
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        await self.session.flush()
        return row

    async def compound(self, code: str) -> Compound | None:
        """A compound by its code."""
        return (await self.session.exec(select(Compound).where(Compound.code == code))).first()

    async def compound_by_id(self, compound_id: int) -> Compound | None:
        """A compound by our id (tickets and people point at compounds by id)."""
        return await self._get(Compound, compound_id)

    async def compounds(self) -> Sequence[Compound]:
        """All compounds, by code."""
        return (await self.session.exec(select(Compound).order_by(col(Compound.code)))).all()

    async def buildings(self, compound_id: int) -> Sequence[Building]:
        """A compound's buildings in the order residents expect (by code, numbers first)."""
        query = select(Building).where(Building.compound_id == compound_id)
        rows = (await self.session.exec(query)).all()
        return sorted(rows, key=lambda b: (len(b.code), b.code))

    async def compound_of_chat(self, chat_id: int) -> Compound | None:
        """The compound whose residents' group is this chat, to know where a group report is."""
        query = (
            select(Compound)
            .where(Compound.residents_chat_id == chat_id)
            .order_by(col(Compound.code))
        )
        return (await self.session.exec(query)).first()

    async def building(self, compound_id: int, code: str) -> Building | None:
        """A compound's building by its code."""
        query = select(Building).where(Building.compound_id == compound_id, Building.code == code)
        return (await self.session.exec(query)).first()

    async def building_by_id(self, building_id: int) -> Building | None:
        """A building by our id (tickets point at buildings by id)."""
        return await self._get(Building, building_id)

    async def team_by_id(self, team_id: int) -> Team | None:
        """A team by our id (tickets point at teams by id)."""
        return await self._get(Team, team_id)

    async def teams(self) -> Sequence[Team]:
        """All teams, by code."""
        return (await self.session.exec(select(Team).order_by(col(Team.code)))).all()

    async def team(self, code: str) -> Team | None:
        """A team by its code."""
        return (await self.session.exec(select(Team).where(Team.code == code))).first()

    async def teams_of_compound(self, compound_id: int) -> Sequence[Team]:
        """Every team that covers a compound."""
        query = (
            select(Team)
            .join(TeamCompound, col(TeamCompound.team_id) == col(Team.id))
            .where(TeamCompound.compound_id == compound_id)
            .order_by(col(Team.code))
        )
        return (await self.session.exec(query)).all()
