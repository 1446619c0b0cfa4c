"""Procedures in the console: search and filters, view, edit, deactivate, history and revert, aliases.

The structured parts (documents, legal bases, channels) and the linked
frequent questions have their pages in ``procedure_structure_pages``; the
checks and the audit live in ``knowledge.procedure_edit`` and
``knowledge.procedure_structure``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import CATALOG, SESSIONS
from knowledge import aliases, audit
from knowledge import procedure_structure as structure
from knowledge.directory_edit import InvalidEntryError
from knowledge.messages import CHANNEL_LABELS, DOCUMENT_GROUP_LABELS, TIME_UNIT_LABELS
from knowledge.models import Procedure
from knowledge.procedure_edit import (
    CHANNEL_FIELDS,
    ENTITY,
    FIELD_LABELS,
    LEVEL_COLUMNS,
    TEXT_FIELDS,
    is_snapshot,
    save,
)
from knowledge.procedure_rows import rows_snapshot
from knowledge.queries import procedure_with_details
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE
from nlu.textnorm import fold

T = TypeVar("T")

PAGE_SIZE = 50
NOT_FOUND = "Không tìm thấy thủ tục."
ACTION_LABELS = {
    "edit": "Sửa",
    "revert": "Khôi phục bản trước",
    "activate": "Dùng lại",
    "deactivate": "Ngừng dùng",
    "add_alias": "Thêm tên gọi khác",
    "remove_alias": "Xóa tên gọi khác",
    "add_document": "Thêm giấy tờ",
    "edit_document": "Sửa giấy tờ",
    "remove_document": "Xóa giấy tờ",
    "move_document": "Đổi thứ tự giấy tờ",
    "add_legal_basis": "Thêm căn cứ pháp lý",
    "edit_legal_basis": "Sửa căn cứ pháp lý",
    "remove_legal_basis": "Xóa căn cứ pháp lý",
    "move_legal_basis": "Đổi thứ tự căn cứ pháp lý",
    "add_channel": "Thêm cách nộp",
    "edit_channel": "Sửa cách nộp",
    "remove_channel": "Xóa cách nộp",
    "move_channel": "Đổi thứ tự cách nộp",
    "add_faq": "Thêm câu hỏi thường gặp",
    "link_faq": "Gắn câu hỏi thường gặp",
    "unlink_faq": "Bỏ gắn câu hỏi thường gặp",
    "activate_faq": "Dùng lại câu hỏi thường gặp",
    "deactivate_faq": "Ngừng dùng câu hỏi thường gặp",
}
ANSWERS_FOLLOW = " Trợ lý ảo trả lời theo nội dung mới ngay."
NOTICES = {
    "1": "Đã lưu thay đổi." + ANSWERS_FOLLOW,
    "0": "Không có gì thay đổi.",
    "reverted": "Đã khôi phục." + ANSWERS_FOLLOW,
    "faq_added": "Đã thêm câu hỏi thường gặp cho thủ tục này.",
    "faq_linked": "Đã gắn câu hỏi vào thủ tục này.",
    "faq_unlinked": "Đã bỏ gắn câu hỏi khỏi thủ tục này.",
}
LEVEL_FILTERS = {
    LEVEL_PROVINCE: Procedure.level_province,
    LEVEL_COMMUNE: Procedure.level_commune,
    LEVEL_MINISTRY: Procedure.level_ministry,
    LEVEL_OTHER: Procedure.level_other,
}
# The fields of the edit page that hold several lines.
LIST_FIELDS = ("steps", "subjects", "results")


def run(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    """``function(session, *args)`` in one transaction (call it in a worker thread)."""
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


async def in_thread(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    """``run`` in a worker thread."""
    return await asyncio.to_thread(run, request, function, *args)


def _list(
    session: Session, query: str, sector: str, level: str, active: str, page: int, codes: list[str] | None
) -> dict[str, Any]:
    statement = select(Procedure)
    if codes is not None:
        statement = statement.where(Procedure.code.in_(codes))
    if sector:
        statement = statement.where(Procedure.sector == sector)
    if level in LEVEL_FILTERS:
        statement = statement.where(LEVEL_FILTERS[level].is_(True))
    if active in ("1", "0"):
        statement = statement.where(Procedure.is_active.is_(active == "1"))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = list(session.scalars(statement.order_by(Procedure.code).offset(page * PAGE_SIZE).limit(PAGE_SIZE)))
    if codes is not None:  # the search's order
        rank = {code: i for i, code in enumerate(codes)}
        rows.sort(key=lambda p: rank.get(p.code, len(rank)))
    sectors = [
        s for s in session.scalars(select(Procedure.sector).distinct().order_by(Procedure.sector)) if s
    ]
    return {"procedures": rows, "total": total, "sectors": sectors}


@requires(Section.KNOWLEDGE)
async def list_page(request: web.Request) -> web.StreamResponse:
    q = request.query.get("q", "").strip()[:200]
    sector, level, active = (request.query.get(k, "") for k in ("sector", "level", "active"))
    page = max(int(request.query.get("page", "0") or 0), 0) if request.query.get("page", "0").isdigit() else 0
    codes = None
    if q:
        result = await asyncio.to_thread(request.config_dict[CATALOG].search, q, 100)
        codes = [c.code for c in result.candidates]
    data = await in_thread(request, _list, q, sector, level, active, page, codes)
    return render(
        request,
        "procedures/list.html",
        q=q,
        sector=sector,
        level=level,
        active=active,
        page=page,
        page_size=PAGE_SIZE,
        levels=list(LEVEL_FILTERS),
        **data,
    )


# ------------------------------------------------------------------------- view


def case_label(document: Any) -> str:
    """The case a document belongs to, unless it only repeats its group's name (the bot skips it too)."""
    label = DOCUMENT_GROUP_LABELS.get(document.group, document.group)
    case = document.case_title or ""
    return "" if not case or fold(case).strip(" :") == fold(label) else case


