"""Every part of a procedure edited in the console: fields, documents, legal bases, channels, questions.

Through HTTP, as an editor's browser sends the forms (CSRF token included);
the bot's answers are checked by running the action server's answer action
in-process on the console's database.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from actions import db as action_db
from actions import procedures, resolution
from actions.procedures import ActionAnswerProcedure
from knowledge.catalog import Catalog
from knowledge.db import make_engine, make_session_factory
from knowledge.models import AuditEntry, Faq
from knowledge.queries import procedure_with_details
from knowledge.settings import get_settings
from tests.actions.conftest import run, tracker, user
from tests.console.conftest import ROLES
from tests.console.test_console_http import CSRF, csrf_of, login

CODE = "1.000656"  # Thủ tục đăng ký khai tử
BASE = f"/console/procedures/{CODE}"
DOCUMENT = {
    "group": "submit",
    "case_title": "",
    "name": "Bản sao sổ hộ khẩu của người chết",
    "originals": "",
    "copies": "1",
    "template": "Mẫu TK-01.docx",
    "note": "",
}


@pytest.fixture
def bot(console_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """The action server's knowledge base and search, pointed at the console's database."""
    engine = make_engine(console_database_url)
    sessions = make_session_factory(engine)
    catalog = Catalog(sessions, get_settings().province_levels)
    monkeypatch.setattr(action_db, "sessions", lambda: sessions)
    monkeypatch.setattr(procedures, "get_catalog", lambda: catalog)
    monkeypatch.setattr(resolution, "get_catalog", lambda: catalog)
    yield sessions
    engine.dispose()


async def documents_answer(sender: str) -> str:
    """The bot's whole answer about the documents of the death registration (every "Xem thêm" page)."""
    intent = "ask_documents"
    entities = [{"entity": "procedure_code", "value": CODE}]
    messages, _ = await run(
        ActionAnswerProcedure(),
        tracker(sender, [user(f'/{intent}{{"procedure_code": "{CODE}"}}', intent, entities)]),
    )
    return "\n".join(m.get("text") or "" for m in messages)


async def fee_answer(sender: str) -> str:
    entities = [{"entity": "procedure_code", "value": CODE}]
    messages, _ = await run(
        ActionAnswerProcedure(),
        tracker(sender, [user(f'/ask_fee{{"procedure_code": "{CODE}"}}', "ask_fee", entities)]),
    )
    return "\n".join(m.get("text") or "" for m in messages)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def post(console: TestClient, path: str, form: dict[str, Any]) -> Any:
    """``form`` posted as the signed-in account's browser would (the session's CSRF token), not redirected."""
    token = await csrf_of(console, "/console/")
    return await console.post(path, data={"csrf": token, **form}, allow_redirects=False)


@pytest.fixture
def since(db: Session) -> int:
    """The last audit entry before the test (the seed may hold others' changes): tests look past it."""
    return db.scalar(select(func.max(AuditEntry.id))) or 0


def procedure_entries(db: Session, since: int) -> list[AuditEntry]:
    """The procedure's changes the test made, newest first."""
    db.expire_all()
    statement = (
        select(AuditEntry)
        .where(AuditEntry.entity == "procedure", AuditEntry.entity_id == CODE, AuditEntry.id > since)
        .order_by(AuditEntry.id.desc())
    )
    return list(db.scalars(statement))


async def test_an_editor_adds_a_document_first_and_the_bot_lists_it(
    console: TestClient, db: Session, since: int, bot: sessionmaker[Session]
) -> None:
    assert DOCUMENT["name"] not in await documents_answer("doc-add-before")
    assert await login(console, "editor") == 303
    page = await (await console.get(f"{BASE}/documents")).text()
    assert "Thêm giấy tờ" in page and 'name="position"' in page
    saved = await post(console, f"{BASE}/documents/new", {**DOCUMENT, "position": "0"})
    assert saved.status == 303 and saved.headers["Location"] == f"{BASE}/documents?saved=added"
    listed = text_of(await (await console.get(saved.headers["Location"])).text())
    assert "Đã thêm." in listed and DOCUMENT["name"] in listed and "0 bản chính, 1 bản sao" in listed

    answer = await documents_answer("doc-add-after")
    assert f"1. {DOCUMENT['name']} – 0 bản chính, 1 bản sao (mẫu: Mẫu TK-01.docx)" in answer
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None and "documents" in procedure.edited_fields
    (entry, *_) = procedure_entries(db, since)
    assert (entry.action, entry.actor) == ("add_document", ROLES["editor"])
    assert entry.before is not None and entry.after is not None
    assert len(entry.after["documents"]) == len(entry.before["documents"]) + 1

    view = text_of(await (await console.get(BASE)).text())
    assert f"Thêm giấy tờ: Thành phần hồ sơ ({DOCUMENT['name']})" in view


