"""How a report reads to people: places, labels, durations and the promise of the service clock."""

from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from handlers.texts import t
from tickets.community import CommunityConfig
from tickets.labels import Category, Route, Urgency
from tickets.policy import SlaPolicy


def labels(language: str, urgency: Urgency, category: Category) -> str:
    """ "中等 · 电梯"."""
    return (
        f"{t(language, f'urgency.{urgency.value}')} · {t(language, f'category.{category.value}')}"
    )


class Where(Protocol):
    """Anything that says where: a draft, or the report a ticket is filed from."""

    compound: str | None
    building: str | None
    unit: int | None
    room: str | None
    common_area: bool
    location: tuple[float, float] | None


def place(language: str, config: CommunityConfig, where: Where) -> str:
    """ "锦华苑 3栋 2单元 1203", "锦华苑 公共区域", or "(not given yet)"."""
    compound, building, unit, room = where.compound, where.building, where.unit, where.room
    parts = []
    if compound is not None and len(config.compounds) > 1:
        parts.append(config.compound(compound).name)
    if building is not None and compound is not None:
        spec = next((b for b in config.compound(compound).buildings if b.code == building), None)
        parts.append(spec.name if spec else building)
        if unit:
            parts.append(t(language, "place.unit", unit=unit))
        if room:
            parts.append(room)
    elif where.common_area:
        parts.append(t(language, "place.common_area"))
    elif where.location is not None:
        parts.append(t(language, "place.location"))
    return " ".join(parts) or t(language, "place.unknown")


def duration(language: str, span: timedelta) -> str:
    """ "4小时", "15分钟", "2天" / "4 h"; whole units only."""
    minutes = int(span.total_seconds() // 60)
    if minutes > 24 * 60 and minutes % (24 * 60) == 0:  # "24小时", as the compound's rules say
        return t(language, "time.days", n=minutes // (24 * 60))
    if minutes and minutes % 60 == 0:
        return t(language, "time.hours", n=minutes // 60)
    return t(language, "time.minutes", n=minutes)


def moment(language: str, at: datetime, tz: tzinfo) -> str:
    """A deadline in local time: "11月23日 14:30" / "23 Nov 14:30"."""
    local = at.astimezone(tz)
    return t(language, "time.moment", month=local.month, day=local.day, hm=local.strftime("%H:%M"))


def who(language: str, route: Route) -> str:
    """Who answers: 物业 (the property company) or 社区 (the community)."""
    return t(language, f"who.{route.value}")


def promise(language: str, policy: SlaPolicy, urgency: Urgency, route: Route) -> str:
    """What happens next, in plain words: "物业将在4小时内响应，24小时内办结。"."""
    rules = policy.clock(urgency)
    values = {"who": who(language, route), "respond": duration(language, rules.first_response)}
    if rules.needs_commitment:
        return t(language, "promise.difficult", **values)
    text = t(language, "promise.normal", resolve=duration(language, rules.resolution), **values)
    if urgency is Urgency.EMERGENCY:
        text = f"{text}\n{t(language, 'promise.emergency_numbers')}"
    return text


def deadlines(
    language: str, first_response_due: datetime, resolution_due: datetime | None, tz: tzinfo
) -> str:
    """ "响应截止 11月22日 18:30；办结截止 11月23日 14:30"."""
    text = t(language, "deadline.response", at=moment(language, first_response_due, tz))
    if resolution_due is not None:
        text += t(language, "deadline.resolution", at=moment(language, resolution_due, tz))
    return text
