"""Demo dossiers: fictitious, every status, deterministic, idempotent."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.demo import PROCEDURES, plan, seed_demo
from knowledge.importer import import_files
from knowledge.models import Dossier, DossierStatus
from knowledge.settings import get_settings
from knowledge.verification import verify_secret
from tests.knowledge.conftest import WriteJsonl


def test_seed_demo(
    session: Session, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> None:
    import_files(session, [write_jsonl([seed_records[code] for code, _, _ in PROCEDURES])])
    session.commit()
    assert seed_demo(session) == (40, 0)
    session.commit()
    dossiers = list(
        session.scalars(
            select(Dossier).options(selectinload(Dossier.events), selectinload(Dossier.procedure))
        )
    )
    assert len(dossiers) == 40
    assert {d.status for d in dossiers} == {status.value for status in DossierStatus}
    pattern = re.compile(get_settings().receipt_code_pattern)
    assert all(pattern.fullmatch(d.receipt_code) for d in dossiers)
    assert {d.procedure.code for d in dossiers} == {code for code, _, _ in PROCEDURES}
    for dossier in dossiers:
        assert dossier.events, dossier.receipt_code
        assert dossier.events[0].status == "received"
        assert dossier.events[-1].status == dossier.status
        assert "Thử" in dossier.applicant_name or "Mẫu" in dossier.applicant_name
        assert dossier.due_at is not None
        assert (dossier.finished_at is not None) == (dossier.status in ("returned", "rejected"))
        assert bool(dossier.supplement_request) == (dossier.status == "needs_supplement")
        # Nothing in the future: a real change made now must sort after the seeded history.
        now = datetime.now(UTC)
        assert all(_aware(e.occurred_at) <= now for e in dossier.events), dossier.receipt_code
        assert _aware(dossier.received_at) <= now
    first = next(d for d in dossiers if d.receipt_code.endswith("-0001"))
    assert verify_secret("0001", first.verification_hash)
    assert not verify_secret("0002", first.verification_hash)

    # Same codes every run; seeding again creates nothing.
    assert [item.receipt_code for item in plan()] == [item.receipt_code for item in plan()]
    assert {d.receipt_code for d in dossiers} == {item.receipt_code for item in plan()}
    assert seed_demo(session) == (0, 40)


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_demo_plan_is_fictitious() -> None:
    items = plan()
    assert items[0].receipt_code == "000.22.31.H51-251101-0001"
    assert all(re.fullmatch(r"0900000\d{3}", item.phone) for item in items)
    assert len({item.receipt_code for item in items}) == len(items) == 40
