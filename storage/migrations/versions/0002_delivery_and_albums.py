"""Delivery and albums: Telegram's ids of sent messages, per-chat order, album parts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
PENDING = "sent_at IS NULL AND failed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as outbox:
        outbox.add_column(sa.Column("message_ids", JSON, nullable=True))
    op.create_index(
        "ix_outbox_chat_pending",
        "outbox",
        ["chat_id", "id"],
        postgresql_where=sa.text(PENDING),
        sqlite_where=sa.text(PENDING),
    )
    op.create_table(
        "album_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("media_group_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("incoming", JSON, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_album_part")),
        sa.UniqueConstraint(
            "chat_id", "media_group_id", "message_id", name=op.f("uq_album_part_chat_id")
        ),
    )
    op.create_index(op.f("ix_album_part_received_at"), "album_part", ["received_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_album_part_received_at"), table_name="album_part")
    op.drop_table("album_part")
    op.drop_index("ix_outbox_chat_pending", table_name="outbox")
    with op.batch_alter_table("outbox") as outbox:
        outbox.drop_column("message_ids")
