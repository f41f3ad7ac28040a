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
