"""Filing a ticket: the ticket, its files, its first event and the team's notice, in one go."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.chat import Message
from handlers.context import Context
from handlers.incoming import File, FileKind
from handlers.report import wording
from handlers.report.draft import Draft
from handlers.texts import t
from storage.models import Attachment, AttachmentKind, Person, Ticket
from storage.uow import UnitOfWork
from tickets.events import EventKind
from tickets.labels import Category, ticket_label
from tickets.routing import team_for
from tickets.sla import compute_clock, next_reminder
from triage import Triage, as_told, classify

TEAM_LANGUAGE = "zh-CN"  # team chats read Chinese; a resident's language is per person
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
    clock = compute_clock(policy, triage.urgency, now, [], now)
    reminder = next_reminder(policy, triage.urgency, clock, ctx.tz)
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
    await tell_team(uow, ticket, new_ticket_notice(ctx, ticket, report, compound.code), "new", now)
    return ticket


def new_ticket_notice(ctx: Context, ticket: Ticket, report: Report, compound: str) -> Message:
    """The team's notice of a new ticket: number, labels, place, words, deadlines, photos."""
    language = TEAM_LANGUAGE
    where = wording.place(language, ctx.community, report)
    lines = [
        t(language, "team.new", ticket=ticket_label(compound, ticket.number)),
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
    return Message("\n".join(lines), photos=photo_ids(report.files))


async def tell_team(
    uow: UnitOfWork, ticket: Ticket, message: Message, what: str, now: datetime
) -> None:
    """Queue a message about a ticket to its team's chat, once per (ticket, what)."""
    team = await uow.community.team_by_id(ticket.team_id) if ticket.team_id else None
    if team is None or team.chat_id is None:
        return  # no chat bound yet: the team sees the ticket in its queue once it binds one
    key = f"team:{team.id}:ticket:{ticket.id}:{what}"
    await uow.outbox.enqueue(team.chat_id, message.to_payload(), key, now, ticket_id=ticket.id)
