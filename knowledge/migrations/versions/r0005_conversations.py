"""Conversation log, feedback on answers, dossier subscriptions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("client_message_id", sa.String(length=64), nullable=True),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("response_ms", sa.Float(), nullable=True),
        sa.Column("author", sa.String(length=16), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_conversation_messages_direction")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
        sa.UniqueConstraint(
            "sender_id", "client_message_id", name=op.f("uq_conversation_messages_sender_id")
        ),
    )
    op.create_index(op.f("ix_conversation_messages_sender_id"), "conversation_messages", ["sender_id"])
    op.create_index(op.f("ix_conversation_messages_channel"), "conversation_messages", ["channel"])
    op.create_index(op.f("ix_conversation_messages_reply_to_id"), "conversation_messages", ["reply_to_id"])
    op.create_index(op.f("ix_conversation_messages_created_at"), "conversation_messages", ["created_at"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("procedure_code", sa.String(length=32), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("handled", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("rating IN ('up', 'down')", name=op.f("ck_feedback_rating")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index(op.f("ix_feedback_channel"), "feedback", ["channel"])
    op.create_index(op.f("ix_feedback_rating"), "feedback", ["rating"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("notified_event_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_subscriptions_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("dossier_id", "sender_id", name=op.f("uq_subscriptions_dossier_id")),
    )
    op.create_index(op.f("ix_subscriptions_dossier_id"), "subscriptions", ["dossier_id"])
    op.create_index(op.f("ix_subscriptions_is_active"), "subscriptions", ["is_active"])


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_table("feedback")
    op.drop_table("conversation_messages")
