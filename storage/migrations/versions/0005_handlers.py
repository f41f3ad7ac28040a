"""The handlers' side: invites, ticket cards and the bot's messages about tickets, forum teams,
the thread an outbox message went to, and the resident's three-level verdict.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out: a migration must not change when the enums do.
ROLES = ["handler", "lead", "supervisor"]
SATISFACTION = ["satisfied", "mostly", "unsatisfied"]


def _label(values: list[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=False, length=32)


def upgrade() -> None:
    op.add_column(
        "team", sa.Column("forum", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "ticket", sa.Column("satisfaction", _label(SATISFACTION, "satisfaction"), nullable=True)
    )
    op.add_column("outbox", sa.Column("thread_id", sa.Integer(), nullable=True))
    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role", _label(ROLES, "memberrole"), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["person.id"], name=op.f("fk_invite_created_by_person")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_invite_team_id_team")),
        sa.ForeignKeyConstraint(["used_by"], ["person.id"], name=op.f("fk_invite_used_by_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("token", name=op.f("uq_invite_token")),
    )
    op.create_table(
        "ticket_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("outbox_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_ticket_card_team_id_team")),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_card_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_card")),
    )
    op.create_index(op.f("ix_ticket_card_ticket_id"), "ticket_card", ["ticket_id"])
    op.create_table(
        "ticket_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_message_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_message")),
        sa.UniqueConstraint("chat_id", "message_id", name=op.f("uq_ticket_message_chat_id")),
    )


def downgrade() -> None:
    op.drop_table("ticket_message")
    op.drop_index(op.f("ix_ticket_card_ticket_id"), table_name="ticket_card")
    op.drop_table("ticket_card")
    op.drop_table("invite")
    op.drop_column("outbox", "thread_id")
    op.drop_column("ticket", "satisfaction")
    op.drop_column("team", "forum")