async def test_a_document_edit_is_reverted_from_the_history(
    console: TestClient, db: Session, since: int, bot: sessionmaker[Session]
) -> None:
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None
    first = procedure.documents[0]
    published = first.name
    assert await login(console, "editor") == 303
    form_page = await (await console.get(f"{BASE}/documents/{first.id}/edit")).text()
    assert html.escape(published, quote=False) in form_page
    changed = {
        "group": first.group,
        "case_title": first.case_title or "",
        "name": "Giấy báo tử (bản chính, do bệnh viện cấp)",
        "originals": "1",
        "copies": "0",
        "template": "",
        "note": "",
    }
    saved = await post(console, f"{BASE}/documents/{first.id}/edit", changed)
    assert saved.status == 303 and saved.headers["Location"] == f"{BASE}/documents?saved=saved"
    answer = await documents_answer("doc-edit")
    assert "Giấy báo tử (bản chính, do bệnh viện cấp)" in answer and published[:60] not in answer

    view = await (await console.get(BASE)).text()
    entry = procedure_entries(db, since)[0]
    assert entry.action == "edit_document"
    assert f"{BASE}/revert/{entry.id}" in view
    reverted = await post(console, f"{BASE}/revert/{entry.id}", {})
    assert reverted.status == 303 and reverted.headers["Location"].startswith(f"{BASE}?saved=reverted")
    db.expire_all()
    restored = procedure_with_details(db, CODE)
    assert restored is not None and restored.documents[0].name == published
    assert procedure_entries(db, since)[0].action == "revert"
    again = await documents_answer("doc-reverted")
    assert "do bệnh viện cấp" not in again and published[:60] in again


async def test_a_bad_document_is_explained_and_what_was_typed_stays(
    console: TestClient, db: Session, since: int
) -> None:
    assert await login(console, "admin") == 303
    bad = {**DOCUMENT, "name": " ", "copies": "hai", "template": "Mẫu giữ nguyên.docx", "position": "3"}
    response = await post(console, f"{BASE}/documents/new", bad)
    page = await response.text()
    assert response.status == 422
    assert "Hãy nhập tên giấy tờ." in page and "Số bản sao phải là một số." in page
    assert 'value="Mẫu giữ nguyên.docx"' in page and 'value="hai"' in page
    assert '<option value="3" selected>' in page
    assert procedure_entries(db, since) == []


async def test_legal_bases_are_added_edited_and_removed(console: TestClient, db: Session, since: int) -> None:
    assert await login(console, "editor") == 303
    path = f"{BASE}/legal-bases"
    basis = {
        "code": "99/2026/NĐ-CP",
        "title": "Nghị định thử nghiệm",
        "issued_on": "05/01/2026",
        "issuer": "",
    }
    wrong = await post(console, f"{path}/new", {**basis, "issued_on": "31/02/2026"})
    assert wrong.status == 422 and "Ngày ban hành phải có dạng ngày/tháng/năm" in await wrong.text()
    assert (await post(console, f"{path}/new", basis)).status == 303
    db.expire_all()
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None
    added = procedure.legal_bases[-1]
    assert (added.code, added.issued_on.isoformat() if added.issued_on else None) == (
        "99/2026/NĐ-CP",
        "2026-01-05",
    )
    edit_page = await (await console.get(f"{path}/{added.id}/edit")).text()
    assert 'value="05/01/2026"' in edit_page
    edited = await post(console, f"{path}/{added.id}/edit", {**basis, "issuer": "Chính phủ"})
    assert edited.status == 303
    view = text_of(await (await console.get(BASE)).text())
    assert "99/2026/NĐ-CP: Nghị định thử nghiệm, ban hành 05/01/2026, Chính phủ" in view
    removed = await post(console, f"{path}/{added.id}/remove", {})
    assert removed.status == 303 and removed.headers["Location"] == f"{path}?saved=removed"
    assert [e.action for e in procedure_entries(db, since)] == [
        "remove_legal_basis",
        "edit_legal_basis",
        "add_legal_basis",
    ]


