"""What handlers do to a ticket: each move checks the lifecycle, logs an event, re-clocks the
ticket, redraws its cards and tells the resident; the caller commits. Each returns the notice
for the person who acted (a catalog key and its values)."""

from collections.abc import Sequence
from datetime import datetime

from handlers.chat import Button, Message
from handlers.context import Context
from handlers.incoming import File, FileKind
from handlers.staff import card
from handlers.staff.clock import reclock
from handlers.staff.notify import tell_reporter, tell_residents
from handlers.texts import t
from storage.models import (
    Attachment,
    AttachmentKind,
    AttachmentStage,
    MemberRole,
    Person,
    Team,
    Ticket,
    TicketEvent,
)
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Urgency
from tickets.lifecycle import Action, Status, is_open, next_status
from tickets.routing import other_team, owner_of

Notice = tuple[str, dict[str, object]]
TAKEABLE = frozenset({Status.NEW, Status.REOPENED})


async def _acknowledge(
    uow: UnitOfWork, ticket: Ticket, person: Person, now: datetime
) -> TicketEvent | None:
    """A new or reopened ticket becomes the person's: acknowledged and assigned to them."""
    event = None
    if ticket.status in TAKEABLE:
        ticket.status = next_status(ticket.status, Action.ACKNOWLEDGE)
        event = await uow.tickets.record(ticket, EventKind.ACKNOWLEDGED, now, person.id)
    if ticket.assignee_id is None:
        ticket.assignee_id = person.id
        data = {"to": person.id}
        event = await uow.tickets.record(ticket, EventKind.ASSIGNED, now, person.id, data)
    return event


async def _moved(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, event_id: int | None, now: datetime
) -> None:
    """After any move: deadlines and reminder from the log, and every card redrawn."""
    await reclock(ctx, uow, ticket, now)
    await card.refresh(ctx, uow, ticket, f"e{event_id}", now)


async def take(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, person: Person, now: datetime
) -> Notice:
    """接单: the ticket becomes the person's; a second taker is told who has it."""
    if ticket.status not in TAKEABLE or (
        ticket.assignee_id not in (None, person.id) and not await _leads(uow, ticket, person)
    ):
        if ticket.assignee_id == person.id:
            return "staff.already_yours", {}
        holder = await uow.people.get(ticket.assignee_id) if ticket.assignee_id else None
        return "staff.taken_by", {"name": holder.name if holder else "?"}
    if ticket.assignee_id not in (None, person.id):
        ticket.assignee_id = None  # a lead takes it over
    event = await _acknowledge(uow, ticket, person, now)
    assert event is not None
    await _moved(ctx, uow, ticket, event.id, now)
    await tell_reporter(ctx, uow, ticket, "relay.taken", f"taken:{event.id}", now)
    return "staff.took", {}


async def _leads(uow: UnitOfWork, ticket: Ticket, person: Person) -> bool:
    """Whether the person leads or supervises the ticket's team (and may take over a ticket)."""
    if ticket.team_id is None or person.id is None:
        return False
    membership = await uow.members.membership(person.id, ticket.team_id)
    return membership is not None and membership.role is not MemberRole.HANDLER


async def contacted(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    person: Person,
    measures: str,
    deadline: datetime,
    now: datetime,
) -> Notice:
    """已联系: a difficult ticket's visit or call, with the measures and the committed deadline."""
    if ticket.urgency is not Urgency.DIFFICULT or not is_open(ticket.status):
        return "staff.not_difficult" if is_open(ticket.status) else "staff.not_open", {}
    if deadline <= now:
        return "staff.deadline_past", {}
    await _acknowledge(uow, ticket, person, now)
    if ticket.status is Status.ACKNOWLEDGED:
        ticket.status = next_status(ticket.status, Action.START)
    data = {"measures": measures, "deadline": deadline.isoformat()}
    event = await uow.tickets.record(ticket, EventKind.CONTACTED, now, person.id, data)
    await _moved(ctx, uow, ticket, event.id, now)
    await tell_reporter(
        ctx,
        uow,
        ticket,
        "relay.contacted",
        f"contacted:{event.id}",
        now,
        measures=measures,
        deadline=deadline,
    )
    return "staff.contacted_done", {}


async def reply(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    person: Person,
    text: str,
    photos: Sequence[str],
    now: datetime,
) -> Notice:
    """回复: the handler's words and photos go to the resident; the first one is the response."""
    if not is_open(ticket.status) and ticket.status is not Status.RESOLVED:
        return "staff.not_open", {}
    if is_open(ticket.status):
        await _acknowledge(uow, ticket, person, now)
    data = {"text": text, "photos": list(photos)}
    event = await uow.tickets.record(ticket, EventKind.REPLIED, now, person.id, data)
    await _moved(ctx, uow, ticket, event.id, now)
    reporter = await uow.people.get(ticket.reporter_id)
    if reporter is not None:
        team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
        language = reporter.language
        heading = t(
            language,
            "relay.from_team",
            team=team.name if team else "",
            ticket=await card.label_of(uow, ticket),
        )
        answer = ((Button(t(language, "relay.answer"), f"t:m:{ticket.id}"),),)
        message = Message(f"{heading}\n{text}".strip(), answer, photos=tuple(photos))
        await card.tell_person(uow, reporter, message, f"reply:{event.id}", ticket, now)
    return "staff.replied", {}


