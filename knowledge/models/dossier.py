"""Dossiers (hồ sơ) citizens handed in, and their status history.

A citizen looks a dossier up by its receipt code and proves it is theirs with
a short secret (the last 4 digits of their phone number). The secret is never
stored: ``verification_hash`` holds a salted scrypt hash (see
``knowledge.verification``).

Status changes arrive from staff (the console), from a CSV export of the
one-stop (một cửa) system, or pushed by that system to the gateway; every
pushed event is kept as it came in ``dossier_event_receipts``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.models.base import KEEP_AS_PUBLISHED, Base, TimestampMixin, utcnow
from knowledge.models.procedure import Procedure


class DossierStatus(StrEnum):
    """Where a dossier stands."""

    RECEIVED = "received"  # đã tiếp nhận
    IN_PROGRESS = "in_progress"  # đang giải quyết
    NEEDS_SUPPLEMENT = "needs_supplement"  # cần bổ sung hồ sơ
    READY = "ready"  # đã có kết quả, chờ trả
    RETURNED = "returned"  # đã trả kết quả
    REJECTED = "rejected"  # từ chối giải quyết
    OVERDUE = "overdue"  # quá hạn


class EventSource(StrEnum):
    """Where a status change came from."""

    CONSOLE = "console"  # a staff member, in the console
    API = "api"  # pushed by the one-stop system (POST /api/v1/dossier-events)
    IMPORT = "import"  # a CSV export of the one-stop system
    DEMO = "demo"  # the fictitious demo dossiers


class ReceiptOutcome(StrEnum):
    """What became of an event the one-stop system pushed."""

    APPLIED = "applied"  # the dossier changed; a DossierEvent was recorded
    UNCHANGED = "unchanged"  # it said nothing new about the dossier
    STALE = "stale"  # older than the dossier's latest event: kept out of its history
    REJECTED = "rejected"  # invalid, or for an unknown dossier; a retry is tried again


_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s.value}'" for s in DossierStatus))
_OUTCOME_CHECK = "outcome IN ({})".format(", ".join(f"'{o.value}'" for o in ReceiptOutcome))


class Dossier(TimestampMixin, Base):
    """A dossier received by an office, identified by its receipt code."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(64), unique=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="RESTRICT"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(255))
    # "scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>"; see knowledge.verification.
    verification_hash: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(32), default=DossierStatus.RECEIVED.value, index=True)
    current_step: Mapped[str | None] = mapped_column(Text)
    pickup_place: Mapped[str | None] = mapped_column(Text)
    # Documents the office asked the applicant to add (status needs_supplement).
    supplement_request: Mapped[list[str]] = mapped_column(default=list)

    procedure: Mapped[Procedure] = relationship()
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        order_by="DossierEvent.occurred_at",
        passive_deletes=True,
    )

    __table_args__ = (CheckConstraint(_STATUS_CHECK, name="status"),)

    def __repr__(self) -> str:
        return f"Dossier({self.receipt_code!r}, {self.status!r})"


class DossierEvent(Base):
    """One change in a dossier's status history."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # An EventSource value; None for events recorded before sources were kept.
    source: Mapped[str | None] = mapped_column(String(16))

    dossier: Mapped[Dossier] = relationship(back_populates="events")

    __table_args__ = (CheckConstraint(_STATUS_CHECK, name="status"),)


class Subscription(TimestampMixin, Base):
    """A conversation that asked to be told when a dossier changes.

    Only made after the citizen proved ownership of the dossier in that
    conversation. ``notified_event_id`` is the last status event the citizen
    was told about; the gateway's notifier sends every later event, then moves
    it forward, so a failed delivery is retried rather than lost.
    """

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    notified_event_id: Mapped[int | None] = mapped_column()

    dossier: Mapped[Dossier] = relationship()

    __table_args__ = (UniqueConstraint("dossier_id", "sender_id"),)

    def __repr__(self) -> str:
        return f"Subscription({self.dossier_id!r}, {self.channel!r}, active={self.is_active!r})"


class DossierEventReceipt(Base):
    """One event pushed by the one-stop system, stored as it came.

    ``event_id`` is the sender's own id: an event already applied is never
    applied again (the endpoint answers "duplicate"), while one that was
    rejected (unknown receipt code, invalid field) is tried again when the
    sender retries it. The payload is kept exactly as received.
    """

    __tablename__ = "dossier_event_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    # As the sender wrote it (normalised when it is a valid code).
    receipt_code: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(info={KEEP_AS_PUBLISHED: True})
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=1)
    outcome: Mapped[str] = mapped_column(String(16))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    dossier_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_events.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (CheckConstraint(_OUTCOME_CHECK, name="outcome"),)

    def __repr__(self) -> str:
        return f"DossierEventReceipt({self.event_id!r}, {self.outcome!r})"


class LookupFailure(Base):
    """A failed proof of ownership in a dossier lookup, kept for an hour.

    Counted per receipt code and per sender, in the database rather than in
    the conversation, so that restarting the conversation or opening a new
    one does not give an attacker more guesses. The sender is kept only as a
    hash, the digits tried not at all.
    """

    __tablename__ = "lookup_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(64), index=True)
    sender_key: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
