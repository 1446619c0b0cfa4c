"""Failed proofs of dossier lookups, counted in the database (not in the conversation).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lookup_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_code", sa.String(length=64), nullable=False),
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_failures")),
    )
    op.create_index(op.f("ix_lookup_failures_receipt_code"), "lookup_failures", ["receipt_code"])
    op.create_index(op.f("ix_lookup_failures_sender_key"), "lookup_failures", ["sender_key"])
    op.create_index(op.f("ix_lookup_failures_failed_at"), "lookup_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_lookup_failures_failed_at"), table_name="lookup_failures")
    op.drop_index(op.f("ix_lookup_failures_sender_key"), table_name="lookup_failures")
    op.drop_index(op.f("ix_lookup_failures_receipt_code"), table_name="lookup_failures")
    op.drop_table("lookup_failures")
