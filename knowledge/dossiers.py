"""Dossiers: look them up, create them, change their status.

The one place that writes dossiers, shared by the staff console, the CSV
import (``knowledge.dossier_import``) and the one-stop system's events API
(``bot.dossier_events``). Every status change appends a ``DossierEvent``; the
gateway's notifier tells subscribed citizens about each new event, so nothing
else has to be done to notify them.

A change is planned first (``plan_status_change``, ``plan_new_dossier``:
every check, no write), then applied. The import's dry run uses the plans
alone, so its preview reports exactly what the real run does. Errors are
``DossierError`` with a Vietnamese message for staff (see
``knowledge.dossier_fields``); log lines name dossiers by id only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import messages
from knowledge.dossier_fields import (
    MAX_PICKUP_PLACE,
    MAX_STEP,
    DossierError,
    applicant_name,
    check_deadline,
    clean_note,
    clean_phone,
    clean_text,
    parse_status,
    receipt_code,
    stored_utc,
    supplements_for,
    to_utc,
)
from knowledge.models import Dossier, DossierEvent, DossierStatus, EventSource, Procedure
from knowledge.models.base import utcnow
from knowledge.receipt_codes import normalize_receipt_code
from knowledge.verification import hash_secret, secret_from_phone, verify_secret

logger = logging.getLogger(__name__)

FINAL_STATUSES = frozenset({DossierStatus.RETURNED, DossierStatus.REJECTED})
CODE_CHUNK = 500

__all__ = [
    "FINAL_STATUSES",
    "DossierError",
    "NewDossier",
    "StatusChange",
    "add_dossier",
    "apply_status_change",
    "change_status",
    "create_dossier",
    "find_dossier",
    "find_dossiers",
    "find_procedures",
    "latest_event",
    "list_dossiers",
    "phone_matches",
    "plan_new_dossier",
    "plan_status_change",
    "set_phone",
]


# ---------------------------------------------------------------------- lookups


def find_dossier(session: Session, code: str, *, pattern: str | None = None) -> Dossier | None:
    """The dossier of a receipt code as typed (normalised first), or None."""
    normalised = normalize_receipt_code(code, pattern) if code and code.strip() else None
    if normalised is None:
        return None
    return session.scalar(select(Dossier).where(Dossier.receipt_code == normalised))


def find_dossiers(session: Session, codes: Iterable[str]) -> dict[str, Dossier]:
    """The dossiers of normalised receipt codes, by code (missing ones left out)."""
    wanted = sorted(set(codes))
    found: dict[str, Dossier] = {}
    for start in range(0, len(wanted), CODE_CHUNK):
        chunk = wanted[start : start + CODE_CHUNK]
        for dossier in session.scalars(select(Dossier).where(Dossier.receipt_code.in_(chunk))):
            found[dossier.receipt_code] = dossier
    return found


def find_procedures(session: Session, codes: Iterable[str]) -> dict[str, Procedure]:
    """Procedures by national code (missing ones left out)."""
    wanted = sorted({code.strip() for code in codes if code and code.strip()})
    found: dict[str, Procedure] = {}
    for start in range(0, len(wanted), CODE_CHUNK):
        chunk = wanted[start : start + CODE_CHUNK]
        for procedure in session.scalars(select(Procedure).where(Procedure.code.in_(chunk))):
            found[procedure.code] = procedure
    return found


def list_dossiers(
    session: Session,
    *,
    status: DossierStatus | str | None = None,
    procedure_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Dossier]:
    """Dossiers, most recently changed first, optionally of one status or procedure."""
    query = select(Dossier).order_by(Dossier.updated_at.desc(), Dossier.id.desc())
    if status is not None:
        query = query.where(Dossier.status == parse_status(status).value)
    if procedure_code:
        query = query.join(Dossier.procedure).where(Procedure.code == procedure_code.strip())
    return list(session.scalars(query.limit(limit).offset(offset)))


def latest_event(dossier: Dossier) -> DossierEvent | None:
    """The dossier's most recent status event (by time, then by order of recording)."""
    if not dossier.events:
        return None
    return max(dossier.events, key=lambda event: (stored_utc(event.occurred_at), event.id or 0))


def phone_matches(dossier: Dossier, phone: str) -> bool:
    """True if ``phone`` ends with the 4 digits the dossier's proof was made from (slow: scrypt)."""
    return verify_secret(secret_from_phone(clean_phone(phone)), dossier.verification_hash)


def set_phone(dossier: Dossier, phone: str) -> None:
    """Keep only the proof made from ``phone`` (its last 4 digits, hashed); the number is not stored."""
    dossier.verification_hash = hash_secret(secret_from_phone(clean_phone(phone)))


def _source(source: EventSource | str) -> EventSource:
    try:
        return EventSource(source)
    except ValueError:
        raise DossierError(messages.DOSSIER_BAD_SOURCE.format(source=source)) from None


