"""Resident intake: a person's remembered place and private start, "+1" followers, lookups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACE_REFERENCES = {"compound_id": "compound", "building_id": "building"}


def upgrade() -> None:
    # On SQLite the foreign keys go inline (ADD COLUMN ... REFERENCES) rather than through batch
    # mode: copying `person` means dropping it, which the foreign keys of every table that points
    # at a person refuse as soon as there are rows (PRAGMA foreign_keys is on).
    inline = op.get_bind().dialect.name == "sqlite"
    for name, table in PLACE_REFERENCES.items():
        reference = sa.ForeignKey(f"{table}.id", name=op.f(f"fk_person_{name}_{table}"))
        column = sa.Column(name, sa.Integer(), reference, nullable=True)
        op.add_column("person", column, inline_references=inline)
    op.add_column("person", sa.Column("unit", sa.String(length=16), nullable=True))
    op.add_column("person", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "ticket_follower",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_ticket_follower_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_follower_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_follower")),
        sa.UniqueConstraint("ticket_id", "person_id", name=op.f("uq_ticket_follower_ticket_id")),
    )
    op.create_index(op.f("ix_ticket_follower_ticket_id"), "ticket_follower", ["ticket_id"])
    same_problem = ["compound_id", "building_id", "created_at"]
    op.create_index("ix_ticket_compound_building_created", "ticket", same_problem)
    op.create_index(op.f("ix_conversation_updated_at"), "conversation", ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_conversation_updated_at"), table_name="conversation")
    op.drop_index("ix_ticket_compound_building_created", table_name="ticket")
    op.drop_index(op.f("ix_ticket_follower_ticket_id"), table_name="ticket_follower")
    op.drop_table("ticket_follower")
    # Plain DROP COLUMN (SQLite 3.35+) for the same reason as above: no copy of `person`.
    for name in ["started_at", "unit", *reversed(PLACE_REFERENCES)]:
        op.drop_column("person", name)
