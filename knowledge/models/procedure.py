"""The procedure catalogue: procedures and what hangs off them.

``Procedure`` holds the procedure as the national database publishes it,
parsed into typed fields, with the published text kept beside every parsed
value (``*_text`` columns, per-row ``*_text``) so an answer can always fall
back to what the portal says. ``raw_record`` keeps the published record
exactly as it came.

Staff edits win over re-imports: the names of the fields staff changed are
listed in ``Procedure.edited_fields`` and the importer leaves them alone
(``channels``, ``documents`` and ``legal_bases`` name the child tables).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.models.base import KEEP_AS_PUBLISHED, Base, TimestampMixin
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE


class ChannelKind(StrEnum):
    """How a dossier is submitted."""

    IN_PERSON = "truc_tiep"
    ONLINE = "truc_tuyen"
    POSTAL = "buu_chinh"


class TimeUnit(StrEnum):
    """Unit of a processing time."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "hours"
    MONTHS = "months"


class DocumentGroup(StrEnum):
    """Whether a document is handed in, only shown, or something else."""

    SUBMIT = "submit"  # phải nộp
    PRESENT = "present"  # phải xuất trình
    OTHER = "other"


class AliasOrigin(StrEnum):
    """Where an alias comes from."""

    SEED = "seed"  # knowledge/data/aliases.yml
    STAFF = "staff"  # added by staff


# Fields of a procedure that staff may edit (``edited_fields`` holds names from here).
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "sector",
    "levels",
    "procedure_type",
    "subjects",
    "competent_agency",
    "executing_agency",
    "delegated_agency",
    "coordinating_agency",
    "receiving_address",
    "steps",
    "conditions",
    "results",
    "related_procedures",
    "decision_number",
    "url",
    "is_active",
    "channels",
    "documents",
    "legal_bases",
)


