"""Which team owns a request: configured routing, the category's route, 无物业小区."""

import pytest

from tickets.community import CommunityConfig, parse_community
from tickets.labels import Category, Route
from tickets.routing import owner_of, team_for


def config(routing: dict[str, str] | None = None) -> CommunityConfig:
    """JH has two property teams; WY has none (无物业小区); both are covered by the community."""
    return parse_community(
        {
            "name": "测试社区",
            "compounds": [
                {"code": "JH", "name": "锦华苑", "buildings": [{"code": "1", "name": "1栋"}]},
                {"code": "WY", "name": "老院子", "buildings": [{"code": "1", "name": "1栋"}]},
            ],
            "teams": [
                {"code": "jh-property", "name": "物业", "kind": "property", "compounds": ["JH"]},
                {"code": "jh-lifts", "name": "电梯公司", "kind": "property", "compounds": ["JH"]},
                {"code": "grid", "name": "网格员", "kind": "community", "compounds": ["JH", "WY"]},
                {"code": "wy-grid", "name": "网格二", "kind": "community", "compounds": ["WY"]},
            ],
            "routing": routing or {},
        }
    )


@pytest.mark.parametrize("category", list(Category))
def test_default_route_picks_the_first_team_of_that_kind(category):
    team = team_for(config(), "JH", category)
    expected = "jh-property" if category.default_route is Route.PROPERTY else "grid"
    assert team.code == expected
    assert team.kind is category.default_route


def test_configured_routing_wins_when_its_team_covers_the_compound():
    cfg = config({"elevator": "jh-lifts", "parking": "grid"})
    assert team_for(cfg, "JH", Category.ELEVATOR).code == "jh-lifts"
    assert team_for(cfg, "JH", Category.PARKING).code == "grid"  # may cross routes
    assert team_for(cfg, "JH", Category.REPAIR).code == "jh-property"


def test_configured_routing_is_ignored_where_its_team_does_not_cover_the_compound():
    cfg = config({"elevator": "jh-lifts", "neighbor": "wy-grid"})
    assert team_for(cfg, "WY", Category.ELEVATOR).code == "grid"
    assert team_for(cfg, "JH", Category.NEIGHBOR).code == "grid"
    assert team_for(cfg, "WY", Category.NEIGHBOR).code == "wy-grid"


@pytest.mark.parametrize("category", [c for c in Category if c.default_route is Route.PROPERTY])
def test_property_requests_without_a_property_team_go_to_the_community(category):
    team = team_for(config(), "WY", category)
    assert team.code == "grid"  # the first community team covering WY, in config order
    assert team.kind is Route.COMMUNITY


def test_unknown_compound_raises_key_error():
    with pytest.raises(KeyError, match="XX"):
        team_for(config(), "XX", Category.REPAIR)


def owned() -> CommunityConfig:
    """JH: grid G1 (buildings 1, 2) has a grid worker, G2 (3) none, building 4 no grid."""
    return parse_community(
        {
            "name": "测试社区",
            "compounds": [
                {
                    "code": "JH",
                    "name": "锦华苑",
                    "grids": [
                        {"code": "G1", "name": "一网格", "worker": 501},
                        {"code": "G2", "name": "二网格"},
                    ],
                    "buildings": [
                        {"code": "1", "name": "1栋", "grid": "G1"},
                        {"code": "2", "name": "2栋", "grid": "G1"},
                        {"code": "3", "name": "3栋", "grid": "G2"},
                        {"code": "4", "name": "4栋"},
                    ],
                },
            ],
            "teams": [
                {
                    "code": "jh-property",
                    "name": "物业",
                    "kind": "property",
                    "compounds": ["JH"],
                    "owners": [{"handler": 301, "compound": "JH", "buildings": ["1", "3"]}],
                },
                {"code": "jh-lifts", "name": "电梯公司", "kind": "property", "compounds": ["JH"]},
                {
                    "code": "grid",
                    "name": "网格员",
                    "kind": "community",
                    "compounds": ["JH"],
                    "owners": [{"handler": 401, "compound": "JH", "buildings": ["2"]}],
                },
            ],
        }
    )


def team_named(config: CommunityConfig, code: str):
    return next(team for team in config.teams if team.code == code)


def test_a_team_owner_owns_their_buildings():
    cfg = owned()
    assert owner_of(cfg, team_named(cfg, "jh-property"), "JH", "1") == 301
    assert owner_of(cfg, team_named(cfg, "jh-property"), "JH", "3") == 301
    assert owner_of(cfg, team_named(cfg, "grid"), "JH", "2") == 401  # before the grid worker


def test_a_community_team_falls_back_to_the_grid_worker():
    cfg = owned()
    grid = team_named(cfg, "grid")
    assert owner_of(cfg, grid, "JH", "1") == 501
    assert owner_of(cfg, grid, "JH", "3") is None  # G2 has no worker
    assert owner_of(cfg, grid, "JH", "4") is None  # no grid at all


def test_a_property_team_has_no_grid_worker_to_fall_back_on():
    cfg = owned()
    assert owner_of(cfg, team_named(cfg, "jh-lifts"), "JH", "1") is None  # no owners
    assert owner_of(cfg, team_named(cfg, "jh-property"), "JH", "2") is None  # not theirs


@pytest.mark.parametrize("code", ["jh-property", "jh-lifts", "grid"])
def test_no_building_no_owner(code):
    cfg = owned()
    assert owner_of(cfg, team_named(cfg, code), "JH", None) is None
