"""One step up the escalation ladder: who is told, and the note they get with the card."""

from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.staff import card
from handlers.texts import t
from storage.models import MemberRole, Person, Ticket
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
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    ladder = ctx.community.escalation[team.kind if team else ticket.route]
    level = min(ticket.escalation_level + 1, len(ladder) - 1)
    ticket.escalation_level = level
    target = ladder[level].to
    data = {"level": level, "to": target.value, "reason": reason}
    event = await uow.tickets.record(ticket, EventKind.ESCALATED, now, actor_id, data)
    label = await card.label_of(uow, ticket)
    note = t(card.TEAM_LANGUAGE, "staff.escalated", ticket=label, reason=reason)
    drawn = await card.render(ctx, uow, ticket)
    message = Message(f"{note}\n\n{drawn.text}", drawn.buttons)
    what = f"escalated:{event.id}"
    for person in await people_at(ctx, uow, ticket, target):
        await card.tell_person(uow, person, message, what, ticket, now)
    office = ctx.community.street_office
    if target is EscalationTarget.STREET_OFFICE and office and office.chat_id:
        key = f"office:ticket:{ticket.id}:{what}"
        await uow.outbox.enqueue(
            office.chat_id, Message(message.text).to_payload(), key, now, ticket_id=ticket.id
        )
    await card.tell_team(uow, ticket, Message(note), what, now)  # the team sees it climb
