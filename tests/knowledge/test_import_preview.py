"""The import's preview: what would change, field by field, without writing anything."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from knowledge import importer
from knowledge.export import export_procedures
from knowledge.importer import import_files, preview_files
from knowledge.models import Procedure
from tests.knowledge.conftest import WriteJsonl

CODES = ("1.001193", "3.000368", "1.010093")  # 1.010093: its published name is not NFC


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent to ``engine`` inside the block."""
    sent: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def records(seed_records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [copy.deepcopy(seed_records[code]) for code in CODES]


def test_preview_of_new_records_writes_nothing(
    engine: Engine, session: Session, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> None:
    with statements(engine) as sent:
        report = preview_files(session, [write_jsonl(records(seed_records))])
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert [change.code for change in report.created_records] == list(CODES)
    assert report.created_records[2].name.startswith("Đăng ký hoạt động ứng phó")
    assert not {"INSERT", "UPDATE", "DELETE"} & set(sent)
    assert session.scalar(select(func.count()).select_from(Procedure)) == 0


def test_preview_lists_changed_fields_and_kept_staff_edits_like_the_import(
    engine: Engine, session: Session, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> None:
    given = records(seed_records)
    import_files(session, [write_jsonl(given)])
    session.commit()
    edited = session.scalars(select(Procedure).where(Procedure.code == "1.001193")).one()
    edited.name = "Đăng ký khai sinh (tên do cán bộ sửa)"
    edited.mark_edited("name")
    session.commit()
    given[0]["ten_thu_tuc"] = "Tên mới từ nguồn"
    given[1]["linh_vuc"] = "Hàng không (nguồn mới)"
    given[2]["so_quyet_dinh"] = "99/QĐ-BNNMT"  # the NFC-only difference of its name is no change
    path = write_jsonl(given, name="changed.jsonl")

    with statements(engine) as sent:
        preview = preview_files(session, [path])
    assert not {"INSERT", "UPDATE", "DELETE"} & set(sent)
    changes = {change.code: (change.fields, change.kept) for change in preview.updated_records}
    assert changes == {
        "1.001193": ([], ["name"]),
        "3.000368": (["sector"], []),
        "1.010093": (["decision_number"], []),
    }
    assert preview.updated_records[0].name == "Đăng ký khai sinh (tên do cán bộ sửa)"
    session.expire_all()
    stored = {p.code: (p.name, p.sector, p.decision_number) for p in session.scalars(select(Procedure))}
    assert stored["3.000368"][1] == seed_records["3.000368"]["linh_vuc"]
    assert stored["1.010093"][2] == seed_records["1.010093"]["so_quyet_dinh"]

    report = import_files(session, [path])
    session.commit()
    assert [c.as_dict() for c in report.updated_records] == [c.as_dict() for c in preview.updated_records]
    assert report.as_dict()["changes"]["updated"][1] == {"code": "3.000368", "fields": ["sector"], "kept": []}
    session.expire_all()
    assert session.scalars(select(Procedure.sector).where(Procedure.code == "3.000368")).one() == (
        "Hàng không (nguồn mới)"
    )


def test_lines_that_are_not_json_objects_are_reported_not_fatal(
    session: Session, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> None:
    path = write_jsonl([seed_records["1.001193"]])
    path.write_bytes(b'{"ma_thu_tuc": \n[1, 2]\n\xff\xfe not text\n' + path.read_bytes() + b'"text"\n')
    report = import_files(session, [path])
    assert report.created == 1
    assert report.skipped == {"invalid_json": 4}
    assert [r["line"] for r in report.skipped_records] == [1, 2, 3, 5]


def test_a_new_version_that_stores_the_same_values_is_unchanged(
    session: Session,
    seed_records: dict[str, dict[str, Any]],
    write_jsonl: WriteJsonl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_jsonl(records(seed_records))
    import_files(session, [path])
    session.commit()
    stamps = {p.code: (p.updated_at, p.source_hash) for p in session.scalars(select(Procedure))}
    monkeypatch.setattr(importer, "PARSER_VERSION", "parsers-changed")  # every record's hash differs
    assert (preview_files(session, [path]).updated, preview_files(session, [path]).unchanged) == (0, 3)

    report = import_files(session, [path])
    session.commit()
    assert (report.updated, report.unchanged, report.updated_records) == (0, 3, [])
    session.expire_all()
    after = {p.code: p.source_hash for p in session.scalars(select(Procedure))}
    assert all(after[code] != stamps[code][1] for code in CODES)  # the next import takes the fast path

    out = io.StringIO()
    export_procedures(session, out)
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    report = import_files(session, [write_jsonl(exported, name="export.jsonl")])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
