"""Which team owns a request: configured routing, else the category's route, else the community."""

from tickets.community import CommunityConfig, Team
from tickets.labels import Category, Route


def team_for(config: CommunityConfig, compound_code: str, category: Category) -> Team:
    """The team that owns `category` in this compound; KeyError if no team covers the compound.

    `config.routing` wins when its team covers the compound; otherwise the first team (in config
    order) of the category's default route; a compound with no property team (无物业小区) sends
    property requests to its community team.
    """
    covering = [t for t in config.teams if compound_code in t.compounds]
    configured = {t.code: t for t in covering}.get(config.routing.get(category, ""))
    if configured is not None:
        return configured
    for kind in (category.default_route, Route.COMMUNITY):
        for team in covering:
            if team.kind is kind:
                return team
    raise KeyError(f'no team covers compound "{compound_code}"')


def other_team(config: CommunityConfig, compound_code: str, team_code: str) -> Team | None:
    """The team of the other route in this compound, for a transfer (None if there is none)."""
    kind = next((t.kind for t in config.teams if t.code == team_code), None)
    return next(
        (t for t in config.teams if compound_code in t.compounds and t.kind is not kind), None
    )


def owner_of(
    config: CommunityConfig, team: Team, compound_code: str, building: str | None
) -> int | None:
    """The Telegram id of the handler who owns this building for `team`, if anyone does.

    A handler named among the team's owners comes first; for a community team, the grid worker
    of the building's grid owns it.
    """
    if building is None:
        return None
    for owner in team.owners:
        if owner.compound == compound_code and building in owner.buildings:
            return owner.handler
    if team.kind is not Route.COMMUNITY:
        return None
    compound = config.compound(compound_code)
    grid = next((b.grid for b in compound.buildings if b.code == building), None)
    return next((g.worker for g in compound.grids if g.code == grid), None)