# --------------------------------------------------------------- status changes


@dataclass(frozen=True)
class StatusChange:
    """A checked status change of one dossier, not yet applied."""

    status: DossierStatus
    step: str | None
    supplements: list[str]
    pickup_place: str | None
    note: str | None
    occurred_at: datetime
    source: EventSource
    # Which of "status", "step", "supplements", "note" it changes or adds.
    changes: tuple[str, ...]


def plan_status_change(
    dossier: Dossier,
    status: DossierStatus | str,
    *,
    note: str | None = None,
    step: str | None = None,
    supplements: Sequence[str] | None = None,
    pickup_place: str | None = None,
    occurred_at: datetime | None = None,
    source: EventSource | str = EventSource.CONSOLE,
) -> StatusChange | None:
    """Check a status change; None when it changes nothing and carries no note.

    ``step`` becomes the current step; on a status change without one, the
    old step is cleared. ``supplements`` (documents to add) are accepted only
    with ``needs_supplement``, which keeps the earlier list when none is
    given; any other status clears them. ``pickup_place`` is set when given
    but is not, alone, a change worth an event.
    """
    new_status = parse_status(status)
    origin = _source(source)
    when = to_utc(occurred_at) if occurred_at is not None else utcnow()
    note = clean_note(note)
    step = clean_text(step, messages.FIELD_STEP, MAX_STEP)
    pickup = clean_text(pickup_place, messages.FIELD_PICKUP_PLACE, MAX_PICKUP_PLACE)
    wanted = supplements_for(new_status, supplements)

    current_supplements = list(dossier.supplement_request or [])
    status_changed = new_status.value != dossier.status
    new_step = step if step is not None else (None if status_changed else dossier.current_step)
    if new_status is DossierStatus.NEEDS_SUPPLEMENT:
        new_supplements = wanted if wanted is not None else current_supplements
    else:
        new_supplements = []
    changes = tuple(
        name
        for name, changed in (
            ("status", status_changed),
            ("step", new_step != dossier.current_step),
            ("supplements", new_supplements != current_supplements),
            ("note", note is not None),
        )
        if changed
    )
    if not changes:
        return None
    return StatusChange(
        status=new_status,
        step=new_step,
        supplements=new_supplements,
        pickup_place=pickup if pickup is not None else dossier.pickup_place,
        note=note,
        occurred_at=when,
        source=origin,
        changes=changes,
    )


def apply_status_change(session: Session, dossier: Dossier, change: StatusChange) -> DossierEvent:
    """Write a planned change: the dossier's fields and a new ``DossierEvent``."""
    old_status = dossier.status
    dossier.status = change.status.value
    dossier.current_step = change.step
    dossier.supplement_request = list(change.supplements)
    dossier.pickup_place = change.pickup_place
    if change.status in FINAL_STATUSES:
        if old_status != change.status.value or dossier.finished_at is None:
            dossier.finished_at = change.occurred_at
    else:
        dossier.finished_at = None
    event = DossierEvent(
        occurred_at=change.occurred_at,
        status=change.status.value,
        step=change.step,
        note=change.note,
        source=change.source.value,
    )
    dossier.events.append(event)
    session.flush()
    logger.info(
        "dossier %s: %s -> %s (event %s, from %s)",
        dossier.id,
        old_status,
        change.status.value,
        event.id,
        change.source.value,
    )
    return event


def change_status(
    session: Session,
    dossier: Dossier,
    status: DossierStatus | str,
    *,
    note: str | None = None,
    step: str | None = None,
    supplements: Sequence[str] | None = None,
    pickup_place: str | None = None,
    occurred_at: datetime | None = None,
    source: EventSource | str = EventSource.CONSOLE,
) -> DossierEvent | None:
    """Move ``dossier`` to ``status`` and record it as a ``DossierEvent`` (subscribers are told).

    See ``plan_status_change`` for the rules. ``returned`` and ``rejected``
    set ``finished_at``; any other status clears it. Returns the new event,
    or None when nothing changed and no note was given (then only a given
    ``pickup_place`` is stored). Raises ``DossierError``.
    """
    change = plan_status_change(
        dossier,
        status,
        note=note,
        step=step,
        supplements=supplements,
        pickup_place=pickup_place,
        occurred_at=occurred_at,
        source=source,
    )
    if change is None:
        pickup = clean_text(pickup_place, messages.FIELD_PICKUP_PLACE, MAX_PICKUP_PLACE)
        if pickup is not None:
            dossier.pickup_place = pickup
        return None
    return apply_status_change(session, dossier, change)


# ------------------------------------------------------------------ new dossiers


