"""Knowledge base: procedures, aliases, agencies, FAQs, dossiers.

Revision ID: 0001
Revises:
Create Date: 2025-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Dossier statuses as of this revision (knowledge.models.DossierStatus).
STATUS_CHECK = (
    "status IN ('received', 'in_progress', 'needs_supplement', 'ready', 'returned', 'rejected', 'overdue')"
)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("opening_hours", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("map_url", sa.String(length=512), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=255), nullable=False),
        sa.Column("normalized", sa.String(length=255), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aliases")),
        sa.UniqueConstraint("normalized", name=op.f("uq_aliases_normalized")),
    )
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sector", sa.String(length=255), nullable=True),
        sa.Column("level_ministry", sa.Boolean(), nullable=False),
        sa.Column("level_province", sa.Boolean(), nullable=False),
        sa.Column("level_commune", sa.Boolean(), nullable=False),
        sa.Column("level_other", sa.Boolean(), nullable=False),
        sa.Column("levels_text", sa.String(length=255), nullable=True),
        sa.Column("procedure_type", sa.String(length=255), nullable=True),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("subjects_text", sa.Text(), nullable=True),
        sa.Column("competent_agency", sa.Text(), nullable=True),
        sa.Column("executing_agency", sa.Text(), nullable=True),
        sa.Column("delegated_agency", sa.Text(), nullable=True),
        sa.Column("coordinating_agency", sa.Text(), nullable=True),
        sa.Column("receiving_address", sa.Text(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("steps_text", sa.Text(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("results_text", sa.Text(), nullable=True),
        sa.Column("related_procedures", sa.Text(), nullable=True),
        sa.Column("decision_number", sa.String(length=255), nullable=True),
        sa.Column("url", sa.String(length=512), nullable=True),
        sa.Column("portal_id", sa.String(length=64), nullable=True),
        sa.Column("channels_text", sa.Text(), nullable=True),
        sa.Column("documents_text", sa.Text(), nullable=True),
        sa.Column("legal_bases_text", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("ministry", sa.String(length=64), nullable=True),
        sa.Column("raw_record", sa.JSON(), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=True),
        sa.Column("parse_issues", sa.JSON(), nullable=False),
        sa.Column("edited_fields", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
        sa.UniqueConstraint("code", name=op.f("uq_procedures_code")),
    )
    op.create_index(op.f("ix_procedures_ministry"), "procedures", ["ministry"], unique=False)
    op.create_index(op.f("ix_procedures_sector"), "procedures", ["sector"], unique=False)

    op.create_table(
        "alias_procedures",
        sa.Column("alias_id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alias_id"],
            ["aliases.id"],
            name=op.f("fk_alias_procedures_alias_id_aliases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_alias_procedures_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("alias_id", "procedure_id", name=op.f("pk_alias_procedures")),
    )
    op.create_index(
        op.f("ix_alias_procedures_procedure_id"), "alias_procedures", ["procedure_id"], unique=False
    )

    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_code", sa.String(length=64), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("applicant_name", sa.String(length=255), nullable=False),
        sa.Column("verification_hash", sa.String(length=255), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("current_step", sa.Text(), nullable=True),
        sa.Column("pickup_place", sa.Text(), nullable=True),
        sa.Column("supplement_request", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            STATUS_CHECK,
            name=op.f("ck_dossiers_status"),
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_dossiers_procedure_id_procedures"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("receipt_code", name=op.f("uq_dossiers_receipt_code")),
    )
    op.create_index(op.f("ix_dossiers_procedure_id"), "dossiers", ["procedure_id"], unique=False)
    op.create_index(op.f("ix_dossiers_status"), "dossiers", ["status"], unique=False)

    op.create_table(
        "faqs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_faqs_procedure_id_procedures"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faqs")),
    )
    op.create_index(op.f("ix_faqs_procedure_id"), "faqs", ["procedure_id"], unique=False)

    op.create_table(
        "legal_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_legal_bases_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_bases")),
    )
    op.create_index(op.f("ix_legal_bases_procedure_id"), "legal_bases", ["procedure_id"], unique=False)

    op.create_table(
        "required_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=16), nullable=False),
        sa.Column("case_title", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("originals", sa.Integer(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("quantity_text", sa.String(length=255), nullable=True),
        sa.Column("template", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_required_documents_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_required_documents")),
    )
    op.create_index(
        op.f("ix_required_documents_procedure_id"), "required_documents", ["procedure_id"], unique=False
    )

    op.create_table(
        "submission_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("channel_text", sa.String(length=64), nullable=False),
        sa.Column("time_value", sa.Float(), nullable=True),
        sa.Column("time_max", sa.Float(), nullable=True),
        sa.Column("time_unit", sa.String(length=16), nullable=True),
        sa.Column("time_text", sa.Text(), nullable=True),
        sa.Column("fee_text", sa.Text(), nullable=True),
        sa.Column("fee_free", sa.Boolean(), nullable=True),
        sa.Column("fee_amount", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=True),
        sa.Column("fee_currency", sa.String(length=8), nullable=True),
        sa.Column("fee_amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("fee_note", sa.Text(), nullable=True),
        sa.Column("fee_flags", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('truc_tiep', 'truc_tuyen', 'buu_chinh')",
            name=op.f("ck_submission_channels_channel_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
            name=op.f("fk_submission_channels_procedure_id_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_channels")),
    )
    op.create_index(
        op.f("ix_submission_channels_procedure_id"), "submission_channels", ["procedure_id"], unique=False
    )

    op.create_table(
        "dossier_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("step", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            STATUS_CHECK,
            name=op.f("ck_dossier_events_status"),
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_events_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_events")),
    )
    op.create_index(op.f("ix_dossier_events_dossier_id"), "dossier_events", ["dossier_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dossier_events_dossier_id"), table_name="dossier_events")

    op.drop_table("dossier_events")
    op.drop_index(op.f("ix_submission_channels_procedure_id"), table_name="submission_channels")

    op.drop_table("submission_channels")
    op.drop_index(op.f("ix_required_documents_procedure_id"), table_name="required_documents")

    op.drop_table("required_documents")
    op.drop_index(op.f("ix_legal_bases_procedure_id"), table_name="legal_bases")

    op.drop_table("legal_bases")
    op.drop_index(op.f("ix_faqs_procedure_id"), table_name="faqs")

    op.drop_table("faqs")
    op.drop_index(op.f("ix_dossiers_status"), table_name="dossiers")
    op.drop_index(op.f("ix_dossiers_procedure_id"), table_name="dossiers")

    op.drop_table("dossiers")
    op.drop_index(op.f("ix_alias_procedures_procedure_id"), table_name="alias_procedures")

    op.drop_table("alias_procedures")
    op.drop_index(op.f("ix_procedures_sector"), table_name="procedures")
    op.drop_index(op.f("ix_procedures_ministry"), table_name="procedures")

    op.drop_table("procedures")
    op.drop_table("aliases")
    op.drop_table("agencies")
