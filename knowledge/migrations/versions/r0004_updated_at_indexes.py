"""Indexes on procedures.updated_at and aliases.updated_at.

The servers' search checks max(updated_at) for changes twice a second
(knowledge.catalog); without an index that reads the whole table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_procedures_updated_at", "procedures", ["updated_at"])
    op.create_index("ix_aliases_updated_at", "aliases", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_aliases_updated_at", table_name="aliases")
    op.drop_index("ix_procedures_updated_at", table_name="procedures")
