"""A ticket's card in its team's chat: drawn from the database, posted once, edited as it moves."""

from dataclasses import dataclass
from datetime import datetime

from handlers.chat import Button, Keyboard, Message
from handlers.context import Context
from handlers.report import wording
from handlers.texts import t
from storage.models import AttachmentStage, Person, Team, Ticket, TicketCard
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Urgency, ticket_label
from tickets.lifecycle import Status, is_open

TEAM_LANGUAGE = "zh-CN"  # team chats read Chinese; a resident's language is per person
STATUS_MARK = {Status.NEW: "🆕", Status.RESOLVED: "✅", Status.CLOSED: "✔", Status.REOPENED: "↩"}
CARD_LIMIT = 1024  # a card with a photo is that photo's caption, which Telegram caps at 1024
REASON_LIMIT = 200  # of a transfer's reason, on the card
URGENCY_MARK = {Urgency.EMERGENCY: "🚨", Urgency.DIFFICULT: "🟠", Urgency.MEDIUM: "🟡"}


@dataclass(frozen=True)
class Place:
    """A ticket's place in the shape `wording.place` reads."""

    compound: str | None
    building: str | None
    unit: int | None
    room: str | None
    common_area: bool
    location: tuple[float, float] | None


async def label_of(uow: UnitOfWork, ticket: Ticket) -> str:
    """The number people quote, e.g. JH-0042."""
    compound = await uow.community.compound_by_id(ticket.compound_id)
    return ticket_label(compound.code if compound else "?", ticket.number)


async def place_of(ctx: Context, uow: UnitOfWork, ticket: Ticket, language: str) -> str:
    """Where the ticket is, in words."""
    compound = await uow.community.compound_by_id(ticket.compound_id)
    building = None
    if ticket.building_id is not None:
        row = await uow.community.building_by_id(ticket.building_id)
        building = row.code if row else None
    location = None
    if ticket.latitude is not None and ticket.longitude is not None:
        location = (ticket.latitude, ticket.longitude)
    where = Place(
        compound.code if compound else None,
        building,
        int(ticket.unit) if ticket.unit and ticket.unit.isdigit() else None,
        ticket.room,
        ticket.place_note == "common_area",
        location,
    )
    return wording.place(language, ctx.community, where)


def data(action: str, ticket: Ticket, value: str = "") -> str:
    """Callback data of a card button: an action and the ticket's id, nothing else trusted."""
    return f"h:{action}:{ticket.id}" + (f":{value}" if value else "")


def buttons(ticket: Ticket) -> Keyboard:
    """The buttons the ticket's status allows (none once it is resolved or final)."""
    if not is_open(ticket.status):
        return ()
    language, rows = TEAM_LANGUAGE, []
    first = []
    if ticket.status in (Status.NEW, Status.REOPENED) or ticket.assignee_id is None:
        first.append(Button(t(language, "card.take"), data("take", ticket)))
    if ticket.urgency is Urgency.DIFFICULT:
        first.append(Button(t(language, "card.contacted"), data("ct", ticket)))
    first.append(Button(t(language, "card.reply"), data("rp", ticket)))
    rows.append(tuple(first))
    rows.append(
        (
            Button(t(language, "card.transfer"), data("tr", ticket)),
            Button(t(language, "card.retriage"), data("rt", ticket)),
            Button(t(language, "card.reject"), data("rj", ticket)),
        )
    )
    rows.append((Button(t(language, "card.resolve"), data("rs", ticket)),))
    return tuple(rows)


async def text(ctx: Context, uow: UnitOfWork, ticket: Ticket) -> str:
    """The card's words: number, labels, place, the resident's words, deadlines, status, who."""
    language = TEAM_LANGUAGE
    mark = URGENCY_MARK.get(ticket.urgency, "") or STATUS_MARK.get(ticket.status, "")
    labels = wording.labels(language, ticket.urgency, ticket.category)
    lines = [
        f"{mark} {await label_of(uow, ticket)} · {labels}".strip(),
        t(language, "team.place", place=await place_of(ctx, uow, ticket, language)),
    ]
    reporter = await uow.people.get(ticket.reporter_id)
    if reporter is not None and reporter.phone:
        lines.append(t(language, "card.phone", phone=reporter.phone))
    if is_open(ticket.status) and ticket.first_response_due is not None:
        lines.append(
            wording.deadlines(language, ticket.first_response_due, ticket.resolution_due, ctx.tz)
        )
    lines += await _transfers(uow, ticket, language)
    status = t(language, f"card.status.{ticket.status.value}")
    assignee = await uow.people.get(ticket.assignee_id) if ticket.assignee_id else None
    who = assignee.name if assignee else t(language, "card.nobody")
    lines.append(t(language, "card.state", status=status, who=who))
    if ticket.satisfaction is not None:
        lines.append(
            t(language, "card.verdict", verdict=t(language, f"verdict.{ticket.satisfaction.value}"))
        )
    room = CARD_LIMIT - units("\n".join(lines)) - units(t(language, "team.text", text="")) - 1
    words = shorten(ticket.text or t(language, "team.no_text"), room)
    lines.insert(2, t(language, "team.text", text=words))
    return "\n".join(lines)