alias_procedures = Table(
    "alias_procedures",
    Base.metadata,
    Column("alias_id", ForeignKey("aliases.id", ondelete="CASCADE"), primary_key=True),
    Column("procedure_id", ForeignKey("procedures.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Procedure(TimestampMixin, Base):
    """An administrative procedure (thủ tục hành chính)."""

    __tablename__ = "procedures"
    # The servers' search watches max(updated_at) for changes (knowledge.catalog).
    __table_args__ = (Index("ix_procedures_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    sector: Mapped[str | None] = mapped_column(String(255), index=True)
    # Levels: one flag per level, and the published text ("Cấp bộ, Cấp tỉnh").
    level_ministry: Mapped[bool] = mapped_column(Boolean, default=False)
    level_province: Mapped[bool] = mapped_column(Boolean, default=False)
    level_commune: Mapped[bool] = mapped_column(Boolean, default=False)
    level_other: Mapped[bool] = mapped_column(Boolean, default=False)
    levels_text: Mapped[str | None] = mapped_column(String(255))
    procedure_type: Mapped[str | None] = mapped_column(String(255))
    subjects: Mapped[list[str]] = mapped_column(default=list)
    subjects_text: Mapped[str | None] = mapped_column(Text)
    competent_agency: Mapped[str | None] = mapped_column(Text)
    executing_agency: Mapped[str | None] = mapped_column(Text)
    delegated_agency: Mapped[str | None] = mapped_column(Text)
    coordinating_agency: Mapped[str | None] = mapped_column(Text)
    receiving_address: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[str]] = mapped_column(default=list)
    steps_text: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    # Result documents: [{"name": ..., "code": "KQ.G01.000291" | None}].
    results: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    results_text: Mapped[str | None] = mapped_column(Text)
    related_procedures: Mapped[str | None] = mapped_column(Text)
    decision_number: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(512))
    portal_id: Mapped[str | None] = mapped_column(String(64))
    # Published text of the three tables, as cut from the page (or re-cut, see parse_issues).
    channels_text: Mapped[str | None] = mapped_column(Text)
    documents_text: Mapped[str | None] = mapped_column(Text)
    legal_bases_text: Mapped[str | None] = mapped_column(Text)
    # Provenance: the source file's kind, the ministry list the code came from.
    source: Mapped[str] = mapped_column(String(64), default="staff")
    ministry: Mapped[str | None] = mapped_column(String(64), index=True)
    raw_record: Mapped[dict[str, Any] | None] = mapped_column(info={KEEP_AS_PUBLISHED: True})
    source_hash: Mapped[str | None] = mapped_column(String(64))
    # What the importer could not parse, and why: ["channels: section cut, re-cut from raw_text", ...].
    parse_issues: Mapped[list[str]] = mapped_column(default=list)
    edited_fields: Mapped[list[str]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    channels: Mapped[list[SubmissionChannel]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="SubmissionChannel.position",
        passive_deletes=True,
    )
    documents: Mapped[list[RequiredDocument]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="RequiredDocument.position",
        passive_deletes=True,
    )
    legal_bases: Mapped[list[LegalBasis]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="LegalBasis.position",
        passive_deletes=True,
    )
    aliases: Mapped[list[Alias]] = relationship(secondary=alias_procedures, back_populates="procedures")

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels that perform the procedure, as the national data names them."""
        flags = (
            (self.level_ministry, LEVEL_MINISTRY),
            (self.level_province, LEVEL_PROVINCE),
            (self.level_commune, LEVEL_COMMUNE),
            (self.level_other, LEVEL_OTHER),
        )
        return tuple(label for flag, label in flags if flag)

    def mark_edited(self, *fields: str) -> None:
        """Record that staff edited ``fields`` (re-imports will keep them)."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        self.edited_fields = sorted(set(self.edited_fields or ()) | set(fields))

    def __repr__(self) -> str:
        return f"Procedure({self.code!r})"


class SubmissionChannel(Base):
    """One row of "Cách thức thực hiện": channel, processing time and fee."""

    __tablename__ = "submission_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    channel: Mapped[str] = mapped_column(String(16))  # a ChannelKind value
    channel_text: Mapped[str] = mapped_column(String(64))
    # Processing time: number (maximum in time_max for a range) + unit + published text.
    time_value: Mapped[float | None] = mapped_column(Float)
    time_max: Mapped[float | None] = mapped_column(Float)
    time_unit: Mapped[str | None] = mapped_column(String(16))  # a TimeUnit value; None: bare number
    time_text: Mapped[str | None] = mapped_column(Text)
    # Fee: published text, amount as stated, amount in VND decided, note in brackets.
    fee_text: Mapped[str | None] = mapped_column(Text)
    fee_free: Mapped[bool | None] = mapped_column(Boolean)
    fee_amount: Mapped[float | None] = mapped_column(Numeric(18, 2, asdecimal=False))
    fee_currency: Mapped[str | None] = mapped_column(String(8))
    fee_amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    fee_note: Mapped[str | None] = mapped_column(Text)
    # Decisions the parser took about the fee: "free_but_amount_in_note", "amount_from_note_x1000", ...
    fee_flags: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(back_populates="channels")

    __table_args__ = (
        CheckConstraint("channel IN ('truc_tiep', 'truc_tuyen', 'buu_chinh')", name="channel_kind"),
    )


class RequiredDocument(Base):
    """One document of "Thành phần hồ sơ"."""

    __tablename__ = "required_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    group: Mapped[str] = mapped_column(String(16), default=DocumentGroup.SUBMIT.value)
    # The case the document belongs to, when the table is split by case ("Trường hợp ủy quyền...").
    case_title: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    originals: Mapped[int | None] = mapped_column(Integer)
    copies: Mapped[int | None] = mapped_column(Integer)
    quantity_text: Mapped[str | None] = mapped_column(String(255))
    template: Mapped[str | None] = mapped_column(Text)  # form file name(s), "; "-separated
    note: Mapped[str | None] = mapped_column(Text)

    procedure: Mapped[Procedure] = relationship(back_populates="documents")


class LegalBasis(Base):
    """One row of "Căn cứ pháp lý": the document's number and title."""

    __tablename__ = "legal_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(String(255))

    procedure: Mapped[Procedure] = relationship(back_populates="legal_bases")


class Alias(TimestampMixin, Base):
    """A name people use for one or more procedures ("sổ đỏ", "làm căn cước")."""

    __tablename__ = "aliases"
    __table_args__ = (Index("ix_aliases_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(255))
    # textnorm.normalize(text): folded, abbreviations expanded; unique.
    normalized: Mapped[str] = mapped_column(String(255), unique=True)
    origin: Mapped[str] = mapped_column(String(16), default=AliasOrigin.STAFF.value)
    # A seed alias staff removed stays, inactive, so that re-seeding does not bring it back.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    procedures: Mapped[list[Procedure]] = relationship(secondary=alias_procedures, back_populates="aliases")

    def __repr__(self) -> str:
        return f"Alias({self.text!r})"
