"""The models and their migrations, on SQLite and (TEST_POSTGRES_URL) PostgreSQL."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.db import make_engine
from knowledge.migrate import downgrade, upgrade
from knowledge.models import (
    Agency,
    Alias,
    Base,
    Dossier,
    DossierEvent,
    DossierStatus,
    Faq,
    Procedure,
    SubmissionChannel,
)
from knowledge.settings import LEVEL_COMMUNE, LEVEL_PROVINCE
from knowledge.verification import hash_secret, secret_from_phone, verify_secret

DECOMPOSED = "Đăng ky\u0301 hoa\u0323t đô\u0323ng"  # "Đăng ký hoạt động" with combining marks


def procedure(code: str = "9.000001", **values: object) -> Procedure:
    return Procedure(code=code, name=values.pop("name", "Thủ tục thử"), **values)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_and_up(make_database: Callable[[str], AbstractContextManager[str]]) -> None:
    with make_database("updown") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            tables = set(inspect(engine).get_table_names())
            assert {"procedures", "submission_channels", "aliases", "dossiers", "dossier_events"} <= tables
            downgrade(engine, "base")
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            upgrade(engine)
            assert "procedures" in inspect(engine).get_table_names()
        finally:
            engine.dispose()


def test_text_is_stored_nfc_but_the_published_record_as_it_came(session: Session) -> None:
    raw = {"ten_thu_tuc": DECOMPOSED}
    item = procedure(name=DECOMPOSED, sector=DECOMPOSED, subjects=[DECOMPOSED], raw_record=raw)
    item.channels.append(
        SubmissionChannel(channel="truc_tiep", channel_text="Trực tiếp", fee_note=DECOMPOSED)
    )
    session.add(item)
    session.commit()
    name, sector = session.execute(text("SELECT name, sector FROM procedures")).one()
    assert name == sector == unicodedata.normalize("NFC", DECOMPOSED) != DECOMPOSED
    session.expire_all()
    stored = session.scalars(select(Procedure)).one()
    assert stored.subjects == [unicodedata.normalize("NFC", DECOMPOSED)]
    assert stored.channels[0].fee_note == unicodedata.normalize("NFC", DECOMPOSED)
    assert stored.raw_record == {"ten_thu_tuc": DECOMPOSED}


def test_code_is_unique(session: Session) -> None:
    session.add_all([procedure("9.000001"), procedure("9.000001")])
    with pytest.raises(IntegrityError):
        session.commit()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(SubmissionChannel(procedure_id=999_999, channel="truc_tiep", channel_text="Trực tiếp"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_deleting_a_procedure_deletes_its_rows(session: Session) -> None:
    item = procedure()
    item.channels.append(SubmissionChannel(channel="truc_tuyen", channel_text="Trực tuyến"))
    session.add(item)
    session.commit()
    session.execute(text("DELETE FROM procedures"))
    session.commit()
    assert session.scalar(text("SELECT count(*) FROM submission_channels")) == 0


def test_levels_and_edited_fields(session: Session) -> None:
    item = procedure(level_province=True, level_commune=True)
    assert item.levels == (LEVEL_PROVINCE, LEVEL_COMMUNE)
    item.mark_edited("name", "channels")
    item.mark_edited("name")
    assert item.edited_fields == ["channels", "name"]
    with pytest.raises(ValueError, match="not editable"):
        item.mark_edited("raw_record")


def test_aliases_point_to_several_procedures(session: Session) -> None:
    first, second = procedure("9.000001"), procedure("9.000002")
    alias = Alias(text="sổ đỏ", normalized="so do", procedures=[first, second])
    session.add(alias)
    session.commit()
    assert [p.code for p in session.scalars(select(Alias)).one().procedures] == ["9.000001", "9.000002"]
    assert [a.text for a in first.aliases] == ["sổ đỏ"]


def test_dossier_with_history_and_checked_status(session: Session) -> None:
    item = procedure()
    received = datetime(2025, 11, 20, 8, tzinfo=UTC)
    dossier = Dossier(
        receipt_code="000.00.04.H51-251120-0099",
        procedure=item,
        applicant_name="Nguyễn Văn Thử",
        verification_hash=hash_secret("0099"),
        received_at=received,
        status=DossierStatus.IN_PROGRESS.value,
    )
    dossier.events.append(DossierEvent(occurred_at=received, status=DossierStatus.RECEIVED.value))
    session.add(dossier)
    session.commit()
    assert session.scalars(select(Dossier)).one().events[0].status == "received"
    session.add(
        Dossier(
            receipt_code="000.00.04.H51-251120-0100",
            procedure=item,
            applicant_name="Trần Thị Mẫu",
            verification_hash=hash_secret("0100"),
            received_at=received,
            status="lost",
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()


def test_agencies_and_faqs(session: Session) -> None:
    item = procedure()
    session.add_all(
        [
            Agency(
                name="Trung tâm Phục vụ hành chính công tỉnh", opening_hours="Thứ 2 - Thứ 6: 7h30 - 17h00"
            ),
            Faq(question="Làm giấy khai sinh ở đâu?", answer="Tại Ủy ban nhân dân cấp xã.", procedure=item),
        ]
    )
    session.commit()
    assert session.scalars(select(Faq)).one().procedure is item


def test_sqlite_pragmas(tmp_path: object, database_kind: str) -> None:
    if database_kind != "sqlite":
        # The pragmas are SQLite's own; the PostgreSQL run of this suite has none to check.
        pytest.skip("SQLite only")
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas/t.db")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_verification_secret() -> None:
    assert secret_from_phone("0900 000 012") == "0012"
    stored = hash_secret("0012")
    assert stored.startswith("scrypt$") and "0012" not in stored
    assert verify_secret("0012", stored)
    assert verify_secret(" 00 12 ", stored)
    assert not verify_secret("0013", stored)
    assert not verify_secret("0012", "bcrypt$x")
    assert hash_secret("0012") != stored  # a fresh salt every time