async def transfer_target(ctx: Context, uow: UnitOfWork, ticket: Ticket) -> Team | None:
    """The team of the other route in the ticket's compound, which a transfer would go to."""
    compound = await uow.community.compound_by_id(ticket.compound_id)
    here = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    target = other_team(ctx.community, compound.code, here.code) if compound and here else None
    return await uow.community.team(target.code) if target else None


async def transfer(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, person: Person, reason: str, now: datetime
) -> Notice:
    """转办: to the other route's team, with a reason; the first team's card says where it went."""
    here = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    team = await transfer_target(ctx, uow, ticket)
    if team is None or here is None or not is_open(ticket.status):
        return ("staff.no_other_team" if is_open(ticket.status) else "staff.not_open"), {}
    ticket.status = next_status(ticket.status, Action.TRANSFER)
    ticket.team_id, ticket.route, ticket.assignee_id = team.id, team.kind, None
    data = {"from": here.code, "to": team.code, "reason": reason}
    event = await uow.tickets.record(ticket, EventKind.TRANSFERRED, now, person.id, data)
    await assign_owner(ctx, uow, ticket, now)
    await _moved(ctx, uow, ticket, event.id, now)
    await card.post(ctx, uow, ticket, team, now)
    await tell_reporter(
        ctx, uow, ticket, "relay.transferred", f"transferred:{event.id}", now, team=team.name
    )
    return "staff.transferred", {"team": team.name}


async def reject(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    person: Person,
    reason: str,
    duplicate_of: Ticket | None,
    now: datetime,
) -> Notice:
    """退回: not in our remit, or a duplicate of another ticket (the resident then follows it)."""
    if not is_open(ticket.status):
        return "staff.not_open", {}
    ticket.status = next_status(ticket.status, Action.REJECT)
    data: dict[str, object] = {"reason": reason}
    if duplicate_of is not None:
        assert duplicate_of.id is not None
        ticket.duplicate_of_id = duplicate_of.id
        data["duplicate_of"] = duplicate_of.id
        if await uow.tickets.follow(duplicate_of.id, ticket.reporter_id, now):
            await uow.tickets.record(
                duplicate_of,
                EventKind.FOLLOWED,
                now,
                ticket.reporter_id,
                {"text": ticket.text, "files": 0},
            )
    event = await uow.tickets.record(ticket, EventKind.REJECTED, now, person.id, data)
    await _moved(ctx, uow, ticket, event.id, now)
    if duplicate_of is not None:
        other = await card.label_of(uow, duplicate_of)
        await tell_residents(ctx, uow, ticket, "relay.duplicate", "rejected", now, other=other)
    else:
        await tell_residents(ctx, uow, ticket, "relay.rejected", "rejected", now, reason=reason)
    return "staff.rejected", {}


async def resolve(
    ctx: Context,
    uow: UnitOfWork,
    ticket: Ticket,
    person: Person,
    note: str,
    photos: Sequence[File],
    now: datetime,
) -> Notice:
    """办结: done, with "after" photos (or the reason there are none); the resident is asked."""
    if not is_open(ticket.status):
        return "staff.not_open", {}
    ticket.status = next_status(ticket.status, Action.RESOLVE)
    if ticket.assignee_id is None:
        ticket.assignee_id = person.id
    after = [f for f in photos if f.kind is FileKind.PHOTO][:10]
    for file in after:
        await uow.tickets.attach(
            Attachment(
                ticket_id=ticket.id,
                kind=AttachmentKind.PHOTO,
                stage=AttachmentStage.AFTER,
                file_id=file.file_id,
                file_unique_id=file.file_unique_id,
                created_at=now,
            )
        )
    data = {"note": note, "photos": len(after)}
    event = await uow.tickets.record(ticket, EventKind.RESOLVED, now, person.id, data)
    await _moved(ctx, uow, ticket, event.id, now)
    from handlers.staff.verdict import ask_verdict  # the resident's side of the same moment

    await ask_verdict(ctx, uow, ticket, note, tuple(f.file_id for f in after), event.id, now)
    return "staff.resolved", {}


async def assign_owner(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, now: datetime
) -> Person | None:
    """Give a new ticket to the handler who owns its building in its team, if they are a member."""
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    compound = await uow.community.compound_by_id(ticket.compound_id)
    building = (
        await uow.community.building_by_id(ticket.building_id) if ticket.building_id else None
    )
    spec = next((s for s in ctx.community.teams if team and s.code == team.code), None)
    if spec is None or compound is None or building is None:
        return None
    telegram_id = owner_of(ctx.community, spec, compound.code, building.code)
    owner = await uow.people.by_telegram_id(telegram_id) if telegram_id else None
    if owner is None or owner.id is None or not await uow.members.membership(owner.id, team.id):
        return None  # not registered yet: the ticket waits in the queue
    ticket.assignee_id = owner.id
    await uow.tickets.record(
        ticket, EventKind.ASSIGNED, now, None, {"to": owner.id, "why": "building"}
    )
    return owner
