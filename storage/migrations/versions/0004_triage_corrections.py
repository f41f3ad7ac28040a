"""Triage corrections: a handler's change of urgency or category, kept as a training example.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The labels as they are today, written out: a migration must not change when the enums do.
URGENCIES = ["emergency", "difficult", "medium", "general"]
CATEGORIES = [
    "repair",
    "elevator",
    "sanitation",
    "security",
    "parking",
    "greening",
    "utilities",
    "property_service",
    "neighbor",
    "elderly_care",
    "public_services",
    "public_order",
    "property_oversight",
    "community_life",
]
ROUTES = ["property", "community"]


def _label(values: list[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "triage_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgency", _label(URGENCIES, "urgency"), nullable=False),
        sa.Column("category", _label(CATEGORIES, "category"), nullable=False),
        sa.Column("route", _label(ROUTES, "route"), nullable=False),
        sa.Column("was_urgency", _label(URGENCIES, "urgency"), nullable=False),
        sa.Column("was_category", _label(CATEGORIES, "category"), nullable=False),
        sa.Column("corrected_by", sa.Integer(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrected_by"], ["person.id"], name=op.f("fk_triage_correction_corrected_by_person")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_triage_correction_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_correction")),
    )
    op.create_index(op.f("ix_triage_correction_ticket_id"), "triage_correction", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_triage_correction_ticket_id"), table_name="triage_correction")
    op.drop_table("triage_correction")