def history_rows(session: Session, code: str) -> list[dict[str, Any]]:
    """The procedure's changes, newest first: label, what about, and whether it can be undone."""
    return [
        {
            "entry": entry,
            "action": ACTION_LABELS.get(entry.action, entry.action),
            "detail": structure.change_summary(entry),
            "revertable": structure.revertable(entry),
            "snapshot": is_snapshot(entry.before),
        }
        for entry in audit.history(session, ENTITY, code)
    ]


def _view(session: Session, code: str) -> dict[str, Any] | None:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        return None
    return {
        "procedure": procedure,
        "aliases": aliases.list_aliases(session, code),
        "faqs": structure.linked_faqs(session, procedure.id),
        "other_faqs": structure.other_faqs(session, procedure.id),
        "history": history_rows(session, code),
        "edited": [FIELD_LABELS.get(name, name) for name in procedure.edited_fields or ()],
    }


async def render_view(request: web.Request, code: str, status: int = 200, **extra: Any) -> web.Response:
    """The procedure's page; ``extra`` can carry problems and what the editor typed."""
    data = await in_thread(request, _view, code)
    if data is None:
        raise web.HTTPNotFound(text=NOT_FOUND)
    context: dict[str, Any] = {
        "problems": [],
        "notice": NOTICES.get(request.query.get("saved", "")),
        "faq_problems": [],
        "faq_values": {"question": "", "answer": ""},
        "channel_labels": CHANNEL_LABELS,
        "group_labels": DOCUMENT_GROUP_LABELS,
        "case_label": case_label,
        **data,
        **extra,
    }
    return render(request, "procedures/view.html", status=status, **context)


@requires(Section.KNOWLEDGE)
async def view_page(request: web.Request) -> web.StreamResponse:
    return await render_view(request, request.match_info["code"])


# ------------------------------------------------------------------------- edit


def _number_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def shown_fields(procedure: Procedure) -> dict[str, Any]:
    """What the edit page shows, by field name."""
    fields: dict[str, Any] = {name: getattr(procedure, name) or "" for name in TEXT_FIELDS}
    fields["steps"] = "\n".join(procedure.steps or [])
    fields["subjects"] = "\n".join(procedure.subjects or [])
    fields["results"] = "\n".join(str(r.get("name")) for r in procedure.results or [] if r.get("name"))
    fields["levels"] = list(procedure.levels)
    for channel in procedure.channels:
        prefix = f"channel-{channel.id}-"
        for name in CHANNEL_FIELDS:
            value = getattr(channel, name)
            if name == "fee_free":
                fields[prefix + name] = bool(value)
            elif name in ("fee_amount_vnd", "time_value", "time_max"):
                fields[prefix + name] = _number_text(value)
            else:
                fields[prefix + name] = value or ""
    return fields


def _typed(value: Any) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else ""


