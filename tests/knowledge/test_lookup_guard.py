"""Failed dossier proofs counted in the database: per code, per sender, for an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import lookup_guard
from knowledge.models import LookupFailure

CODE = "000.00.04.H51-251201-0001"
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def _fail(session: Session, code: str, sender: str, minutes_ago: float = 0) -> None:
    lookup_guard.record_failure(session, code, sender, NOW - timedelta(minutes=minutes_ago))


def test_five_failures_on_a_code_lock_it_for_everyone(session: Session) -> None:
    for number in range(4):
        _fail(session, CODE, f"web:attacker-{number}")
    assert not lookup_guard.is_locked(session, CODE, "web:owner", NOW)
    _fail(session, CODE, "web:attacker-4")
    assert lookup_guard.is_locked(session, CODE, "web:owner", NOW)
    assert not lookup_guard.is_locked(session, "000.00.04.H51-251201-0002", "web:owner", NOW)


def test_five_failures_from_one_sender_lock_that_sender_on_every_code(session: Session) -> None:
    for number in range(5):
        _fail(session, f"000.00.04.H51-251201-000{number}", "tg:42")
    assert lookup_guard.is_locked(session, "000.00.04.H51-251201-0009", "tg:42", NOW)
    assert lookup_guard.is_locked(session, None, "tg:42", NOW)
    assert not lookup_guard.is_locked(session, "000.00.04.H51-251201-0009", "tg:43", NOW)


def test_failures_older_than_an_hour_do_not_count_and_are_forgotten(session: Session) -> None:
    for _ in range(5):
        _fail(session, CODE, "web:x", minutes_ago=61)
    assert not lookup_guard.is_locked(session, CODE, "web:x", NOW)
    _fail(session, CODE, "web:x")
    assert len(session.scalars(select(LookupFailure)).all()) == 1


def test_the_sender_is_not_stored_and_a_lock_can_be_lifted(session: Session) -> None:
    for _ in range(5):
        _fail(session, CODE, "tg:123456789")
    stored = session.scalars(select(LookupFailure)).all()
    assert all("123456789" not in row.sender_key for row in stored)
    assert lookup_guard.clear(session, receipt_code=CODE) == 5
    assert not lookup_guard.is_locked(session, CODE, "tg:123456789", NOW)
