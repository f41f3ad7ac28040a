"""Urgency, category and route labels, exactly as the triage guide defines them."""

from enum import StrEnum


class Urgency(StrEnum):
    """How soon a request must be handled; ordered from most to least urgent."""

    EMERGENCY = "emergency"
    DIFFICULT = "difficult"
    MEDIUM = "medium"
    GENERAL = "general"

    @property
    def rank(self) -> int:
        """Higher is more urgent, so `max(..., key=rank)` picks the more urgent level."""
        return _URGENCY_RANK[self]


_URGENCY_RANK = {
    Urgency.GENERAL: 0,
    Urgency.MEDIUM: 1,
    Urgency.DIFFICULT: 2,
    Urgency.EMERGENCY: 3,
}


class Route(StrEnum):
    """Who owns a request: the property company or the community."""

    PROPERTY = "property"
    COMMUNITY = "community"


class Category(StrEnum):
    """The fourteen categories of the triage guide."""

    REPAIR = "repair"
    ELEVATOR = "elevator"
    SANITATION = "sanitation"
    SECURITY = "security"
    PARKING = "parking"
    GREENING = "greening"
    UTILITIES = "utilities"
    PROPERTY_SERVICE = "property_service"
    NEIGHBOR = "neighbor"
    ELDERLY_CARE = "elderly_care"
    PUBLIC_SERVICES = "public_services"
    PUBLIC_ORDER = "public_order"
    PROPERTY_OVERSIGHT = "property_oversight"
    COMMUNITY_LIFE = "community_life"

    @property
    def default_route(self) -> Route:
        """The route the triage guide gives this category (configuration may override it)."""
        return CATEGORY_ROUTE[self]


CATEGORY_ROUTE: dict[Category, Route] = {
    Category.REPAIR: Route.PROPERTY,
    Category.ELEVATOR: Route.PROPERTY,
    Category.SANITATION: Route.PROPERTY,
    Category.SECURITY: Route.PROPERTY,
    Category.PARKING: Route.PROPERTY,
    Category.GREENING: Route.PROPERTY,
    Category.UTILITIES: Route.PROPERTY,
    Category.PROPERTY_SERVICE: Route.PROPERTY,
    Category.NEIGHBOR: Route.COMMUNITY,
    Category.ELDERLY_CARE: Route.COMMUNITY,
    Category.PUBLIC_SERVICES: Route.COMMUNITY,
    Category.PUBLIC_ORDER: Route.COMMUNITY,
    Category.PROPERTY_OVERSIGHT: Route.COMMUNITY,
    Category.COMMUNITY_LIFE: Route.COMMUNITY,
}


def ticket_label(compound_code: str, number: int) -> str:
    """The number a resident reads and quotes, e.g. `JH-0042` for compound JH's 42nd ticket."""
    return f"{compound_code}-{number:04d}"


def parse_ticket_label(text: str, compound_code: str) -> int | None:
    """The number in "JH-0042", "jh-42", "#42" or "42" for compound JH; None for another one."""
    words = text.strip().upper().lstrip("#")
    code, dash, number = words.rpartition("-")
    if dash and code != compound_code.upper():
        return None
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None  # "4²" and "٤" are digits to Python, not ticket numbers
    return int(number) or None
