"""Filing a ticket: the ticket, its files, its first event and the team's notice, in one go."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import File, FileKind
from handlers.report import wording
from handlers.report.draft import Draft
from handlers.staff import card
from handlers.staff.card import TEAM_LANGUAGE
from handlers.staff.clock import calendar_for
from handlers.staff.moves import assign_owner
from handlers.texts import t
from storage.models import Attachment, AttachmentKind, MemberRole, Person, Team, Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Category, Urgency
from tickets.routing import team_for
from tickets.sla import compute_clock, next_reminder
from triage import Triage, as_told, classify

ALERTED = frozenset({MemberRole.LEAD, MemberRole.SUPERVISOR})  # told of emergencies in private
COMMON_AREA = "common_area"  # Ticket.place_note for the compound's common parts


@dataclass(frozen=True)
class Report:
    """What a ticket is filed from: a finished draft, or a message in the compound's group."""

    compound: str | None
    text: str
    files: tuple[File, ...]
    source_chat_id: int
    source_message_id: int | None
    source: str  # "private" or "group"
    building: str | None = None
    unit: int | None = None
    room: str | None = None
    common_area: bool = False
    location: tuple[float, float] | None = None
    category: str | None = None  # chosen by the resident when the bot asked


def triage_of(text: str, category: str | None) -> Triage:
    """The classifier's triage, with the category the resident chose if the bot asked."""
    result = classify(text)
    return as_told(result, Category(category)) if category else result


def report_from(draft: Draft, chat_id: int, source: str) -> Report:
    """The report a finished draft (or a group message's draft) files."""
    return Report(
        compound=draft.compound,
        text=draft.text,
        files=tuple(draft.files),
        source_chat_id=chat_id,
        source_message_id=draft.source_message_id,
        source=source,
        building=draft.building,
        unit=draft.unit or None,
        room=draft.room,
        common_area=draft.common_area,
        location=draft.location,
        category=draft.category,
    )


def photo_ids(files: Sequence[File]) -> tuple[str, ...]:
    """The file ids of the photos among `files`, to send them on as an album."""
    return tuple(f.file_id for f in files if f.kind is FileKind.PHOTO)


async def keep_files(
    uow: UnitOfWork, ticket_id: int | None, files: Sequence[File], now: datetime
) -> None:
    """Store a resident's files as the ticket's attachments."""
    for file in files:
        attachment = Attachment(
            ticket_id=ticket_id,
            kind=AttachmentKind(file.kind.value),
            file_id=file.file_id,
            file_unique_id=file.file_unique_id,
            caption=file.name,
            created_at=now,
        )
        await uow.tickets.attach(attachment)


async def set_place(
    uow: UnitOfWork, ticket: Ticket, reporter: Person, where: wording.Where, now: datetime
) -> None:
    """Put the place on the ticket, and remember the building for the resident's next report."""
    building = None
    if where.building is not None:
        building = await uow.community.building(ticket.compound_id, where.building)
    unit = str(where.unit) if where.unit else None
    ticket.building_id, ticket.unit, ticket.room = (
        building.id if building else None,
        unit,
        where.room,
    )
    ticket.place_note = COMMON_AREA if where.common_area else None
    ticket.latitude, ticket.longitude = where.location or (None, None)
    ticket.updated_at = now
    if building is not None:
        await uow.people.remember_place(reporter, ticket.compound_id, building.id, unit)


async def over_the_limit(ctx: Context, uow: UnitOfWork, reporter: Person, now: datetime) -> bool:
    """Whether the resident already filed as many tickets as the community allows lately."""
    intake = ctx.community.intake
    assert reporter.id is not None
    reported = await uow.tickets.reported_since(reporter.id, now - intake.reports_window)
    return reported >= intake.reports_per_resident


