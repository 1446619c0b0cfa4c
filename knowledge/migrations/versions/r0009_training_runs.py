"""Retrainings started from the console, with their evaluation and model files.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("log_file", sa.String(length=512), nullable=False),
        sa.Column("model_file", sa.String(length=512), nullable=True),
        sa.Column("model_removed", sa.Boolean(), nullable=False),
        sa.Column("is_serving", sa.Boolean(), nullable=False),
        sa.Column("examples_total", sa.Integer(), nullable=False),
        sa.Column("examples_new", sa.Integer(), nullable=False),
        sa.Column("candidate_accuracy", sa.Float(), nullable=True),
        sa.Column("candidate_macro_f1", sa.Float(), nullable=True),
        sa.Column("serving_accuracy", sa.Float(), nullable=True),
        sa.Column("serving_macro_f1", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_runs")),
    )


def downgrade() -> None:
    op.drop_table("training_runs")