async def test_a_channel_is_added_with_its_fee_and_removed(
    console: TestClient, db: Session, since: int, bot: sessionmaker[Session]
) -> None:
    assert await login(console, "editor") == 303
    path = f"{BASE}/channels"
    channel = {
        "channel": "truc_tuyen",
        "time_value": "2",
        "time_unit": "working_days",
        "fee_amount_vnd": "8.000",
    }
    assert (await post(console, f"{path}/new", {**channel, "channel": ""})).status == 422
    assert (await post(console, f"{path}/new", channel)).status == 303
    view = text_of(await (await console.get(BASE)).text())
    assert "8.000 đồng" in view and "2 ngày làm việc" in view
    assert "8.000 đồng" in await fee_answer("channel-added")
    db.expire_all()
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None and len(procedure.channels) == 4
    # The new channel's fee is on the edit page with the others.
    edit = await (await console.get(f"{BASE}/edit")).text()
    assert f'name="channel-{procedure.channels[-1].id}-fee_amount_vnd"' in edit
    removed = await post(console, f"{path}/{procedure.channels[-1].id}/remove", {})
    assert removed.status == 303
    assert "8.000 đồng" not in await fee_answer("channel-removed")


async def test_every_field_of_the_edit_page_is_saved_and_kept_on_a_problem(
    console: TestClient, db: Session, since: int
) -> None:
    assert await login(console, "editor") == 303
    page = await (await console.get(f"{BASE}/edit")).text()
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    form = {
        "csrf": token,
        "name": "Thủ tục đăng ký khai tử",
        "procedure_type": "TTHC được giao luật quy định chi tiết",
        "sector": "Hộ tịch",
        "levels": ["", "Cấp tỉnh", "Cấp xã"],
        "subjects": "Công dân Việt Nam\r\nNgười nước ngoài cư trú tại Việt Nam",
        "delegated_agency": "Ủy ban nhân dân phường Tô Hiệu",
        "results": "Trích lục khai tử\r\nBản sao trích lục khai tử",
        "decision_number": "163/QĐ-BTP; 99/QĐ-UBND",
        "url": "không phải địa chỉ",
    }
    data = [
        (key, value)
        for key, values in form.items()
        for value in ([values] if isinstance(values, str) else values)
    ]
    refused = await console.post(f"{BASE}/edit", data=data)
    kept = await refused.text()
    assert refused.status == 422 and "Đường dẫn trang chính thức phải bắt đầu bằng" in kept
    assert 'value="Ủy ban nhân dân phường Tô Hiệu"' in kept and "Người nước ngoài cư trú tại Việt Nam" in kept
    assert 'value="Cấp tỉnh" checked' in kept

    fixed = [(key, value) for key, value in data if key != "url"]
    saved = await console.post(f"{BASE}/edit", data=fixed, allow_redirects=False)
    assert saved.status == 303 and saved.headers["Location"] == f"{BASE}?saved=1"
    db.expire_all()
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None
    assert procedure.levels == ("Cấp tỉnh", "Cấp xã")
    assert procedure.subjects == ["Công dân Việt Nam", "Người nước ngoài cư trú tại Việt Nam"]
    assert procedure.results[0] == {"name": "Trích lục khai tử", "code": "KQ.G15.000034"}
    assert procedure.delegated_agency == "Ủy ban nhân dân phường Tô Hiệu"
    assert procedure.decision_number == "163/QĐ-BTP; 99/QĐ-UBND"
    assert {"levels", "subjects", "results", "delegated_agency", "decision_number"} <= set(
        procedure.edited_fields
    )
    (entry,) = procedure_entries(db, since)
    assert entry.before is not None and entry.after is not None
    assert entry.before["channels"] == entry.after["channels"]  # sent back untouched
    # Saving the page again as shown changes nothing.
    again = await (await console.get(f"{BASE}/edit")).text()
    assert "Ủy ban nhân dân phường Tô Hiệu" in again
    unchanged = await console.post(f"{BASE}/edit", data=fixed, allow_redirects=False)
    assert unchanged.headers["Location"] == f"{BASE}?saved=0"


