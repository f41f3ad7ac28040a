"""Building blocks for the handlers' side of tickets, run through the real use cases on both
databases: a Context with a recording fake chat and a clock a test moves, the example community
(edited per test), people in teams, tickets filed as residents file them, and what was queued."""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import col, select

from handlers.context import Context
from handlers.report.filing import Report, file_ticket
from storage.models import MemberRole, Outbox, Ticket, TicketCard, TicketEvent
from storage.uow import UnitOfWork
from tests.contract.helpers import T0
from tests.delivery.fakes import FakeChat
from tickets.community import CommunityConfig, parse_community

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
RESIDENT = 1001  # Telegram id of the resident who reports
CHATS = {
    "jh-property": -1002000000001,
    "grid-workers": -1002000000002,
    "tf-property": -1002000000003,
}


class Clock:
    """A frozen clock the test moves: `ctx.now()` reads it."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> datetime:
        self.at = at
        return at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


def example_data() -> dict[str, Any]:
    """community.example.yaml as loaded YAML, fresh each time so a test may edit it."""
    return yaml.safe_load((ROOT / "community.example.yaml").read_text("utf-8"))


def team_data(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The raw data of one team, to edit before parsing."""
    return next(t for t in data["teams"] if t["code"] == code)


def grid_data(data: dict[str, Any], compound: str, grid: str) -> dict[str, Any]:
    """The raw data of one grid, to edit before parsing."""
    found = next(c for c in data["compounds"] if c["code"] == compound)
    return next(g for g in found["grids"] if g["code"] == grid)


def community_with(
    edit: Callable[[dict[str, Any]], None] | None = None, chats: bool = True
) -> CommunityConfig:
    """The example community, teams' chats set (unless `chats` is False), edited, then parsed."""
    data = copy.deepcopy(example_data())
    if chats:
        for code, chat_id in CHATS.items():
            team_data(data, code)["chat_id"] = chat_id
    if edit is not None:
        edit(data)
    return parse_community(data)


@dataclass
class Env:
    """One test's world: the database, the context handlers get, its chat and clock."""

    db: Any
    ctx: Context
    chat: FakeChat
    clock: Clock
    community: CommunityConfig

    def uow(self) -> UnitOfWork:
        return self.db.uow()


async def make_env(db: Any, community: CommunityConfig | None = None) -> Env:
    """Sync the community into the database and build the Context around it."""
    community = community or community_with()
    async with db.uow() as uow:
        await uow.community.sync(community)
        await uow.commit()
    chat, clock = FakeChat(), Clock()
    ctx = Context(chat, db.uow, clock, community, TZ, admins=frozenset())
    return Env(db, ctx, chat, clock, community)


async def person(
    env: Env,
    telegram_id: int,
    name: str,
    team: str | None = None,
    role: MemberRole = MemberRole.HANDLER,
    started: bool = True,
) -> int:
    """A person (a member of `team` in `role`, if given) who has opened the bot, unless not."""
    async with env.uow() as uow:
        found = await uow.people.seen(telegram_id, name, T0, language="zh-CN")
        if started:
            found.started_at = T0
        if team is not None:
            row = await uow.community.team(team)
            assert row is not None and row.id is not None and found.id is not None
            await uow.members.join(row.id, found.id, role, T0)
        await uow.commit()
        assert found.id is not None
        return found.id


async def team_id(env: Env, code: str) -> int:
    async with env.uow() as uow:
        team = await uow.community.team(code)
        assert team is not None and team.id is not None
        return team.id


async def file(
    env: Env,
    text: str = "5栋一楼的灯坏了好几天了",
    building: str | None = "5",
    compound: str = "JH",
    reporter: int = RESIDENT,
    category: str | None = None,
    at: datetime | None = None,
) -> Ticket:
    """A resident (who has opened the bot) files a report; committed."""
    now = at or env.clock()
    async with env.uow() as uow:
        resident = await uow.people.seen(reporter, "张阿姨", now, language="zh-CN")
        resident.started_at = resident.started_at or now
        report = Report(
            compound=compound,
            text=text,
            files=(),
            source_chat_id=reporter,
            source_message_id=None,
            source="private",
            building=building,
            category=category,
        )
        ticket = await file_ticket(env.ctx, uow, resident, report, now)
        await uow.commit()
        return ticket


async def ticket(env: Env, ticket_id: int) -> Ticket:
    """The ticket as it is stored now."""
    async with env.uow() as uow:
        found = await uow.tickets.get(ticket_id)
        assert found is not None
        uow.session.expunge_all()
        return found


async def events(env: Env, ticket_id: int) -> list[TicketEvent]:
    """The ticket's audit log, in order."""
    async with env.uow() as uow:
        found = list(await uow.tickets.history(ticket_id))
        uow.session.expunge_all()
        return found


async def kinds(env: Env, ticket_id: int) -> list[str]:
    return [e.kind for e in await events(env, ticket_id)]


async def outbox(env: Env, chat_id: int | None = None) -> list[Outbox]:
    """Every queued row (of one chat, if given), in the order queued."""
    async with env.uow() as uow:
        query = select(Outbox).order_by(col(Outbox.id))
        if chat_id is not None:
            query = query.where(Outbox.chat_id == chat_id)
        rows = list((await uow.session.exec(query)).all())
        uow.session.expunge_all()
        return rows


async def cards(env: Env, ticket_id: int) -> list[TicketCard]:
    """A ticket's cards, oldest first."""
    async with env.uow() as uow:
        rows = list(await uow.cards.of_ticket(ticket_id))
        uow.session.expunge_all()
        return rows


def private_key(person_id: int, ticket_id: int, what: str) -> str:
    """The dedupe key of a private note about a ticket (handlers.staff.card.tell_person)."""
    return f"person:{person_id}:ticket:{ticket_id}:{what}"


async def act(env: Env, ticket_id: int, move: Callable[..., Any], person_id: int, *rest: Any):
    """Run `move(ctx, uow, ticket, person, *rest)` in a unit of work of its own (the ticket
    locked, as a button press does) and commit; the move's notice back."""
    async with env.uow() as uow:
        found = await uow.tickets.get(ticket_id, for_update=True)
        who = await uow.people.get(person_id)
        assert found is not None and who is not None
        result = await move(env.ctx, uow, found, who, *rest)
        await uow.commit()
        return result
