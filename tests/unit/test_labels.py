"""Labels: categories and their routes as the triage guide's table gives them, urgency order."""

import pytest

from tickets.labels import CATEGORY_ROUTE, Category, Route, Urgency, ticket_label

# Written out from /work/shared/triage-guide.md, "Category and route" (not derived from the code).
GUIDE_ROUTES = {
    "repair": "property",
    "elevator": "property",
    "sanitation": "property",
    "security": "property",
    "parking": "property",
    "greening": "property",
    "utilities": "property",
    "property_service": "property",
    "neighbor": "community",
    "elderly_care": "community",
    "public_services": "community",
    "public_order": "community",
    "property_oversight": "community",
    "community_life": "community",
}


def test_categories_are_exactly_the_fourteen_of_the_guide():
    assert len(GUIDE_ROUTES) == 14
    assert {c.value for c in Category} == set(GUIDE_ROUTES)


@pytest.mark.parametrize(("category", "route"), sorted(GUIDE_ROUTES.items()))
def test_default_route_follows_the_guide(category, route):
    assert Category(category).default_route == Route(route)
    assert CATEGORY_ROUTE[Category(category)].value == route


def test_every_category_has_a_route():
    assert set(CATEGORY_ROUTE) == set(Category)
    assert all(isinstance(r, Route) for r in CATEGORY_ROUTE.values())


def test_route_and_urgency_values_are_the_guide_labels():
    assert {r.value for r in Route} == {"property", "community"}
    assert [u.value for u in Urgency] == ["emergency", "difficult", "medium", "general"]


def test_urgency_rank_orders_from_most_to_least_urgent():
    assert (
        Urgency.EMERGENCY.rank > Urgency.DIFFICULT.rank > Urgency.MEDIUM.rank > Urgency.GENERAL.rank
    )
    assert len({u.rank for u in Urgency}) == 4


@pytest.mark.parametrize(
    ("levels", "most_urgent"),
    [
        ([Urgency.GENERAL, Urgency.MEDIUM], Urgency.MEDIUM),
        ([Urgency.MEDIUM, Urgency.DIFFICULT, Urgency.GENERAL], Urgency.DIFFICULT),
        ([Urgency.DIFFICULT, Urgency.EMERGENCY], Urgency.EMERGENCY),
        ([Urgency.GENERAL], Urgency.GENERAL),
    ],
)
def test_max_by_rank_picks_the_more_urgent_level(levels, most_urgent):
    assert max(levels, key=lambda u: u.rank) is most_urgent


def test_sorting_by_rank_gives_the_guide_order():
    shuffled = [Urgency.MEDIUM, Urgency.EMERGENCY, Urgency.GENERAL, Urgency.DIFFICULT]
    ordered = sorted(shuffled, key=lambda u: u.rank, reverse=True)
    assert ordered == [Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.MEDIUM, Urgency.GENERAL]


def test_labels_are_plain_strings():
    assert Urgency("emergency") is Urgency.EMERGENCY
    assert Category("elderly_care") == "elderly_care"
    assert f"{Route.COMMUNITY}" == "community"


@pytest.mark.parametrize(
    ("compound", "number", "label"),
    [
        ("JH", 42, "JH-0042"),
        ("JH", 1, "JH-0001"),
        ("TF", 9999, "TF-9999"),
        ("TF", 12345, "TF-12345"),
    ],
)
def test_ticket_label(compound, number, label):
    assert ticket_label(compound, number) == label