def units(text: str) -> int:
    """Telegram's length of a text: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """The text, cut with "…" to at most `limit` UTF-16 units (the whole text is in /ticket)."""
    if units(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    while units(cut) > limit - 1:
        cut = cut[:-1]
    return cut + "…"


async def _transfers(uow: UnitOfWork, ticket: Ticket, language: str) -> list[str]:
    """The last transfer, if the ticket came from another team: from whom, and why."""
    assert ticket.id is not None
    moves = [e for e in await uow.tickets.history(ticket.id) if e.kind == EventKind.TRANSFERRED]
    if not moves:
        return []
    source = await uow.community.team(str(moves[-1].data.get("from", "")))
    name = source.name if source else str(moves[-1].data.get("from", "?"))
    return [
        t(language, "card.transferred_from", team=name, reason=moves[-1].data.get("reason", ""))
    ]


async def photos(uow: UnitOfWork, ticket: Ticket) -> tuple[str, ...]:
    """The resident's photos of the problem, to post with the card."""
    assert ticket.id is not None
    return tuple(
        a.file_id
        for a in await uow.tickets.attachments(ticket.id)
        if a.kind.value == "photo" and a.stage is AttachmentStage.BEFORE
    )[:10]


async def render(ctx: Context, uow: UnitOfWork, ticket: Ticket) -> Message:
    """The whole card, without photos (they go with the first post only)."""
    return Message(await text(ctx, uow, ticket), buttons=buttons(ticket))


async def post(ctx: Context, uow: UnitOfWork, ticket: Ticket, team: Team, now: datetime) -> None:
    """Queue the ticket's card to the team's chat (a topic of its own in a forum) and keep it."""
    if team.chat_id is None or team.id is None or ticket.id is None:
        return  # no chat bound yet: the ticket waits in the team's /queue
    previous = await uow.cards.of_ticket(ticket.id)
    key = f"card:{ticket.id}:{team.id}:{len(previous)}"
    card = await render(ctx, uow, ticket)
    pictures = await photos(uow, ticket)
    payload = Message(card.text, card.buttons, photos=pictures).to_payload()
    if team.forum:
        label = await label_of(uow, ticket)
        payload["topic"] = f"{label} {t(TEAM_LANGUAGE, f'category.{ticket.category.value}')}"
    await uow.outbox.enqueue(team.chat_id, payload, key, now, ticket_id=ticket.id)
    await uow.cards.add(
        TicketCard(
            ticket_id=ticket.id,
            team_id=team.id,
            chat_id=team.chat_id,
            outbox_key=key,
            created_at=now,
        )
    )


async def refresh(ctx: Context, uow: UnitOfWork, ticket: Ticket, cause: str, now: datetime) -> None:
    """Edit the ticket's cards in place: the current one shows the truth, old ones say "moved"."""
    assert ticket.id is not None
    drawn = await render(ctx, uow, ticket)
    latest = await uow.cards.latest(ticket.id, ticket.team_id) if ticket.team_id else None
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    moved = t(TEAM_LANGUAGE, "card.moved", team=team.name if team else "?")
    for card in await uow.cards.of_ticket(ticket.id):
        if card.retired_at is not None:
            continue
        current = latest is not None and card.id == latest.id
        message = drawn if current else Message(f"{drawn.text}\n\n{moved}")
        if not current:
            card.retired_at = now  # told once where the ticket went; not edited again
        payload = message.to_payload() | {"edit_of": card.outbox_key}
        key = f"{card.outbox_key}:edit:{cause}"
        await uow.outbox.enqueue(card.chat_id, payload, key, now, ticket_id=ticket.id)


async def tell_team(
    uow: UnitOfWork, ticket: Ticket, message: Message, what: str, now: datetime
) -> None:
    """Queue a message about a ticket under its card in its team's chat, once per (ticket, what).

    In a forum it goes into the ticket's topic; otherwise it answers the card.
    """
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    if team is None or team.chat_id is None or ticket.id is None:
        return  # no chat bound yet: the team sees the ticket in its queue once it binds one
    payload = message.to_payload()
    card = await uow.cards.latest(ticket.id, team.id)
    if card is not None and card.chat_id == team.chat_id:
        payload["thread_of" if team.forum else "reply_of"] = card.outbox_key
    key = f"team:{team.id}:ticket:{ticket.id}:{what}"
    await uow.outbox.enqueue(team.chat_id, payload, key, now, ticket_id=ticket.id)


async def tell_person(
    uow: UnitOfWork, person: Person, message: Message, what: str, ticket: Ticket, now: datetime
) -> None:
    """Queue a private message about a ticket to a handler or resident, if they started the bot."""
    if person.started_at is None:
        return  # Telegram refuses: they never opened a chat with the bot
    key = f"person:{person.id}:ticket:{ticket.id}:{what}"
    await uow.outbox.enqueue(
        person.telegram_id, message.to_payload(), key, now, ticket_id=ticket.id
    )
