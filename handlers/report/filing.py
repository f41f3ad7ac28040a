"""Filing a ticket: the ticket, its files, its first event and the team's notice, in one go."""

from dataclasses import dataclass
from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import File, FileKind
from handlers.report import wording
from handlers.texts import t
from storage.models import Attachment, AttachmentKind, Person, Team, Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import ticket_label
from tickets.routing import team_for
from tickets.sla import compute_clock, next_reminder
from triage import classify

TEAM_LANGUAGE = "zh-CN"  # team chats read Chinese; a resident's language is per person
COMMON_AREA = "common_area"  # Ticket.place_note for the compound's common parts


@dataclass(frozen=True)
class Report:
    """What a ticket is filed from: a finished draft, or a message in the compound's group."""

    compound: str
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


async def file_ticket(
    ctx: Context, uow: UnitOfWork, reporter: Person, report: Report, now: datetime
) -> Ticket:
    """Store the ticket with its files and first event, queue the team's notice; caller commits."""
    compound = await uow.community.compound(report.compound)
    if compound is None or compound.id is None:
        raise LookupError(f"compound {report.compound} is not in the database; sync the community")
    building = None
    if report.building is not None:
        building = await uow.community.building(compound.id, report.building)
    triage = classify(report.text)
    team = await uow.community.team(team_for(ctx.community, report.compound, triage.category).code)
    policy = ctx.community.sla
    clock = compute_clock(policy, triage.urgency, now, [], now)
    reminder = next_reminder(policy, triage.urgency, clock, ctx.tz)
    ticket = Ticket(
        compound_id=compound.id,
        number=await uow.tickets.next_number(compound.id),
        reporter_id=reporter.id,
        source_chat_id=report.source_chat_id,
        source_message_id=report.source_message_id,
        text=report.text,
        building_id=building.id if building else None,
        unit=str(report.unit) if report.unit else None,
        room=report.room,
        place_note=COMMON_AREA if report.common_area else None,
        latitude=report.location[0] if report.location else None,
        longitude=report.location[1] if report.location else None,
        urgency=triage.urgency,
        category=triage.category,
        route=triage.route,
        team_id=team.id if team else None,
        created_at=now,
        updated_at=now,
        first_response_due=clock.first_response_due,
        resolution_due=clock.resolution_due,
        next_remind_at=reminder.at if reminder else None,
    )
    await uow.tickets.add(ticket)
    for file in report.files:
        await uow.tickets.attach(
            Attachment(
                ticket_id=ticket.id,
                kind=AttachmentKind(file.kind.value),
                file_id=file.file_id,
                file_unique_id=file.file_unique_id,
                caption=file.name,
                created_at=now,
            )
        )
    triaged = {"urgency": triage.urgency.value, "category": triage.category.value}
    triaged |= {"confidence": triage.confidence, "rules": list(triage.rules)}
    data = {"source": report.source, "triage": triaged, "team": team.code if team else None}
    await uow.tickets.record(ticket, EventKind.CREATED, now, reporter.id, data)
    if team is not None:
        notice = new_ticket_notice(ctx, ticket, report, team)
        await tell_team(uow, team, ticket, notice, "new", now)
    if building is not None:
        unit = str(report.unit) if report.unit else None
        await uow.people.remember_place(reporter, compound.id, building.id, unit)
    return ticket


def new_ticket_notice(ctx: Context, ticket: Ticket, report: Report, team: Team) -> Message:
    """The team's notice of a new ticket: number, labels, place, words, deadlines, photos."""
    language = TEAM_LANGUAGE
    where = wording.place(
        language,
        ctx.community,
        report.compound,
        report.building,
        report.unit,
        report.room,
        report.common_area,
        report.location,
    )
    lines = [
        t(language, "team.new", ticket=ticket_label(report.compound, ticket.number)),
        wording.labels(language, ticket.urgency, ticket.category),
        t(language, "team.place", place=where),
        t(language, "team.text", text=ticket.text or t(language, "team.no_text")),
    ]
    if ticket.first_response_due is not None:
        due = wording.deadlines(language, ticket.first_response_due, ticket.resolution_due, ctx.tz)
        lines.append(due)
    others = sum(1 for f in report.files if f.kind is not FileKind.PHOTO)
    if others:
        lines.append(t(language, "team.other_files", count=others))
    photos = tuple(f.file_id for f in report.files if f.kind is FileKind.PHOTO)
    return Message("\n".join(lines), photos=photos)


async def tell_team(
    uow: UnitOfWork, team: Team, ticket: Ticket, message: Message, what: str, now: datetime
) -> None:
    """Queue a message about a ticket to its team's chat, once per (ticket, what)."""
    if team.chat_id is None:
        return  # no chat bound yet: the team sees the ticket in its queue once it binds one
    key = f"team:{team.id}:ticket:{ticket.id}:{what}"
    await uow.outbox.enqueue(team.chat_id, message.to_payload(), key, now, ticket_id=ticket.id)