async def test_questions_are_added_linked_and_unlinked_on_the_procedure_page(
    console: TestClient, db: Session, since: int
) -> None:
    assert await login(console, "editor") == 303
    empty = await post(console, f"{BASE}/faqs/new", {"question": "", "answer": "Tại Ủy ban nhân dân xã."})
    page = await empty.text()
    assert empty.status == 422 and "Hãy nhập câu hỏi." in page and "Tại Ủy ban nhân dân xã." in page
    added = await post(
        console, f"{BASE}/faqs/new", {"question": "Khai tử ở đâu?", "answer": "Tại Ủy ban nhân dân xã."}
    )
    assert added.status == 303 and added.headers["Location"] == f"{BASE}?saved=faq_added#faqs"
    other = await post(
        console,
        "/console/faqs/new",
        {"question": "Làm lại trích lục khai tử thế nào?", "answer": "Nộp tờ khai.", "procedure_code": ""},
    )
    assert other.status == 303
    db.expire_all()
    other_id = db.scalars(select(Faq.id).where(Faq.question == "Làm lại trích lục khai tử thế nào?")).one()
    view = await (await console.get(BASE)).text()
    assert "Khai tử ở đâu?" in view and f'<option value="{other_id}">' in view

    assert (await post(console, f"{BASE}/faqs/link", {"faq_id": str(other_id)})).status == 303
    db.expire_all()
    procedure = procedure_with_details(db, CODE)
    assert procedure is not None
    assert db.get(Faq, other_id).procedure_id == procedure.id  # type: ignore[union-attr]
    assert (await post(console, f"{BASE}/faqs/{other_id}/unlink", {})).status == 303
    db.expire_all()
    assert db.get(Faq, other_id).procedure_id is None  # type: ignore[union-attr]
    unlink = procedure_entries(db, since)[0]
    assert [e.action for e in procedure_entries(db, since)] == ["unlink_faq", "link_faq", "add_faq"]
    # Undone from the history: linked again.
    view = text_of(await (await console.get(BASE)).text())
    assert "Bỏ gắn câu hỏi thường gặp: Làm lại trích lục khai tử thế nào?" in view
    assert (await post(console, f"{BASE}/revert/{unlink.id}", {})).status == 303
    db.expire_all()
    assert db.get(Faq, other_id).procedure_id == procedure.id  # type: ignore[union-attr]


@pytest.mark.parametrize("role", ["viewer", "operator"])
async def test_other_roles_cannot_change_a_procedure(
    console: TestClient, db: Session, since: int, role: str
) -> None:
    assert await login(console, role) == 303
    assert (await console.get(f"{BASE}/documents")).status == 403
    token = await csrf_of(console, "/console/")
    for path, form in (
        (f"{BASE}/documents/new", DOCUMENT),
        (f"{BASE}/legal-bases/new", {"code": "1/2026/NĐ-CP"}),
        (f"{BASE}/channels/new", {"channel": "truc_tuyen"}),
        (f"{BASE}/faqs/new", {"question": "Hỏi?", "answer": "Đáp."}),
    ):
        response = await console.post(path, data={"csrf": token, **form})
        assert response.status == 403, path
    assert procedure_entries(db, since) == []


async def test_a_post_without_the_csrf_token_changes_nothing(
    console: TestClient, db: Session, since: int
) -> None:
    assert await login(console, "editor") == 303
    response = await console.post(f"{BASE}/documents/new", data=DOCUMENT)
    assert response.status == 403
    assert procedure_entries(db, since) == []
