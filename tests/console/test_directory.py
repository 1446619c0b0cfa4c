"""Offices and frequent questions in the console: add, edit, deactivate, audit, checks, roles, bot answers."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions import answers
from knowledge.agencies import matching_agencies
from knowledge.models import Agency, AuditEntry, Faq
from knowledge.queries import procedure_with_details
from tests.console.test_console_http import csrf_of, login

OFFICE = {
    "name": "Công an tỉnh Sơn La",
    "address": "Số 2 đường Tô Hiệu, phường Tô Hiệu, tỉnh Sơn La",
    "opening_hours": "Sáng 7 giờ 30 đến 11 giờ 30, chiều 13 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu",
    "phone": "0212 3852 111",
    "map_url": "https://www.openstreetmap.org/search?query=C%C3%B4ng%20an%20t%E1%BB%89nh%20S%C6%A1n%20La",
}


def entries(db: Session, entity: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


async def add_office(console: TestClient, **values: str) -> str:
    """Add an office through the form; returns the page it leads to."""
    token = await csrf_of(console, "/console/agencies/new")
    response = await console.post(
        "/console/agencies/new", data={"csrf": token, **OFFICE, **values}, allow_redirects=False
    )
    assert response.status == 303, await response.text()
    location = response.headers["Location"]
    assert re.fullmatch(r"/console/agencies/\d+/edit\?saved=created", location)
    return location


async def test_an_editor_adds_edits_and_deactivates_an_office_all_audited(
    console: TestClient, db: Session
) -> None:
    assert await login(console, "editor") == 303
    location = await add_office(console)
    page = await (await console.get(location)).text()
    assert "Đã thêm" in page and "Công an tỉnh Sơn La" in page
    assert re.search(r"<p>\d+ thủ tục đang dùng, ví dụ:</p>", page)  # the procedures it will be shown for
    agency_id = int(location.split("/")[3])

    token = await csrf_of(console, f"/console/agencies/{agency_id}/edit")
    saved = await console.post(
        f"/console/agencies/{agency_id}/edit",
        data={"csrf": token, **OFFICE, "phone": "0212 3852 999"},
        allow_redirects=False,
    )
    assert saved.status == 303 and saved.headers["Location"].endswith("saved=saved")
    page = await (await console.get(saved.headers["Location"])).text()
    assert "Đã lưu thay đổi" in page and "Điện thoại: 0212 3852 111 → 0212 3852 999" in page

    off = await console.post(f"/console/agencies/{agency_id}/active", data={"csrf": token, "active": "0"})
    assert off.status == 200 and "Đã ngừng dùng" in await off.text()

    logged = entries(db, "agency")
    assert [(e.action, e.actor, e.entity_id) for e in logged] == [
        ("create", "thu.editor", str(agency_id)),
        ("edit", "thu.editor", str(agency_id)),
        ("deactivate", "thu.editor", str(agency_id)),
    ]
    assert logged[0].before is None and logged[0].after == {**OFFICE, "is_active": True}
    assert logged[1].before is not None and logged[1].after is not None
    assert (logged[1].before["phone"], logged[1].after["phone"]) == ("0212 3852 111", "0212 3852 999")
    assert (logged[2].before, logged[2].after) == (
        {**OFFICE, "phone": "0212 3852 999", "is_active": True},
        {**OFFICE, "phone": "0212 3852 999", "is_active": False},
    )
    agency = db.scalars(select(Agency)).one()
    assert (agency.phone, agency.is_active) == ("0212 3852 999", False)


async def test_bad_values_are_explained_and_nothing_is_saved(console: TestClient, db: Session) -> None:
    assert await login(console, "admin") == 303
    token = await csrf_of(console, "/console/agencies/new")
    response = await console.post(
        "/console/agencies/new",
        data={"csrf": token, **OFFICE, "map_url": "javascript:alert(1)", "phone": "gọi tôi"},
    )
    text = await response.text()
    assert response.status == 422
    assert "Đường dẫn bản đồ phải là địa chỉ web bắt đầu bằng http:// hoặc https://." in text
    assert "Số điện thoại chỉ gồm chữ số" in text
    assert 'value="javascript:alert(1)"' in text  # what was typed stays in the form, escaped

    response = await console.post(
        "/console/agencies/new", data={"csrf": token, "name": "   ", "address": "x"}
    )
    assert response.status == 422 and "Hãy nhập tên cơ quan." in await response.text()
    response = await console.post(
        "/console/agencies/new", data={"csrf": token, "name": "Sở " + "Tư pháp " * 40}
    )
    assert response.status == 422 and "Tên cơ quan dài quá 255 ký tự" in await response.text()
    assert db.scalars(select(Agency)).all() == []

    await add_office(console)
    again = await console.post(
        "/console/agencies/new", data={"csrf": token, **OFFICE, "name": "cong an tinh son la"}
    )
    assert again.status == 422 and "Đã có cơ quan tên “Công an tỉnh Sơn La”." in await again.text()
    assert len(db.scalars(select(Agency)).all()) == 1


async def test_an_editor_adds_edits_and_deactivates_a_question(console: TestClient, db: Session) -> None:
    assert await login(console, "editor") == 303
    token = await csrf_of(console, "/console/faqs/new")
    unknown = await console.post(
        "/console/faqs/new",
        data={
            "csrf": token,
            "question": "Làm giấy khai sinh mất bao lâu?",
            "answer": "Trong ngày.",
            "procedure_code": "9.999999",
        },
    )
    assert unknown.status == 422 and "Không có thủ tục nào mang mã “9.999999”" in await unknown.text()
    empty = await console.post("/console/faqs/new", data={"csrf": token, "question": "", "answer": ""})
    text = await empty.text()
    assert empty.status == 422 and "Hãy nhập câu hỏi." in text and "Hãy nhập câu trả lời." in text

    created = await console.post(
        "/console/faqs/new",
        data={
            "csrf": token,
            "question": "Làm giấy khai sinh mất bao lâu?",
            "answer": "Giải quyết ngay trong ngày\r\nnếu nộp trước 15 giờ.",
            "procedure_code": " 1.001193 ",
        },
        allow_redirects=False,
    )
    assert created.status == 303
    location = created.headers["Location"]
    faq_id = int(location.split("/")[3])
    page = await (await console.get(location)).text()
    assert "Đã thêm" in page and "Đang gắn với" in page

    saved = await console.post(
        f"/console/faqs/{faq_id}/edit",
        data={
            "csrf": token,
            "question": "Làm giấy khai sinh mất bao lâu?",
            "answer": "Trong ngày.",
            "procedure_code": "",
        },
        allow_redirects=False,
    )
    assert saved.status == 303 and saved.headers["Location"].endswith("saved=saved")
    listing = await console.post(f"/console/faqs/{faq_id}/active", data={"csrf": token, "active": "0"})
    assert listing.status == 200 and "Ngừng dùng" in await listing.text()

    logged = entries(db, "faq")
    assert [e.action for e in logged] == ["create", "edit", "deactivate"]
    assert logged[0].after == {
        "question": "Làm giấy khai sinh mất bao lâu?",
        "answer": "Giải quyết ngay trong ngày\nnếu nộp trước 15 giờ.",
        "procedure_code": "1.001193",
        "is_active": True,
    }
    assert logged[1].before is not None and logged[1].after is not None
    assert (logged[1].before["procedure_code"], logged[1].after["procedure_code"]) == ("1.001193", None)
    faq = db.scalars(select(Faq)).one()
    assert (faq.answer, faq.procedure_id, faq.is_active) == ("Trong ngày.", None, False)


@pytest.mark.parametrize("role", ["viewer", "operator"])
async def test_viewers_and_operators_are_refused(console: TestClient, db: Session, role: str) -> None:
    assert await login(console, role) == 303
    for path in ("/console/agencies", "/console/agencies/new", "/console/faqs", "/console/faqs/new"):
        refused = await console.get(path)
        assert refused.status == 403 and "Không có quyền" in await refused.text(), path
    token = await csrf_of(console, "/console/")
    for path, form in (
        ("/console/agencies/new", OFFICE),
        ("/console/faqs/new", {"question": "Hỏi?", "answer": "Đáp."}),
    ):
        response = await console.post(path, data={"csrf": token, **form})
        assert response.status == 403, path
    assert db.scalars(select(Agency)).all() == [] and db.scalars(select(Faq)).all() == []


async def test_an_office_added_in_the_console_is_in_the_bots_where_answer(
    console: TestClient, db: Session
) -> None:
    procedure = procedure_with_details(db, "3.000333")  # Lý lịch tư pháp, executed by "Công an tỉnh"
    assert procedure is not None and procedure.executing_agency == "Công an tỉnh"
    assert matching_agencies(db, procedure) == []

    assert await login(console, "editor") == 303
    location = await add_office(console)
    db.expire_all()
    offices = matching_agencies(db, procedure)
    assert [office.name for office in offices] == ["Công an tỉnh Sơn La"]
    lines = answers.where(procedure, offices)
    assert "📍 Công an tỉnh Sơn La" in lines
    assert f"Địa chỉ: {OFFICE['address']}" in lines
    assert f"Điện thoại: {OFFICE['phone']}" in lines
    assert f"Bản đồ: {OFFICE['map_url']}" in lines
    reply = answers.answer(procedure, "ask_where", agencies=offices)
    assert "Công an tỉnh Sơn La" in str(reply)

    token = await csrf_of(console, location)
    agency_id = location.split("/")[3]
    await console.post(f"/console/agencies/{agency_id}/active", data={"csrf": token, "active": "0"})
    db.expire_all()
    assert matching_agencies(db, procedure) == []