async def file_ticket(
    ctx: Context, uow: UnitOfWork, reporter: Person, report: Report, now: datetime
) -> Ticket:
    """Store the ticket with its files and first event, queue the team's notice; caller commits."""
    compound = await uow.community.compound(report.compound or "")
    if compound is None or compound.id is None:
        raise LookupError(f"compound {report.compound} is not in the database; sync the community")
    triage = triage_of(report.text, report.category)
    owner = team_for(ctx.community, report.compound, triage.category)  # overrides applied
    team = await uow.community.team(owner.code)
    policy = ctx.community.sla
    calendar = calendar_for(ctx, owner.code)
    clock = compute_clock(policy, triage.urgency, now, [], now, calendar)
    reminder = next_reminder(policy, triage.urgency, clock, ctx.tz, calendar)
    ticket = Ticket(
        compound_id=compound.id,
        number=await uow.tickets.next_number(compound.id),
        reporter_id=reporter.id,
        source_chat_id=report.source_chat_id,
        source_message_id=report.source_message_id,
        text=report.text,
        urgency=triage.urgency,
        category=triage.category,
        route=owner.kind,
        team_id=team.id if team else None,
        created_at=now,
        updated_at=now,
        first_response_due=clock.first_response_due,
        resolution_due=clock.resolution_due,
        next_remind_at=reminder.at if reminder else None,
    )
    await set_place(uow, ticket, reporter, report, now)
    await uow.tickets.add(ticket)
    await keep_files(uow, ticket.id, report.files, now)
    triaged = {"urgency": triage.urgency.value, "category": triage.category.value}
    triaged |= {"confidence": triage.confidence, "rules": list(triage.rules)}
    data = {"source": report.source, "triage": triaged, "team": team.code if team else None}
    await uow.tickets.record(ticket, EventKind.CREATED, now, reporter.id, data)
    await route(ctx, uow, ticket, team, now)
    return ticket


async def route(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, team: Team | None, now: datetime
) -> None:
    """The new ticket to its team: its building's owner gets it at once, the chat gets its card,
    and an emergency alerts the leads and supervisors too."""
    if team is None:
        return
    owner = await assign_owner(ctx, uow, ticket, now)
    await card.post(ctx, uow, ticket, team, now)
    drawn = await card.render(ctx, uow, ticket)
    if owner is not None:
        note = t(owner.language, "staff.assigned_to_you", ticket=await card.label_of(uow, ticket))
        message = Message(f"{note}\n\n{drawn.text}", drawn.buttons)
        await card.tell_person(uow, owner, message, "assigned", ticket, now)
    if ticket.urgency is Urgency.EMERGENCY:
        await alert(ctx, uow, ticket, team, drawn, now)


async def alert(
    ctx: Context, uow: UnitOfWork, ticket: Ticket, team: Team, drawn: Message, now: datetime
) -> None:
    """An emergency: everyone in the team chat, every lead and every supervisor, at once."""
    label = await card.label_of(uow, ticket)
    text = t(TEAM_LANGUAGE, "staff.emergency_alert", ticket=label)
    await card.tell_team(uow, ticket, Message(text), "emergency", now)
    assert team.id is not None
    people = {p.id: p for p in await uow.members.with_role(team.id, ALERTED)}
    people |= {p.id: p for p in await uow.members.supervisors_of_compound(ticket.compound_id)}
    for person in people.values():
        message = Message(
            f"{t(person.language, 'staff.emergency_alert', ticket=label)}\n\n{drawn.text}",
            drawn.buttons,
        )
        await card.tell_person(uow, person, message, "emergency", ticket, now)


def emergency_numbers(ctx: Context, language: str, ticket: Ticket, team_code: str | None) -> str:
    """What a resident in danger should call now: 119, 120, 110, and the team's duty phone."""
    text = t(language, "emergency.numbers")
    spec = next((s for s in ctx.community.teams if s.code == team_code), None)
    if spec is not None and spec.duty_phone:
        text += "\n" + t(language, "emergency.duty_phone", team=spec.name, phone=spec.duty_phone)
    return text
