"""One step up the escalation ladder: who is told, and the note they get with the card."""

from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.report import wording
from handlers.staff import card
from handlers.texts import t
from storage.models import MemberRole, Person, Ticket, TicketEvent
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.policy import EscalationTarget

LEADS = frozenset({MemberRole.LEAD})


async def people_at(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, target: EscalationTarget
) -> list[Person]:
    """The people a rung of the ladder names for this ticket."""
    if target is EscalationTarget.HANDLER:
        person = await uow.people.get(ticket.assignee_id) if ticket.assignee_id else None
        return [person] if person else []
    if target is EscalationTarget.TEAM_LEAD and ticket.team_id is not None:
        return list(await uow.members.with_role(ticket.team_id, LEADS))
    if target is EscalationTarget.COMMUNITY_SUPERVISOR:
        return list(await uow.members.supervisors_of_compound(ticket.compound_id))
    return []


async def escalate(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, reason: str, actor_id: int | None, now: datetime
) -> None:
    """Raise the ticket one rung (at most the top) and tell that rung, with the card."""
    ladder = ctx.community.escalation[ticket.route]
    level = min(ticket.escalation_level + 1, len(ladder) - 1)
    label = await card.label_of(uow, ticket)
    note = t(card.TEAM_LANGUAGE, "staff.escalated", ticket=label, reason=reason)
    await tell_rung(ctx, uow, ticket, level, note, {"reason": reason}, actor_id, now)


async def tell_rung(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    level: int,
    note: str,
    data: dict[str, object],
    actor_id: int | None,
    now: datetime,
) -> TicketEvent:
    """Log the ticket at `level` of its ladder and tell that rung: the note, the card with its
    buttons and the ticket's history; the street office gets the words; the team sees it climb."""
    ladder = ctx.community.escalation[ticket.route]
    ticket.escalation_level = max(ticket.escalation_level, level)
    target = ladder[level].to
    data = {"level": level, "to": target.value, **data}
    event = await uow.tickets.record(ticket, EventKind.ESCALATED, now, actor_id, data)
    drawn = await card.render(ctx, uow, ticket)
    what = f"escalated:{event.id}"
    for person in await people_at(ctx, uow, ticket, target):
        story = await history_lines(ctx, uow, ticket, person.language)
        message = Message(f"{note}\n\n{drawn.text}\n\n{story}"[:4000], drawn.buttons)
        await card.tell_person(uow, person, message, what, ticket, now)
    office = ctx.community.street_office
    if target is EscalationTarget.STREET_OFFICE and office and office.chat_id:
        story = await history_lines(ctx, uow, ticket, card.TEAM_LANGUAGE)
        text = f"{note}\n\n{drawn.text}\n\n{story}"[:4000]
        key = f"office:ticket:{ticket.id}:{what}"
        await uow.outbox.enqueue(
            office.chat_id, Message(text).to_payload(), key, now, ticket_id=ticket.id
        )
    await card.tell_team(uow, ticket, Message(note), what, now)
    return event


async def history_lines(ctx: Context, uow: UnitOfWork, ticket: Ticket, language: str) -> str:
    """The ticket's history for a person up the ladder: when, what, by whom."""
    assert ticket.id is not None
    lines = [t(language, "staff.history")]
    for event in await uow.tickets.history(ticket.id):
        if event.kind == EventKind.REMINDED:
            continue
        actor = await uow.people.get(event.actor_id) if event.actor_id else None
        who = actor.name if actor else t(language, "staff.by_bot")
        at = wording.moment(language, event.at, ctx.tz)
        lines.append(f"• {at} {t(language, f'event.{event.kind}')} · {who}{detail(event.data)}")
    return "\n".join(lines)


def detail(data: dict) -> str:
    """The words an event carries (a reason, a reply, measures), shortened."""
    words = data.get("reason") or data.get("text") or data.get("measures") or data.get("note")
    return f": {str(words)[:80]}" if words else ""
