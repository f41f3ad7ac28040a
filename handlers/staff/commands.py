"""Commands for handlers: /queue (the team's open tickets, overdue first), /mine (assigned to
me), /ticket N (its history and card), /find (by building or words)."""

from collections.abc import Sequence
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import Incoming
from handlers.people import seen
from handlers.report import questions, wording
from handlers.staff import card
from handlers.staff.auth import is_admin, is_staff, may_handle
from handlers.staff.escalate import history_lines
from handlers.texts import t
from storage.models import Person, Team, Ticket
from storage.uow import UnitOfWork
from tickets.labels import parse_ticket_label

LIMIT = 20  # tickets per list; the rest are counted


async def _teams(ctx: Context, uow: UnitOfWork, person: Person, incoming: Incoming) -> list[Team]:
    """The teams a list is about: this chat's team in a team chat, else the person's teams."""
    if not incoming.is_private:
        team = await uow.members.team_of_chat(incoming.chat_id)
        return [team] if team is not None else []
    if is_admin(ctx, person):
        return [team for team in await uow.community.teams()]
    assert person.id is not None
    return [team for team, _ in await uow.members.teams_of(person.id)]


async def _line(ctx: Context, uow: UnitOfWork, ticket: Ticket, language: str, now: datetime) -> str:
    """One ticket in a list: number, level, category, place, status, age, overdue mark."""
    label = await card.label_of(uow, ticket)
    late = ticket.next_remind_at is not None and _due(ticket) is not None and _due(ticket) < now
    age = wording.duration(language, max(now - ticket.created_at, now - now))
    place = await card.place_of(ctx, uow, ticket, language)
    status = t(language, f"card.status.{ticket.status.value}")
    mark = "⏰ " if late else ""
    labels = wording.labels(language, ticket.urgency, ticket.category)
    return f"{mark}{label} · {labels} · {place} · {status} · {age}"


def _due(ticket: Ticket) -> datetime | None:
    """The deadline being chased now."""
    return ticket.resolution_due if ticket.first_responded_at else ticket.first_response_due


async def _list(ctx, uow, person, tickets: Sequence[Ticket], title: str, now: datetime) -> Message:
    """Lines and a button per ticket to open its card."""
    language = person.language
    if not tickets:
        return Message(t(language, "staff.list_empty", title=title))
    lines, buttons = [title], []
    for ticket in tickets[:LIMIT]:
        lines.append(await _line(ctx, uow, ticket, language, now))
        buttons.append(Button(await card.label_of(uow, ticket), f"hq:{ticket.id}"))
    if len(tickets) > LIMIT:
        lines.append(t(language, "staff.list_more", count=len(tickets) - LIMIT))
    return Message("\n".join(lines), buttons=questions.rows(buttons, 4))


def overdue_first(tickets: Sequence[Ticket], now: datetime) -> list[Ticket]:
    """Overdue tickets first (the longest overdue on top), then by deadline."""
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(tickets, key=lambda x: (not ((_due(x) or far) < now), _due(x) or far, x.id))


async def _staff_only(ctx: Context, incoming: Incoming, build) -> None:
    """Run a listing for staff; anyone else is told it is for handlers."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        if await is_staff(ctx, uow, person):
            reply = await build(uow, person, now)
        else:
            reply = Message(t(person.language, "staff.only_staff"))
        await uow.commit()
    await ctx.chat.send(
        incoming.chat_id, Message(reply.text, reply.buttons, thread_id=incoming.thread_id)
    )


async def queue(ctx: Context, incoming: Incoming) -> None:
    """/queue: the open tickets of the team (or my teams), overdue first."""

    async def build(uow, person, now):
        tickets: list[Ticket] = []
        for team in await _teams(ctx, uow, person, incoming):
            assert team.id is not None
            tickets += await uow.tickets.open_of_team(team.id)
        title = t(person.language, "staff.queue_title", count=len(tickets))
        return await _list(ctx, uow, person, overdue_first(tickets, now), title, now)

    await _staff_only(ctx, incoming, build)


async def mine(ctx: Context, incoming: Incoming) -> None:
    """/mine: the open tickets assigned to me."""

    async def build(uow, person, now):
        tickets = await uow.tickets.open_of_assignee(person.id)
        title = t(person.language, "staff.mine_title", count=len(tickets))
        return await _list(ctx, uow, person, overdue_first(tickets, now), title, now)

    await _staff_only(ctx, incoming, build)


async def find(ctx: Context, incoming: Incoming) -> None:
    """/find 3栋 or /find 漏水: tickets of my teams in that building, or with those words."""

    async def build(uow, person, now):
        words = incoming.argument.strip()
        if not words:
            return Message(t(person.language, "staff.find_how"))
        teams = [team.id for team in await _teams(ctx, uow, person, incoming)]
        tickets = await uow.tickets.find(teams, words.rstrip("栋幢号楼"), words, LIMIT + 1)
        title = t(person.language, "staff.find_title", words=words)
        return await _list(ctx, uow, person, tickets, title, now)

    await _staff_only(ctx, incoming, build)


async def ticket(ctx: Context, incoming: Incoming) -> None:
    """/ticket JH-0042: the card (with its buttons) and the ticket's history."""

    async def build(uow, person, now):
        found = await _named(uow, person, incoming.argument)
        if found is None or not await may_handle(ctx, uow, person, found):
            return Message(
                t(person.language, "staff.no_such_ticket", words=incoming.argument or "-")
            )
        return await history(ctx, uow, person, found)

    await _staff_only(ctx, incoming, build)


async def opened(ctx: Context, incoming: Incoming, value: str) -> None:
    """A list's button ("hq:<ticket id>"): the ticket's card and history, for those allowed."""
    now = ctx.now()
    async with ctx.uow() as uow:
        person = await seen(uow, incoming, now)
        found = await uow.tickets.get(int(value)) if value.isdigit() else None
        allowed = found is not None and await may_handle(ctx, uow, person, found)
        reply = await history(ctx, uow, person, found) if allowed else None
        await uow.commit()
    assert incoming.callback_id is not None
    await ctx.chat.answer(
        incoming.callback_id, None if allowed else t(person.language, "staff.not_allowed")
    )
    if reply is not None:
        await ctx.chat.send(
            incoming.chat_id, Message(reply.text, reply.buttons, thread_id=incoming.thread_id)
        )


async def history(ctx: Context, uow: UnitOfWork, person: Person, ticket: Ticket) -> Message:
    """The card followed by every event, with who did it."""
    drawn = await card.render(ctx, uow, ticket)
    story = await history_lines(ctx, uow, ticket, person.language)
    return Message(f"{drawn.text}\n\n{story}"[:4000], buttons=drawn.buttons)


async def _named(uow: UnitOfWork, person: Person, words: str) -> Ticket | None:
    """The ticket a handler names: "JH-0042" (any compound), or "42" if it is unambiguous."""
    words = words.strip()
    for compound in await uow.community.compounds():
        assert compound.id is not None
        number = parse_ticket_label(words, compound.code)
        if number is not None and ("-" in words or len(await uow.community.compounds()) == 1):
            return await uow.tickets.by_number(compound.id, number)
    return None
