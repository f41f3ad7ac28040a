"""Re-triage: a handler changes a ticket's urgency or category; the change is kept for training."""

from datetime import datetime

from handlers.context import Context
from handlers.staff.clock import reclock
from storage.models import Ticket, TriageCorrection
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Category, Urgency
from tickets.routing import team_for


async def _compound_code(uow: UnitOfWork, compound_id: int) -> str:
    """The code of the compound a ticket belongs to."""
    compound = await uow.community.compound_by_id(compound_id)
    if compound is None:
        raise LookupError(f"compound {compound_id} is not in the database; sync the community")
    return compound.code


async def retriage(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    urgency: Urgency,
    category: Category,
    handler_id: int | None,
    now: datetime,
) -> TriageCorrection | None:
    """Relabel, reroute and re-clock a ticket, log it and keep the correction; caller commits."""
    was_urgency, was_category = ticket.urgency, ticket.category
    if (urgency, category) == (was_urgency, was_category):
        return None
    owner = team_for(ctx.community, await _compound_code(uow, ticket.compound_id), category)
    team = await uow.community.team(owner.code)
    if team is not None and team.id != ticket.team_id:
        ticket.team_id = team.id
    ticket.urgency, ticket.category, ticket.route = urgency, category, owner.kind
    await reclock(ctx, uow, ticket, now)
    data = {
        "from": {"urgency": was_urgency.value, "category": was_category.value},
        "to": {"urgency": urgency.value, "category": category.value, "route": owner.kind.value},
        "team": owner.code,
    }
    await uow.tickets.record(ticket, EventKind.RETRIAGED, now, handler_id, data)
    correction = TriageCorrection(
        ticket_id=ticket.id,
        text=ticket.text,
        urgency=urgency,
        category=category,
        route=category.default_route,  # the guide's label; the ticket's route may be overridden
        was_urgency=was_urgency,
        was_category=was_category,
        corrected_by=handler_id,
        corrected_at=now,
    )
    return await uow.corrections.add(correction)
