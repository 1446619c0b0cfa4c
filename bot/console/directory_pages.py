"""The province's offices (cơ quan) and frequent questions in the console: list, add, edit, deactivate.

The checks and the audit live in ``knowledge.directory_edit``; these pages
read the form, show its problems, and redirect after a save.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge import audit
from knowledge import directory_edit as edit
from knowledge.models import Agency, AuditEntry, Faq

logger = logging.getLogger(__name__)

T = TypeVar("T")

ID = r"{id:\d{1,9}}"
ACTION_LABELS = {"create": "Thêm mới", "edit": "Sửa", "activate": "Dùng lại", "deactivate": "Ngừng dùng"}
AGENCY_LABELS = {
    "name": "Tên cơ quan",
    "address": "Địa chỉ",
    "opening_hours": "Giờ làm việc",
    "phone": "Điện thoại",
    "map_url": "Bản đồ",
    "is_active": "Trạng thái",
}
FAQ_LABELS = {
    "question": "Câu hỏi",
    "answer": "Câu trả lời",
    "procedure_code": "Mã thủ tục",
    "is_active": "Trạng thái",
}
NOTICES = {
    "created": "Đã thêm.",
    "saved": "Đã lưu thay đổi.",
    "unchanged": "Không có gì thay đổi.",
    "deactivated": "Đã ngừng dùng.",
    "activated": "Đã dùng lại.",
}
# Offices are read by the bot's "where" answer as they are saved.
AGENCY_NOTICE_SUFFIX = " Trợ lý ảo dùng ngay trong câu trả lời “nộp hồ sơ ở đâu”."
NOT_FOUND_AGENCY = "Không tìm thấy cơ quan."
NOT_FOUND_FAQ = "Không tìm thấy câu hỏi."
DUPLICATE_NAME = "Đã có cơ quan trùng tên."
MATCH_LIMIT = 10


def _run(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


async def _in_thread(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(_run, request, function, *args)


def _entry_id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _notice(request: web.Request, suffix: str = "") -> str | None:
    code = request.query.get("saved", "")
    notice = NOTICES.get(code)
    return notice + suffix if notice and code in ("created", "saved", "activated") else notice


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Đang dùng" if value else "Ngừng dùng"
    return str(value)


def history_rows(entries: list[AuditEntry], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The audit entries of one record, each with what changed (label, before, after)."""
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [
            (label, _shown(before.get(key)), _shown(after.get(key)))
            for key, label in labels.items()
            if entry.before is not None and before.get(key) != after.get(key)
        ]
        rows.append(
            {"entry": entry, "action": ACTION_LABELS.get(entry.action, entry.action), "changes": changes}
        )
    return rows


def _posted_active(form: Any) -> bool:
    return form.get("active") == "1"


# ---------------------------------------------------------------------- agencies


def _agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.is_active.desc(), Agency.name)))


@requires(Section.KNOWLEDGE)
async def agencies_page(request: web.Request) -> web.StreamResponse:
    agencies = await _in_thread(request, _agencies)
    notice = _notice(request, AGENCY_NOTICE_SUFFIX)
    return render(request, "directory/agencies.html", agencies=agencies, notice=notice)


def _agency_form(form: Any) -> dict[str, str]:
    return {name: edit.one_line(form.get(name)) for name in AGENCY_LABELS if name != "is_active"}


def _agency_view(session: Session, agency_id: int) -> dict[str, Any]:
    try:
        agency = edit.get_agency(session, agency_id)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_AGENCY) from None
    count, procedures = edit.matched_procedures(session, agency.name, MATCH_LIMIT)
    return {
        "agency": agency,
        "values": edit.agency_snapshot(agency),
        "matched_count": count,
        "matched": procedures,
        "history": history_rows(audit.history(session, edit.AGENCY, agency.id), AGENCY_LABELS),
    }


def _agency_problems(problem: Exception) -> list[str]:
    if isinstance(problem, edit.InvalidEntryError):
        return problem.problems
    return [DUPLICATE_NAME]  # the database's unique name, when two saves race


@requires(Section.KNOWLEDGE)
async def agency_new_page(request: web.Request) -> web.StreamResponse:
    values: dict[str, Any] = dict.fromkeys(AGENCY_LABELS, "")
    problems: list[str] = []
    if request.method == "POST":
        form = await request.post()
        staff: Staff = request[STAFF]
        try:
            checked = edit.agency_values(form)
            agency = await _in_thread(request, edit.create_agency, checked, staff.username)
        except (edit.InvalidEntryError, IntegrityError) as problem:
            problems, values = _agency_problems(problem), _agency_form(form)
        else:
            return see_other(f"/console/agencies/{agency.id}/edit?saved=created")
    return render(
        request,
        "directory/agency_form.html",
        status=422 if problems else 200,
        agency=None,
        values=values,
        problems=problems,
        notice=None,
    )