@dataclass(frozen=True)
class NewDossier:
    """A checked new dossier, not yet stored. The phone is reduced to its 4-digit proof."""

    receipt_code: str
    procedure: Procedure
    applicant_name: str
    secret: str
    received_at: datetime
    due_at: datetime | None
    status: DossierStatus
    step: str | None
    note: str | None
    supplements: list[str]
    pickup_place: str | None

    def __repr__(self) -> str:  # never shows the name or the proof
        return f"NewDossier({self.receipt_code!r}, {self.status.value!r})"


def plan_new_dossier(
    code: str,
    procedure: Procedure | None,
    procedure_code: str,
    name: str,
    phone: str,
    received_at: datetime,
    due_at: datetime | None = None,
    *,
    status: DossierStatus | str = DossierStatus.RECEIVED,
    step: str | None = None,
    note: str | None = None,
    supplements: Sequence[str] | None = None,
    pickup_place: str | None = None,
    pattern: str | None = None,
) -> NewDossier:
    """Check a new dossier whose procedure was looked up (None: unknown ``procedure_code``)."""
    normalised = receipt_code(code, pattern)
    new_status = parse_status(status)
    if procedure is None:
        raise DossierError(messages.DOSSIER_UNKNOWN_PROCEDURE.format(code=procedure_code.strip()[:32]))
    received = to_utc(received_at)
    due = to_utc(due_at) if due_at is not None else None
    check_deadline(received, due)
    return NewDossier(
        receipt_code=normalised,
        procedure=procedure,
        applicant_name=applicant_name(name),
        secret=secret_from_phone(clean_phone(phone)),
        received_at=received,
        due_at=due,
        status=new_status,
        step=clean_text(step, messages.FIELD_STEP, MAX_STEP),
        note=clean_note(note),
        supplements=supplements_for(new_status, supplements) or [],
        pickup_place=clean_text(pickup_place, messages.FIELD_PICKUP_PLACE, MAX_PICKUP_PLACE),
    )


def add_dossier(
    session: Session,
    new: NewDossier,
    *,
    status_at: datetime | None = None,
    source: EventSource | str = EventSource.CONSOLE,
) -> Dossier:
    """Store a checked dossier with its "received" event (at its ``received_at``).

    With another status than ``received``, that change follows as a second
    event at ``status_at`` (default now, never before the receipt).
    """
    origin = _source(source)
    received_now = new.status is DossierStatus.RECEIVED
    dossier = Dossier(
        receipt_code=new.receipt_code,
        procedure=new.procedure,
        applicant_name=new.applicant_name,
        verification_hash=hash_secret(new.secret),
        received_at=new.received_at,
        due_at=new.due_at,
        status=DossierStatus.RECEIVED.value,
        current_step=new.step if received_now else None,
        pickup_place=new.pickup_place,
        supplement_request=[],
    )
    dossier.events.append(
        DossierEvent(
            occurred_at=new.received_at,
            status=DossierStatus.RECEIVED.value,
            step=dossier.current_step,
            note=(new.note if received_now else None) or messages.DOSSIER_RECEIVED_NOTE,
            source=origin.value,
        )
    )
    session.add(dossier)
    session.flush()
    logger.info("dossier %s created (from %s)", dossier.id, origin.value)
    if not received_now:
        when = max(to_utc(status_at) if status_at is not None else utcnow(), new.received_at)
        change = plan_status_change(
            dossier,
            new.status,
            note=new.note,
            step=new.step,
            supplements=new.supplements,
            occurred_at=when,
            source=origin,
        )
        if change is not None:
            apply_status_change(session, dossier, change)
    return dossier


def create_dossier(
    session: Session,
    receipt_code: str,
    procedure_code: str,
    applicant_name: str,
    phone: str,
    received_at: datetime,
    due_at: datetime | None = None,
    *,
    status: DossierStatus | str = DossierStatus.RECEIVED,
    step: str | None = None,
    note: str | None = None,
    supplements: Sequence[str] | None = None,
    pickup_place: str | None = None,
    status_at: datetime | None = None,
    source: EventSource | str = EventSource.CONSOLE,
    pattern: str | None = None,
) -> Dossier:
    """Check and store a new dossier (see ``plan_new_dossier`` and ``add_dossier``).

    ``phone`` is not stored, only a hash of its last 4 digits (the citizen's
    proof). Raises ``DossierError`` for an invalid value, an unknown procedure
    or a receipt code already used.
    """
    procedure = find_procedures(session, [procedure_code]).get(procedure_code.strip())
    new = plan_new_dossier(
        receipt_code,
        procedure,
        procedure_code,
        applicant_name,
        phone,
        received_at,
        due_at,
        status=status,
        step=step,
        note=note,
        supplements=supplements,
        pickup_place=pickup_place,
        pattern=pattern,
    )
    if find_dossier(session, new.receipt_code, pattern=pattern) is not None:
        raise DossierError(messages.DOSSIER_EXISTS.format(code=new.receipt_code))
    return add_dossier(session, new, status_at=status_at, source=source)