def posted_fields(form: Any, shown: dict[str, Any]) -> dict[str, Any]:
    """The edit page's fields as posted (a field the form did not send keeps what was shown)."""
    fields: dict[str, Any] = {}
    for key, value in shown.items():
        if key == "levels":
            sent = [str(v) for v in form.getall("levels", []) if v] if "levels" in form else value
            fields[key] = [label for label in LEVEL_COLUMNS if label in sent] + [
                label for label in sent if label not in LEVEL_COLUMNS
            ]
        elif isinstance(value, bool):  # a checkbox: not sent when unchecked, if its fieldset was sent
            fieldset = key.rsplit("-", 1)[0] + "-"
            sent = any(str(name).startswith(fieldset) for name in form)
            fields[key] = form.get(key) == "on" if sent else value
        else:
            fields[key] = _typed(form.get(key)) if key in form else value
    return fields


def _changes(procedure: Procedure, posted: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """The values the editor changed, for ``procedure_edit.apply``."""
    values: dict[str, Any] = {
        name: posted[name]
        for name in (*TEXT_FIELDS, *LIST_FIELDS)
        if posted[name].strip() != str(shown[name]).strip()
    }
    if set(posted["levels"]) != set(shown["levels"]):
        values["levels"] = posted["levels"]
    channels = rows_snapshot(procedure, "channels")
    touched = False
    for row in channels:
        for name in CHANNEL_FIELDS:
            key = f"channel-{row['id']}-{name}"
            if posted[key] != shown[key]:
                row[name] = posted[key]
                touched = True
    if touched:
        values["channels"] = channels
    return values


def _save(session: Session, code: str, form: Any, staff: Staff) -> list[str]:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise web.HTTPNotFound(text=NOT_FOUND)
    shown = shown_fields(procedure)
    return save(session, code, _changes(procedure, posted_fields(form, shown), shown), staff.username)


def _edit_view(session: Session, code: str) -> dict[str, Any] | None:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        return None
    return {"procedure": procedure, "fields": shown_fields(procedure)}


@requires(Section.KNOWLEDGE)
async def edit_page(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    problems: list[str] = []
    form = None
    if request.method == "POST":
        form = await request.post()
        try:
            changed = await in_thread(request, _save, code, form, request[STAFF])
        except InvalidEntryError as problem:
            problems = problem.problems
        else:
            return see_other(f"/console/procedures/{code}?saved={'1' if changed else '0'}")
    data = await in_thread(request, _edit_view, code)
    if data is None:
        raise web.HTTPNotFound(text=NOT_FOUND)
    if form is not None:  # what the editor typed stays on the page
        data["fields"] = posted_fields(form, data["fields"])
    return render(
        request,
        "procedures/edit.html",
        status=422 if problems else 200,
        problems=problems,
        notice=None,
        levels=list(LEVEL_COLUMNS),
        channel_labels=CHANNEL_LABELS,
        unit_labels=TIME_UNIT_LABELS,
        **data,
    )


# ------------------------------------------------------- active, revert, aliases


def _set_active(session: Session, code: str, active: bool, staff: Staff) -> None:
    action = "activate" if active else "deactivate"
    try:
        save(session, code, {"is_active": active}, staff.username, action)
    except LookupError:
        raise web.HTTPNotFound(text=NOT_FOUND) from None


@requires(Section.KNOWLEDGE)
async def active_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    await in_thread(request, _set_active, code, form.get("active") == "1", request[STAFF])
    return see_other(f"/console/procedures/{code}")


@requires(Section.KNOWLEDGE)
async def revert_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    entry_id = int(request.match_info["entry"])
    staff: Staff = request[STAFF]
    try:
        await in_thread(request, structure.revert, code, entry_id, staff.username)
    except LookupError:
        raise web.HTTPNotFound(text="Không tìm thấy phiên bản cần khôi phục.") from None
    except InvalidEntryError as problem:
        return await render_view(request, code, status=422, problems=problem.problems)
    return see_other(f"/console/procedures/{code}?saved=reverted#history")


@requires(Section.KNOWLEDGE)
async def alias_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    text = " ".join(str(form.get("alias", "")).split())[:200]
    staff: Staff = request[STAFF]
    change = structure.remove_alias if form.get("remove") == "1" else structure.add_alias
    if text:
        try:
            await in_thread(request, change, code, text, staff.username)
        except (ValueError, LookupError) as problem:
            raise web.HTTPUnprocessableEntity(text=f"Không lưu được tên gọi khác: {problem}") from None
    return see_other(f"/console/procedures/{code}#aliases")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/procedures", list_page)
    app.router.add_get("/procedures/{code}", view_page)
    app.router.add_route("*", "/procedures/{code}/edit", edit_page)
    app.router.add_post("/procedures/{code}/active", active_action)
    app.router.add_post("/procedures/{code}/revert/{entry:\\d+}", revert_action)
    app.router.add_post("/procedures/{code}/aliases", alias_action)
