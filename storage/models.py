"""The tables. Every datetime is timezone-aware UTC; enums are stored by value."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import JSONData, UTCDateTime, enum_column
from tickets.labels import Category, Route, Urgency
from tickets.lifecycle import Status

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class MemberRole(StrEnum):
    """A person's role in a team."""

    HANDLER = "handler"
    LEAD = "lead"
    SUPERVISOR = "supervisor"


class Satisfaction(StrEnum):
    """The resident's verdict on a resolved ticket."""

    SATISFIED = "satisfied"  # 满意
    MOSTLY = "mostly"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意: reopens the ticket and escalates it one level


class AttachmentKind(StrEnum):
    """What kind of file a resident or handler attached."""

    PHOTO = "photo"
    VIDEO = "video"
    VOICE = "voice"
    AUDIO = "audio"
    DOCUMENT = "document"


class AttachmentStage(StrEnum):
    """Whether a file shows the problem (before) or the fix (after)."""

    BEFORE = "before"
    AFTER = "after"


def _utc(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, index=index, nullable=nullable)


def _telegram_id(*, unique: bool = False, nullable: bool = False) -> Any:
    return Field(sa_type=sa.BigInteger, unique=unique, nullable=nullable)


class Compound(SQLModel, table=True):
    """A residential compound (小区)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)
    name: str = Field(max_length=100)
    residents_chat_id: int | None = _telegram_id(nullable=True)


class Grid(SQLModel, table=True):
    """A micro-grid (微网格) of a compound."""

    __table_args__ = (sa.UniqueConstraint("compound_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id")
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)


class Building(SQLModel, table=True):
    """A building (楼栋) of a compound, with its number of units."""

    __table_args__ = (sa.UniqueConstraint("compound_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)
    units: int = 1


class Person(SQLModel, table=True):
    """Someone who talks to the bot: a resident, a handler, a supervisor."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = _telegram_id(unique=True)
    name: str = Field(max_length=200)
    username: str | None = Field(default=None, max_length=64)
    language: str = Field(default="zh-CN", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    created_at: datetime = _utc()
    # The place of the last report, offered again for the next one.
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    building_id: int | None = Field(default=None, foreign_key="building.id")
    unit: str | None = Field(default=None, max_length=16)
    # First private message to the bot; None: the bot may not write first (Telegram forbids it).
    started_at: datetime | None = _utc(nullable=True)


class Team(SQLModel, table=True):
    """Handlers of one route (property company or community), with their group chat."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    kind: Route = Field(sa_type=enum_column(Route))
    chat_id: int | None = _telegram_id(nullable=True)
    forum: bool = False  # the chat has topics: each ticket gets a topic of its own


class TeamCompound(SQLModel, table=True):
    """Which compounds a team covers."""

    __tablename__ = "team_compound"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    compound_id: int = Field(foreign_key="compound.id", primary_key=True)


class Membership(SQLModel, table=True):
    """A person's place in a team."""

    __table_args__ = (sa.UniqueConstraint("team_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    role: MemberRole = Field(sa_type=enum_column(MemberRole))
    created_at: datetime = _utc()


class Ticket(SQLModel, table=True):
    """A resident's request, from its report to its closure."""

    __table_args__ = (
        sa.UniqueConstraint("compound_id", "number"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        sa.Index("ix_ticket_reporter_created", "reporter_id", "created_at"),
        sa.Index("ix_ticket_team_status", "team_id", "status"),
        sa.Index("ix_ticket_compound_building_created", "compound_id", "building_id", "created_at"),
        sa.Index(
            "ix_ticket_due_reminder",
            "next_remind_at",
            postgresql_where=sa.text("next_remind_at IS NOT NULL"),
            sqlite_where=sa.text("next_remind_at IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id")
    number: int  # per compound; shown as tickets.labels.ticket_label(code, number)
    reporter_id: int = Field(foreign_key="person.id")
    source_chat_id: int = _telegram_id()
    source_message_id: int | None = None
    text: str = Field(sa_type=sa.Text)
    building_id: int | None = Field(default=None, foreign_key="building.id")
    unit: str | None = Field(default=None, max_length=16)
    room: str | None = Field(default=None, max_length=32)
    place_note: str | None = Field(default=None, max_length=200)  # "common area", a landmark
    latitude: float | None = None
    longitude: float | None = None
    urgency: Urgency = Field(sa_type=enum_column(Urgency))
    category: Category = Field(sa_type=enum_column(Category))
    route: Route = Field(sa_type=enum_column(Route))
    team_id: int | None = Field(default=None, foreign_key="team.id")
    assignee_id: int | None = Field(default=None, foreign_key="person.id")
    status: Status = Field(default=Status.NEW, sa_type=enum_column(Status))
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    first_response_due: datetime | None = _utc(nullable=True)
    resolution_due: datetime | None = _utc(nullable=True)
    committed_deadline: datetime | None = _utc(nullable=True)
    first_responded_at: datetime | None = _utc(nullable=True)
    resolved_at: datetime | None = _utc(nullable=True)
    closed_at: datetime | None = _utc(nullable=True)
    rating: int | None = None  # unused since the three-level verdict (satisfaction)
    satisfaction: Satisfaction | None = Field(
        default=None, sa_type=enum_column(Satisfaction), nullable=True
    )
    next_remind_at: datetime | None = _utc(nullable=True)
    escalation_level: int = -1  # -1: not escalated; else the rung of the team's ladder
    duplicate_of_id: int | None = Field(default=None, foreign_key="ticket.id")


class TicketFollower(SQLModel, table=True):
    """A resident who reported the same problem and follows an existing ticket ("+1")."""

    __tablename__ = "ticket_follower"
    __table_args__ = (sa.UniqueConstraint("ticket_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()


class Attachment(SQLModel, table=True):
    """A photo, video, voice note, audio file or document of a ticket, by its Telegram file id."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: AttachmentKind = Field(sa_type=enum_column(AttachmentKind))
    stage: AttachmentStage = Field(
        default=AttachmentStage.BEFORE, sa_type=enum_column(AttachmentStage)
    )
    file_id: str = Field(max_length=255)
    file_unique_id: str = Field(max_length=64)
    caption: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _utc()


class TicketEvent(SQLModel, table=True):
    """One line of a ticket's audit log: who did what, when. Append-only (a trigger says so)."""

    __tablename__ = "ticket_event"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = _utc()
    kind: str = Field(max_length=32)  # tickets.events.EventKind
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONData)


class Outbox(SQLModel, table=True):
    """A message waiting to be delivered; written in the same transaction as its cause."""

    __table_args__ = (
        sa.Index(
            "ix_outbox_pending",
            "not_before",
            postgresql_where=sa.text("sent_at IS NULL AND failed_at IS NULL"),
            sqlite_where=sa.text("sent_at IS NULL AND failed_at IS NULL"),
        ),
        sa.Index(
            "ix_outbox_chat_pending",
            "chat_id",
            "id",
            postgresql_where=sa.text("sent_at IS NULL AND failed_at IS NULL"),
            sqlite_where=sa.text("sent_at IS NULL AND failed_at IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _telegram_id()
    payload: dict[str, Any] = Field(sa_type=JSONData)
    dedupe_key: str = Field(max_length=200, unique=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    created_at: datetime = _utc()
    not_before: datetime = _utc()
    attempts: int = 0
    sent_at: datetime | None = _utc(nullable=True)
    failed_at: datetime | None = _utc(nullable=True)  # given up: blocked by the user, bad chat
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    message_ids: list[int] | None = Field(default=None, sa_type=JSONData)  # Telegram's, once sent
    thread_id: int | None = None  # the forum topic it went to (created for it, or given)


class AlbumPart(SQLModel, table=True):
    """One photo of an album, kept until the whole album has arrived so a restart loses none."""

    __tablename__ = "album_part"
    __table_args__ = (sa.UniqueConstraint("chat_id", "media_group_id", "message_id"),)
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _telegram_id()
    media_group_id: str = Field(max_length=64)
    message_id: int = _telegram_id()
    incoming: dict[str, Any] = Field(sa_type=JSONData)  # the neutral update, to replay it whole
    received_at: datetime = _utc(index=True)


class Conversation(SQLModel, table=True):
    """Where a person's conversation with the bot stands in one chat, so it survives restarts."""

    __table_args__ = (sa.UniqueConstraint("chat_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _telegram_id()
    user_id: int = _telegram_id()
    step: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONData)
    updated_at: datetime = _utc(index=True)  # to drop expired drafts


class JobClaim(SQLModel, table=True):
    """A once-per-period job (a digest, a report) claimed for one chat by one instance."""

    __tablename__ = "job_claim"
    __table_args__ = (sa.UniqueConstraint("job", "period", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    period: str = Field(max_length=32)
    chat_id: int = _telegram_id()
    claimed_at: datetime = _utc()
    claimed_by: str = Field(max_length=100)


class TicketCounter(SQLModel, table=True):
    """The last ticket number handed out in a compound."""

    __tablename__ = "ticket_counter"
    compound_id: int = Field(foreign_key="compound.id", primary_key=True)
    last_number: int = 0


class TriageCorrection(SQLModel, table=True):
    """A handler's change of a ticket's urgency or category: a labelled example for training."""

    __tablename__ = "triage_correction"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    text: str = Field(sa_type=sa.Text)  # the ticket's words when it was corrected
    urgency: Urgency = Field(sa_type=enum_column(Urgency))
    category: Category = Field(sa_type=enum_column(Category))
    route: Route = Field(sa_type=enum_column(Route))  # the guide's route of the category
    was_urgency: Urgency = Field(sa_type=enum_column(Urgency))  # the classifier's, or last fix
    was_category: Category = Field(sa_type=enum_column(Category))
    corrected_by: int | None = Field(default=None, foreign_key="person.id")
    corrected_at: datetime = _utc()


class Invite(SQLModel, table=True):
    """A one-time deep link that makes whoever opens it a member of a team, until it expires."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=32, unique=True)
    team_id: int = Field(foreign_key="team.id")
    role: MemberRole = Field(sa_type=enum_column(MemberRole))
    created_by: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
    expires_at: datetime = _utc()
    used_by: int | None = Field(default=None, foreign_key="person.id")
    used_at: datetime | None = _utc(nullable=True)


class TicketCard(SQLModel, table=True):
    """A ticket's card in a team chat: the outbox row that posted it, to edit it in place."""

    __tablename__ = "ticket_card"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    team_id: int = Field(foreign_key="team.id")
    chat_id: int = _telegram_id()
    outbox_key: str = Field(max_length=200)  # Outbox.dedupe_key of the card
    created_at: datetime = _utc()
    retired_at: datetime | None = _utc(nullable=True)  # the ticket moved on: no longer edited


class TicketMessage(SQLModel, table=True):
    """A bot message about a ticket, so that a Telegram reply to it finds the ticket."""

    __tablename__ = "ticket_message"
    __table_args__ = (sa.UniqueConstraint("chat_id", "message_id"),)
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _telegram_id()
    message_id: int = _telegram_id()
    thread_id: int | None = None
    ticket_id: int = Field(foreign_key="ticket.id")