@requires(Section.KNOWLEDGE)
async def agency_edit_page(request: web.Request) -> web.StreamResponse:
    agency_id = _entry_id(request)
    problems: list[str] = []
    entered: dict[str, str] | None = None
    if request.method == "POST":
        form = await request.post()
        staff: Staff = request[STAFF]
        try:
            checked = edit.agency_values(form)
            changed = await _in_thread(request, edit.update_agency, agency_id, checked, staff.username)
        except LookupError:
            raise web.HTTPNotFound(text=NOT_FOUND_AGENCY) from None
        except (edit.InvalidEntryError, IntegrityError) as problem:
            problems, entered = _agency_problems(problem), _agency_form(form)
        else:
            return see_other(
                f"/console/agencies/{agency_id}/edit?saved={'saved' if changed else 'unchanged'}"
            )
    data = await _in_thread(request, _agency_view, agency_id)
    if entered is not None:
        data["values"] = {**data["values"], **entered}
    return render(
        request,
        "directory/agency_form.html",
        status=422 if problems else 200,
        problems=problems,
        notice=_notice(request, AGENCY_NOTICE_SUFFIX),
        **data,
    )


@requires(Section.KNOWLEDGE)
async def agency_active_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    active = _posted_active(form)
    staff: Staff = request[STAFF]
    try:
        await _in_thread(request, edit.set_agency_active, _entry_id(request), active, staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_AGENCY) from None
    return see_other(f"/console/agencies?saved={'activated' if active else 'deactivated'}")


# -------------------------------------------------------------------------- FAQ


def _faqs(session: Session) -> list[Faq]:
    statement = select(Faq).options(selectinload(Faq.procedure)).order_by(Faq.is_active.desc(), Faq.id.desc())
    return list(session.scalars(statement))


@requires(Section.KNOWLEDGE)
async def faqs_page(request: web.Request) -> web.StreamResponse:
    faqs = await _in_thread(request, _faqs)
    return render(request, "directory/faqs.html", faqs=faqs, notice=_notice(request))


def _faq_form(form: Any) -> dict[str, str]:
    return {
        "question": edit.one_line(form.get("question")),
        "answer": edit.paragraphs(form.get("answer")),
        "procedure_code": edit.one_line(form.get("procedure_code")),
    }


def _faq_view(session: Session, faq_id: int) -> dict[str, Any]:
    try:
        faq = edit.get_faq(session, faq_id)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_FAQ) from None
    return {
        "faq": faq,
        "procedure": faq.procedure,
        "values": edit.faq_snapshot(faq),
        "history": history_rows(audit.history(session, edit.FAQ, faq.id), FAQ_LABELS),
    }


@requires(Section.KNOWLEDGE)
async def faq_new_page(request: web.Request) -> web.StreamResponse:
    values: dict[str, Any] = {
        "question": "",
        "answer": "",
        "procedure_code": request.query.get("code", "")[:32],
    }
    problems: list[str] = []
    if request.method == "POST":
        form = await request.post()
        staff: Staff = request[STAFF]
        try:
            checked = edit.faq_values(form)
            faq = await _in_thread(request, edit.create_faq, checked, staff.username)
        except edit.InvalidEntryError as problem:
            problems, values = problem.problems, _faq_form(form)
        else:
            return see_other(f"/console/faqs/{faq.id}/edit?saved=created")
    return render(
        request,
        "directory/faq_form.html",
        status=422 if problems else 200,
        faq=None,
        procedure=None,
        values=values,
        problems=problems,
        notice=None,
        history=[],
    )


@requires(Section.KNOWLEDGE)
async def faq_edit_page(request: web.Request) -> web.StreamResponse:
    faq_id = _entry_id(request)
    problems: list[str] = []
    entered: dict[str, str] | None = None
    if request.method == "POST":
        form = await request.post()
        staff: Staff = request[STAFF]
        try:
            checked = edit.faq_values(form)
            changed = await _in_thread(request, edit.update_faq, faq_id, checked, staff.username)
        except LookupError:
            raise web.HTTPNotFound(text=NOT_FOUND_FAQ) from None
        except edit.InvalidEntryError as problem:
            problems, entered = problem.problems, _faq_form(form)
        else:
            return see_other(f"/console/faqs/{faq_id}/edit?saved={'saved' if changed else 'unchanged'}")
    data = await _in_thread(request, _faq_view, faq_id)
    if entered is not None:
        data["values"] = {**data["values"], **entered}
    return render(
        request,
        "directory/faq_form.html",
        status=422 if problems else 200,
        problems=problems,
        notice=_notice(request),
        **data,
    )


@requires(Section.KNOWLEDGE)
async def faq_active_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    active = _posted_active(form)
    staff: Staff = request[STAFF]
    try:
        await _in_thread(request, edit.set_faq_active, _entry_id(request), active, staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_FAQ) from None
    return see_other(f"/console/faqs?saved={'activated' if active else 'deactivated'}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/agencies", agencies_page)
    for path, page in (
        ("/agencies/new", agency_new_page),
        (f"/agencies/{ID}/edit", agency_edit_page),
        ("/faqs/new", faq_new_page),
        (f"/faqs/{ID}/edit", faq_edit_page),
    ):
        app.router.add_get(path, page)
        app.router.add_post(path, page)
    app.router.add_post(f"/agencies/{ID}/active", agency_active_action)
    app.router.add_get("/faqs", faqs_page)
    app.router.add_post(f"/faqs/{ID}/active", faq_active_action)
