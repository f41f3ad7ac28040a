"""Building blocks for storage contract tests."""

from datetime import UTC, datetime, timedelta

import pytest

from storage.models import Ticket
from storage.uow import UnitOfWork
from tickets.community import CommunityConfig
from tickets.events import EventKind
from tickets.labels import Category, Route, Urgency

T0 = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)  # 09:30 in Chengdu

# Row locks are a PostgreSQL matter (SQLite has a single writer): run such tests there only.
postgres_only = pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


async def seed(uow: UnitOfWork, community: CommunityConfig) -> None:
    """Write the example community in and commit."""
    async with uow:
        await uow.community.sync(community)
        await uow.commit()


async def open_ticket(
    uow: UnitOfWork,
    compound_code: str = "JH",
    resident_telegram_id: int = 1001,
    now: datetime = T0,
    text: str = "5栋一楼的灯坏了好几天了",
    **fields: object,
) -> Ticket:
    """Store a ticket with its 'created' event in one committed transaction."""
    async with uow:
        compound = await uow.community.compound(compound_code)
        assert compound is not None and compound.id is not None
        resident = await uow.people.seen(resident_telegram_id, "张阿姨", now, language="zh-CN")
        assert resident.id is not None
        values: dict[str, object] = {
            "compound_id": compound.id,
            "number": await uow.tickets.next_number(compound.id),
            "reporter_id": resident.id,
            "source_chat_id": resident_telegram_id,
            "text": text,
            "urgency": Urgency.MEDIUM,
            "category": Category.REPAIR,
            "route": Route.PROPERTY,
            "created_at": now,
            "updated_at": now,
            "first_response_due": now + timedelta(hours=4),
            "resolution_due": now + timedelta(hours=24),
        }
        ticket = await uow.tickets.add(Ticket(**{**values, **fields}))
        await uow.tickets.record(ticket, EventKind.CREATED, now, resident.id, {"via": "private"})
        await uow.commit()
        return ticket
