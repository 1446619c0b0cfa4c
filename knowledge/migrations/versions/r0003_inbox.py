"""Staff inbox: unanswered messages, handoff requests, complaints.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Values as of this revision (knowledge.models.InboxKind / InboxStatus).
KIND_CHECK = "kind IN ('unanswered', 'low_confidence', 'handoff', 'complaint')"
STATUS_CHECK = "status IN ('open', 'handled')"


def upgrade() -> None:
    op.create_table(
        "inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("nlu", sa.JSON(), nullable=True),
        sa.Column("bot_reply", sa.Text(), nullable=True),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(KIND_CHECK, name=op.f("ck_inbox_items_kind")),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_inbox_items_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_items")),
        sa.UniqueConstraint("reference", name=op.f("uq_inbox_items_reference")),
    )
    op.create_index(op.f("ix_inbox_items_kind"), "inbox_items", ["kind"])
    op.create_index(op.f("ix_inbox_items_status"), "inbox_items", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_items_status"), table_name="inbox_items")
    op.drop_index(op.f("ix_inbox_items_kind"), table_name="inbox_items")
    op.drop_table("inbox_items")
