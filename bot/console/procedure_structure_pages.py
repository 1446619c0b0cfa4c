"""The structured parts of a procedure in the console, and its frequent questions.

Required documents (add, change, reorder, remove), legal bases (add, change,
remove), submission channels (add, remove; fees and times are on the edit
page) each have a page ``/console/procedures/{code}/{part}``; the frequent
questions are managed on the procedure's own page. The checks, the audit
and the history live in ``knowledge.procedure_structure``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.procedure_pages import ANSWERS_FOLLOW, NOT_FOUND, case_label, in_thread, render_view
from bot.console.render import render, see_other
from bot.console.security import requires
from knowledge import procedure_structure as structure
from knowledge.directory_edit import InvalidEntryError
from knowledge.messages import CHANNEL_LABELS, DOCUMENT_GROUP_LABELS, TIME_UNIT_LABELS
from knowledge.queries import procedure_with_details

ID = r"{id:\d{1,9}}"
# URL part -> kind of row, and what its pages say.
PARTS = {"documents": "documents", "legal-bases": "legal_bases", "channels": "channels"}
PART_OF = {kind: part for part, kind in PARTS.items()}
TITLES = {
    "documents": "Thành phần hồ sơ",
    "legal_bases": "Căn cứ pháp lý",
    "channels": "Cách nộp hồ sơ",
}
ROW_TITLES = {"documents": "giấy tờ", "legal_bases": "văn bản", "channels": "cách nộp"}
# Kinds whose rows can be moved up and down, and edited on their own page.
MOVABLE = ("documents", "legal_bases")
EDITABLE = ("documents", "legal_bases")
NOTICES = {
    "added": "Đã thêm." + ANSWERS_FOLLOW,
    "saved": "Đã lưu thay đổi." + ANSWERS_FOLLOW,
    "removed": "Đã xóa." + ANSWERS_FOLLOW,
    "moved": "Đã đổi thứ tự." + ANSWERS_FOLLOW,
    "unchanged": "Không có gì thay đổi.",
}
NOT_FOUND_ROW = "Không tìm thấy dòng cần sửa."
NOT_FOUND_FAQ = "Không tìm thấy câu hỏi."
EMPTY_ROW: dict[str, Any] = {
    "group": "submit",
    "case_title": "",
    "name": "",
    "originals": "",
    "copies": "",
    "template": "",
    "note": "",
    "code": "",
    "title": "",
    "issued_on": "",
    "issuer": "",
    "channel": "",
    "time_value": "",
    "time_max": "",
    "time_unit": "working_days",
    "time_text": "",
    "fee_amount_vnd": "",
    "fee_free": False,
    "fee_text": "",
    "fee_note": "",
}


def _kind(request: web.Request) -> str:
    return PARTS[request.match_info["part"]]


def _row_id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value


def _values_of(row: Any, kind: str) -> dict[str, Any]:
    """What the form of one row shows for the stored ``row``."""
    values = dict(EMPTY_ROW)
    for name in structure.FORM_FIELDS[kind]:
        value = getattr(row, name)
        values[name] = bool(value) if name == "fee_free" else _shown(value)
    return values


def _typed(form: Any, kind: str) -> dict[str, Any]:
    """What the editor typed in the form of one row (shown again with the problems)."""
    typed = structure.form_row(kind, form).items()
    return {**EMPTY_ROW, **{key: value if isinstance(value, bool) else str(value) for key, value in typed}}


def _part_view(session: Session, code: str, kind: str) -> dict[str, Any]:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise web.HTTPNotFound(text=NOT_FOUND)
    rows = list(getattr(procedure, kind))
    values = dict(EMPTY_ROW)
    if kind == "documents" and rows:  # a new document most often joins the last group
        values["group"], values["case_title"] = rows[-1].group, rows[-1].case_title or ""
    cases = sorted({row.case_title for row in rows if kind == "documents" and row.case_title})
    return {"procedure": procedure, "rows": rows, "values": values, "cases": cases}


def _context(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "part": PART_OF[kind],
        "title": TITLES[kind],
        "row_title": ROW_TITLES[kind],
        "movable": kind in MOVABLE,
        "editable": kind in EDITABLE,
        "group_labels": DOCUMENT_GROUP_LABELS,
        "case_label": case_label,
        "channel_labels": CHANNEL_LABELS,
        "unit_labels": TIME_UNIT_LABELS,
        "problems": [],
        "position": "",
        **extra,
    }


async def _render_part(
    request: web.Request, code: str, kind: str, status: int = 200, **extra: Any
) -> web.Response:
    data = await in_thread(request, _part_view, code, kind)
    notice = NOTICES.get(request.query.get("saved", "")) if status == 200 else None
    context = _context(kind, notice=notice, **{**data, **extra})
    return render(request, "procedures/part.html", status=status, **context)


@requires(Section.KNOWLEDGE)
async def part_page(request: web.Request) -> web.StreamResponse:
    return await _render_part(request, request.match_info["code"], _kind(request))


def _position(form: Any) -> int | None:
    text = str(form.get("position", ""))
    return int(text) if text.isdigit() else None


@requires(Section.KNOWLEDGE)
async def add_action(request: web.Request) -> web.StreamResponse:
    code, kind = request.match_info["code"], _kind(request)
    form = await request.post()
    staff: Staff = request[STAFF]
    given = structure.form_row(kind, form)
    try:
        await in_thread(request, structure.add_row, code, kind, given, staff.username, _position(form))
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND) from None
    except InvalidEntryError as problem:
        return await _render_part(
            request,
            code,
            kind,
            status=422,
            problems=problem.problems,
            values=_typed(form, kind),
            position=str(form.get("position", "")),
        )
    return see_other(f"/console/procedures/{code}/{PART_OF[kind]}?saved=added")


def _row_view(session: Session, code: str, kind: str, row_id: int) -> dict[str, Any]:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise web.HTTPNotFound(text=NOT_FOUND)
    for number, row in enumerate(getattr(procedure, kind), start=1):
        if row.id == row_id:
            return {"procedure": procedure, "row": row, "number": number, "values": _values_of(row, kind)}
    raise web.HTTPNotFound(text=NOT_FOUND_ROW)


@requires(Section.KNOWLEDGE)
async def row_edit_page(request: web.Request) -> web.StreamResponse:
    code, kind, row_id = request.match_info["code"], _kind(request), _row_id(request)
    problems: list[str] = []
    typed = None
    if request.method == "POST":
        form = await request.post()
        staff: Staff = request[STAFF]
        given = structure.form_row(kind, form)
        try:
            changed = await in_thread(
                request, structure.update_row, code, kind, row_id, given, staff.username
            )
        except LookupError:
            raise web.HTTPNotFound(text=NOT_FOUND_ROW) from None
        except InvalidEntryError as problem:
            problems, typed = problem.problems, _typed(form, kind)
        else:
            saved = "saved" if changed else "unchanged"
            return see_other(f"/console/procedures/{code}/{PART_OF[kind]}?saved={saved}")
    data = await in_thread(request, _row_view, code, kind, row_id)
    if typed is not None:
        data["values"] = typed
    cases = sorted({d.case_title for d in data["procedure"].documents if d.case_title})
    return render(
        request,
        "procedures/row_form.html",
        status=422 if problems else 200,
        **_context(kind, problems=problems, notice=None, cases=cases, **data),
    )


@requires(Section.KNOWLEDGE)
async def remove_action(request: web.Request) -> web.StreamResponse:
    code, kind = request.match_info["code"], _kind(request)
    staff: Staff = request[STAFF]
    try:
        await in_thread(request, structure.remove_row, code, kind, _row_id(request), staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_ROW) from None
    return see_other(f"/console/procedures/{code}/{PART_OF[kind]}?saved=removed")


@requires(Section.KNOWLEDGE)
async def move_action(request: web.Request) -> web.StreamResponse:
    code, kind = request.match_info["code"], _kind(request)
    form = await request.post()
    step = -1 if form.get("direction") == "up" else 1
    staff: Staff = request[STAFF]
    try:
        changed = await in_thread(
            request, structure.move_row, code, kind, _row_id(request), step, staff.username
        )
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_ROW) from None
    saved = "moved" if changed else "unchanged"
    return see_other(f"/console/procedures/{code}/{PART_OF[kind]}?saved={saved}#row-{_row_id(request)}")


# ------------------------------------------------------------ frequent questions


@requires(Section.KNOWLEDGE)
async def faq_add_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    staff: Staff = request[STAFF]
    question, answer = form.get("question", ""), form.get("answer", "")
    try:
        await in_thread(request, structure.add_faq, code, question, answer, staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND) from None
    except InvalidEntryError as problem:
        typed = {"question": str(question), "answer": str(answer)}
        return await render_view(request, code, status=422, faq_problems=problem.problems, faq_values=typed)
    return see_other(f"/console/procedures/{code}?saved=faq_added#faqs")


@requires(Section.KNOWLEDGE)
async def faq_link_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    staff: Staff = request[STAFF]
    chosen = str(form.get("faq_id", ""))
    if not chosen.isdigit():
        problems = ["Hãy chọn một câu hỏi để gắn vào thủ tục."]
        return await render_view(request, code, status=422, faq_problems=problems)
    try:
        await in_thread(request, structure.link_faq, code, int(chosen), staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_FAQ) from None
    return see_other(f"/console/procedures/{code}?saved=faq_linked#faqs")


@requires(Section.KNOWLEDGE)
async def faq_unlink_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    staff: Staff = request[STAFF]
    try:
        await in_thread(request, structure.unlink_faq, code, _row_id(request), staff.username)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND_FAQ) from None
    return see_other(f"/console/procedures/{code}?saved=faq_unlinked#faqs")


def add_routes(app: web.Application) -> None:
    part = "{part:documents|legal-bases|channels}"
    base = f"/procedures/{{code}}/{part}"
    app.router.add_get(base, part_page)
    app.router.add_post(f"{base}/new", add_action)
    app.router.add_get(f"{base}/{ID}/edit", row_edit_page)
    app.router.add_post(f"{base}/{ID}/edit", row_edit_page)
    app.router.add_post(f"{base}/{ID}/remove", remove_action)
    app.router.add_post(f"{base}/{ID}/move", move_action)
    app.router.add_post("/procedures/{code}/faqs/new", faq_add_action)
    app.router.add_post("/procedures/{code}/faqs/link", faq_link_action)
    app.router.add_post(f"/procedures/{{code}}/faqs/{ID}/unlink", faq_unlink_action)
