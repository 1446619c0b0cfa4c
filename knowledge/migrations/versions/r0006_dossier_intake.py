"""Dossier intake: where each status change came from, and the events the one-stop system pushes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOME_CHECK = "outcome IN ('applied', 'unchanged', 'stale', 'rejected')"


def upgrade() -> None:
    op.add_column("dossier_events", sa.Column("source", sa.String(length=16), nullable=True))

    op.create_table(
        "dossier_event_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("receipt_code", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("dossier_event_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(OUTCOME_CHECK, name=op.f("ck_dossier_event_receipts_outcome")),
        sa.ForeignKeyConstraint(
            ["dossier_event_id"],
            ["dossier_events.id"],
            name=op.f("fk_dossier_event_receipts_dossier_event_id_dossier_events"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_event_receipts")),
        sa.UniqueConstraint("event_id", name=op.f("uq_dossier_event_receipts_event_id")),
    )
    op.create_index(
        op.f("ix_dossier_event_receipts_receipt_code"), "dossier_event_receipts", ["receipt_code"]
    )
    op.create_index(
        op.f("ix_dossier_event_receipts_dossier_event_id"), "dossier_event_receipts", ["dossier_event_id"]
    )


def downgrade() -> None:
    op.drop_table("dossier_event_receipts")
    # SQLite cannot drop a column in place: batch mode copies the table (its CHECK included).
    with op.batch_alter_table("dossier_events") as batch:
        batch.drop_column("source")
