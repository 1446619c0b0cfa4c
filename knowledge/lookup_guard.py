"""How many wrong proofs a dossier lookup may take: 5 per receipt code and per sender per hour.

The counts live in the database, so neither restarting the conversation
("/restart") nor opening a new one (a new widget session) gives more
guesses. Per receipt code: anyone who knows a code can lock its lookup for
an hour, which is the price of making 4 digits unguessable (at most 5 of
10,000 per hour); the owner can still ask staff. Per sender: guesses spread
over many codes from one conversation count too.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from knowledge.models import LookupFailure

MAX_FAILURES = 5
WINDOW = timedelta(hours=1)


def sender_key(sender_id: str) -> str:
    """The sender, not stored as such (a chat id is personal data)."""
    return hashlib.sha256(f"lookup:{sender_id}".encode()).hexdigest()


def is_locked(session: Session, receipt_code: str | None, sender_id: str, now: datetime) -> bool:
    """True when the code or the sender has had ``MAX_FAILURES`` failed proofs within the window."""
    since = now - WINDOW
    recent = LookupFailure.failed_at > since
    by_sender = session.scalar(
        select(func.count()).where(recent, LookupFailure.sender_key == sender_key(sender_id))
    )
    if (by_sender or 0) >= MAX_FAILURES:
        return True
    if receipt_code is None:
        return False
    by_code = session.scalar(select(func.count()).where(recent, LookupFailure.receipt_code == receipt_code))
    return (by_code or 0) >= MAX_FAILURES


def record_failure(session: Session, receipt_code: str, sender_id: str, now: datetime) -> None:
    """Count one failed proof; forget the ones older than the window."""
    session.execute(delete(LookupFailure).where(LookupFailure.failed_at <= now - WINDOW))
    session.add(LookupFailure(receipt_code=receipt_code, sender_key=sender_key(sender_id), failed_at=now))
    session.flush()


def clear(session: Session, receipt_code: str | None = None, sender_id: str | None = None) -> int:
    """Lift a lock (staff, or tests): the failures of a code and/or a sender."""
    conditions = []
    if receipt_code is not None:
        conditions.append(LookupFailure.receipt_code == receipt_code)
    if sender_id is not None:
        conditions.append(LookupFailure.sender_key == sender_key(sender_id))
    statement = delete(LookupFailure).where(or_(*conditions)) if conditions else delete(LookupFailure)
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
