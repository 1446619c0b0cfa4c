"""Staff edits of every part of a procedure: fields, documents, legal bases, channels, aliases, questions.

Each change is audited with the whole procedure before and after, shows in
its history, can be put back, marks the edited part so a re-import keeps it,
and moves ``updated_at`` so the servers' search follows.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge import aliases, audit
from knowledge import procedure_structure as structure
from knowledge.catalog import Catalog, knowledge_version, load_search_docs
from knowledge.directory_edit import InvalidEntryError
from knowledge.importer import import_files
from knowledge.models import AuditEntry, Faq, Procedure
from knowledge.procedure_edit import load, save, snapshot
from tests.knowledge.conftest import WriteJsonl
from tests.knowledge.test_catalog import Clock, add_procedures

CODE = "1.000656"  # Thủ tục đăng ký khai tử: 27 documents, 15 legal bases, 3 channels
EDITOR = "thu.editor"
NEW_DOCUMENT = {
    "group": "submit",
    "case_title": "",
    "name": "Bản sao sổ hộ khẩu của người chết",
    "originals": "",
    "copies": "1",
    "template": "",
    "note": "",
}


@pytest.fixture
def imported(session: Session, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl) -> Procedure:
    """The death registration, imported from the national data."""
    import_files(session, [write_jsonl([seed_records[CODE]])])
    session.commit()
    return load(session, CODE)


def fresh(session: Session) -> Procedure:
    session.expire_all()
    return load(session, CODE)


def entries(session: Session) -> list[AuditEntry]:
    return audit.history(session, "procedure", CODE)


def names(procedure: Procedure) -> list[str]:
    return [document.name for document in procedure.documents]


def test_a_document_is_added_changed_moved_and_removed(session: Session, imported: Procedure) -> None:
    published = names(imported)
    stamp = imported.updated_at.replace(tzinfo=None)  # SQLite gives it back without the zone
    assert structure.add_row(session, CODE, "documents", NEW_DOCUMENT, EDITOR, position=0) == ["documents"]
    session.commit()
    procedure = fresh(session)
    first = procedure.documents[0]
    assert names(procedure) == [NEW_DOCUMENT["name"], *published]
    assert [d.position for d in procedure.documents] == list(range(len(published) + 1))
    assert (first.group, first.case_title, first.originals, first.copies) == ("submit", None, None, 1)
    assert first.quantity_text == "0 bản chính, 1 bản sao"
    assert procedure.edited_fields == ["documents"]
    assert procedure.updated_at.replace(tzinfo=None) > stamp

    changed = dict(
        NEW_DOCUMENT, name="Bản sao sổ hộ khẩu", originals="1", copies="0", template="Mẫu TK-01.docx"
    )
    assert structure.update_row(session, CODE, "documents", first.id, changed, EDITOR) == ["documents"]
    assert structure.move_row(session, CODE, "documents", first.id, 1, EDITOR) == ["documents"]
    assert structure.move_row(session, CODE, "documents", procedure.documents[-1].id, 1, EDITOR) == []
    session.commit()
    procedure = fresh(session)
    moved = procedure.documents[1]
    assert (moved.id, moved.name, moved.quantity_text, moved.template) == (
        first.id,
        "Bản sao sổ hộ khẩu",
        "1 bản chính",
        "Mẫu TK-01.docx",
    )
    assert names(procedure)[0] == published[0]

    assert structure.remove_row(session, CODE, "documents", first.id, EDITOR) == ["documents"]
    session.commit()
    assert names(fresh(session)) == published
    assert [e.action for e in entries(session)] == [
        "remove_document",
        "move_document",
        "edit_document",
        "add_document",
    ]
    with pytest.raises(LookupError):
        structure.remove_row(session, CODE, "documents", first.id, EDITOR)


def test_every_problem_is_told_at_once_and_nothing_changes(session: Session, imported: Procedure) -> None:
    before = snapshot(imported)
    bad = dict(NEW_DOCUMENT, name="  ", originals="-1", copies="hai", group="nộp")
    with pytest.raises(InvalidEntryError) as raised:
        structure.add_row(session, CODE, "documents", bad, EDITOR)
    assert raised.value.problems == [
        "Nhóm giấy tờ không hợp lệ.",
        "Số bản chính không được âm.",
        "Số bản sao phải là một số.",
        "Hãy nhập tên giấy tờ.",
    ]
    with pytest.raises(InvalidEntryError) as raised:
        save(
            session,
            CODE,
            {"name": "", "sector": "x" * 256, "url": "ftp://example", "levels": ["Cấp huyện"]},
            EDITOR,
        )
    assert raised.value.problems == [
        "Tên thủ tục không được để trống.",
        "Lĩnh vực dài quá 255 ký tự (hiện có 256).",
        "Đường dẫn trang chính thức phải bắt đầu bằng http:// hoặc https://.",
        "Cấp thực hiện không hợp lệ: Cấp huyện.",
    ]
    session.rollback()
    assert snapshot(fresh(session)) == before and entries(session) == []


def test_reverting_puts_back_removed_rows_whole_and_drops_added_ones(
    session: Session, imported: Procedure
) -> None:
    published = snapshot(imported)
    removed = imported.documents[3]
    structure.remove_row(session, CODE, "documents", removed.id, EDITOR)
    structure.add_row(session, CODE, "documents", NEW_DOCUMENT, EDITOR)
    session.commit()
    removal, addition = reversed(entries(session))

    assert structure.revert(session, CODE, removal.id, EDITOR)  # the version before the removal
    session.commit()
    procedure = fresh(session)
    restored = snapshot(procedure)
    without_ids = [{k: v for k, v in d.items() if k != "id"} for d in restored["documents"]]
    assert without_ids == [{k: v for k, v in d.items() if k != "id"} for d in published["documents"]]
    assert NEW_DOCUMENT["name"] not in names(procedure)
    assert entries(session)[0].action == "revert"
    assert structure.revertable(addition) and structure.revertable(entries(session)[0])
    # Putting back a version with the same content changes nothing.
    assert not structure.revert(session, CODE, removal.id, EDITOR)
    with pytest.raises(LookupError):
        structure.revert(session, "1.001193", removal.id, EDITOR)


def test_legal_bases_and_channels(session: Session, imported: Procedure) -> None:
    count = len(imported.legal_bases)
    basis = {
        "code": "99/2026/NĐ-CP",
        "title": "Nghị định thử",
        "issued_on": "05/01/2026",
        "issuer": "Chính phủ",
    }
    structure.add_row(session, CODE, "legal_bases", basis, EDITOR)
    with pytest.raises(InvalidEntryError) as raised:
        structure.add_row(
            session, CODE, "legal_bases", {"code": "", "title": "", "issued_on": "32/13/2026"}, EDITOR
        )
    assert raised.value.problems == [
        "Ngày ban hành phải có dạng ngày/tháng/năm, ví dụ 15/11/2015.",
        "Hãy nhập số hiệu hoặc trích yếu của văn bản.",
    ]
    online = {
        "channel": "truc_tuyen",
        "time_value": "3",
        "time_unit": "working_days",
        "fee_amount_vnd": "10.000 đồng",
    }
    structure.add_row(session, CODE, "channels", online, EDITOR)
    session.commit()
    procedure = fresh(session)
    added = procedure.legal_bases[-1]
    assert len(procedure.legal_bases) == count + 1
    assert (added.code, added.issued_on, added.issuer) == ("99/2026/NĐ-CP", date(2026, 1, 5), "Chính phủ")
    assert entries(session)[1].after["legal_bases"][-1]["issued_on"] == "2026-01-05"  # type: ignore[index]
    channel = procedure.channels[-1]
    assert (channel.channel, channel.channel_text, channel.fee_amount_vnd, channel.time_value) == (
        "truc_tuyen",
        "Trực tuyến",
        10_000,
        3.0,
    )
    structure.update_row(session, CODE, "legal_bases", added.id, dict(basis, issued_on="2026-02-01"), EDITOR)
    structure.remove_row(session, CODE, "channels", channel.id, EDITOR)
    session.commit()
    procedure = fresh(session)
    assert procedure.legal_bases[-1].issued_on == date(2026, 2, 1)
    assert len(procedure.channels) == 3
    assert procedure.edited_fields == ["channels", "legal_bases"]


def test_every_field_is_editable_and_untouched_values_stay_as_published(
    session: Session, imported: Procedure
) -> None:
    # Saving the snapshot back as it is changes nothing (no re-normalising of published text).
    assert save(session, CODE, snapshot(imported), EDITOR) == []
    values = {
        "procedure_type": "TTHC không được luật giao quy định chi tiết",
        "levels": ["Cấp tỉnh", "Cấp xã"],
        "subjects": "Công dân Việt Nam\nNgười nước ngoài",
        "delegated_agency": "Ủy ban nhân dân xã",
        "coordinating_agency": "Công an xã",
        "results": "Trích lục khai tử\nBản sao trích lục khai tử",
        "related_procedures": "Đăng ký khai sinh",
        "decision_number": "99/QĐ-UBND",
        "steps": "Bước 1: nộp hồ sơ\n\nBước 2: nhận kết quả",
    }
    changed = save(session, CODE, values, EDITOR)
    session.commit()
    procedure = fresh(session)
    assert sorted(changed) == sorted(values)
    assert procedure.levels == ("Cấp tỉnh", "Cấp xã")
    assert procedure.subjects == ["Công dân Việt Nam", "Người nước ngoài"]
    assert procedure.results == [
        {"name": "Trích lục khai tử", "code": "KQ.G15.000034"},  # the code stays with its name
        {"name": "Bản sao trích lục khai tử", "code": None},
    ]
    assert procedure.steps == ["Bước 1: nộp hồ sơ", "Bước 2: nhận kết quả"]
    assert procedure.decision_number == "99/QĐ-UBND"
    assert set(procedure.edited_fields) == set(values)


def test_a_reimport_keeps_every_staff_edited_part(
    session: Session, imported: Procedure, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> None:
    structure.add_row(session, CODE, "documents", NEW_DOCUMENT, EDITOR, position=0)
    structure.add_row(session, CODE, "legal_bases", {"code": "99/2026/NĐ-CP", "title": "Thử"}, EDITOR)
    save(
        session,
        CODE,
        {"levels": ["Cấp tỉnh"], "subjects": "Người nước ngoài", "decision_number": "1/QĐ"},
        EDITOR,
    )
    session.commit()
    record = copy.deepcopy(seed_records[CODE])
    record["linh_vuc"] = "Hộ tịch (nguồn mới)"
    report = import_files(session, [write_jsonl([record], name="again.jsonl")])
    session.commit()
    procedure = fresh(session)
    assert report.updated == 1
    assert procedure.sector == "Hộ tịch (nguồn mới)"  # not edited: updated
    assert procedure.documents[0].name == NEW_DOCUMENT["name"]
    assert procedure.legal_bases[-1].code == "99/2026/NĐ-CP"
    assert (procedure.levels, procedure.subjects, procedure.decision_number) == (
        ("Cấp tỉnh",),
        ["Người nước ngoài"],
        "1/QĐ",
    )
    assert {"documents", "legal_bases", "level_province", "subjects", "decision_number"} <= set(
        report.kept_edits
    )


def test_questions_are_added_linked_unlinked_and_undone(session: Session, imported: Procedure) -> None:
    faq = structure.add_faq(session, CODE, "Khai tử ở đâu?", "Tại Ủy ban nhân dân xã.", EDITOR)
    other = Faq(question="Có mất phí không?", answer="Không.", is_active=True)
    session.add(other)
    session.flush()
    assert [f.id for f in structure.other_faqs(session, imported.id)] == [other.id]
    assert structure.link_faq(session, CODE, other.id, EDITOR)
    assert not structure.link_faq(session, CODE, other.id, EDITOR)
    assert {f.id for f in structure.linked_faqs(session, imported.id)} == {faq.id, other.id}
    assert structure.unlink_faq(session, CODE, other.id, EDITOR)
    with pytest.raises(InvalidEntryError) as raised:
        structure.add_faq(session, CODE, " ", "", EDITOR)
    assert raised.value.problems == ["Hãy nhập câu hỏi.", "Hãy nhập câu trả lời."]
    session.commit()
    unlink, link, add = entries(session)
    assert (unlink.action, link.action, add.action) == ("unlink_faq", "link_faq", "add_faq")
    assert all(structure.revertable(e) for e in (unlink, link, add))

    assert structure.revert(session, CODE, unlink.id, EDITOR)  # linked again
    assert structure.revert(session, CODE, add.id, EDITOR)  # the new question is no longer used
    session.commit()
    session.expire_all()
    assert {f.id for f in structure.linked_faqs(session, imported.id)} == {faq.id, other.id}
    assert session.get(Faq, faq.id).is_active is False  # type: ignore[union-attr]
    faq_history = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "faq")).all()
    assert sorted(faq_history) == ["create", "deactivate", "edit", "edit", "edit"]


def test_aliases_are_undone_from_the_history(session: Session, imported: Procedure) -> None:
    structure.add_alias(session, CODE, "báo tử", EDITOR)
    session.commit()
    (added,) = entries(session)
    assert structure.revert(session, CODE, added.id, EDITOR)
    session.commit()
    assert aliases.list_aliases(session, CODE) == []
    assert entries(session)[0].action == "remove_alias"


def test_the_search_follows_the_edits(sessions: sessionmaker[Session], imported: Procedure) -> None:
    add_procedures(sessions)  # a few others, so that a rare word weighs
    clock = Clock()
    catalog = Catalog(sessions, ("Cấp tỉnh", "Cấp xã"), clock=clock)
    catalog.refresh_now()
    assert CODE not in [c.code for c in catalog.search("zorblat", 3).candidates]
    with sessions() as session:
        version = knowledge_version(session)
    with sessions.begin() as session:
        structure.add_row(
            session, CODE, "documents", dict(NEW_DOCUMENT, name="Giấy xác nhận zorblat"), EDITOR
        )
    with sessions() as session:
        assert knowledge_version(session) != version  # the servers rebuild their index
        docs = {doc.code: doc for doc in load_search_docs(session)}
    assert "Giấy xác nhận zorblat" in docs[CODE].documents
    with sessions.begin() as session:
        save(session, CODE, {"name": "Thủ tục đăng ký khai tử zorblat"}, EDITOR)
    clock.now += 10  # past the check interval: the next search sees the change
    catalog.search("zorblat")
    assert catalog.wait(60)
    assert catalog.search("zorblat", 3).candidates[0].code == CODE
