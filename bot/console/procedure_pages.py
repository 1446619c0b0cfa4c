"""Procedures in the console: search and filters, view, edit, deactivate, history and revert."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import CATALOG, SESSIONS
from knowledge import aliases, audit
from knowledge.messages import CHANNEL_LABELS, TIME_UNIT_LABELS
from knowledge.models import Faq, Procedure
from knowledge.procedure_edit import CHANNEL_FIELDS, TEXT_FIELDS, apply, snapshot
from knowledge.queries import procedure_with_details
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE

PAGE_SIZE = 50
ACTION_LABELS = {
    "edit": "Sửa",
    "revert": "Khôi phục bản trước",
    "activate": "Dùng lại",
    "deactivate": "Ngừng dùng",
    "add_alias": "Thêm tên gọi khác",
    "remove_alias": "Xóa tên gọi khác",
}
LEVEL_COLUMNS = {
    LEVEL_PROVINCE: Procedure.level_province,
    LEVEL_COMMUNE: Procedure.level_commune,
    LEVEL_MINISTRY: Procedure.level_ministry,
    LEVEL_OTHER: Procedure.level_other,
}


def _list(
    session: Session, query: str, sector: str, level: str, active: str, page: int, codes: list[str] | None
) -> dict[str, Any]:
    statement = select(Procedure)
    if codes is not None:
        statement = statement.where(Procedure.code.in_(codes))
    if sector:
        statement = statement.where(Procedure.sector == sector)
    if level in LEVEL_COLUMNS:
        statement = statement.where(LEVEL_COLUMNS[level].is_(True))
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
    data = await asyncio.to_thread(_run, request, _list, q, sector, level, active, page, codes)
    return render(
        request,
        "procedures/list.html",
        q=q,
        sector=sector,
        level=level,
        active=active,
        page=page,
        page_size=PAGE_SIZE,
        levels=list(LEVEL_COLUMNS),
        **data,
    )


def _run(request: web.Request, function: Any, *args: Any) -> Any:
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


def _view(session: Session, code: str) -> dict[str, Any] | None:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        return None
    return {
        "procedure": procedure,
        "aliases": aliases.list_aliases(session, code),
        "faqs": list(session.scalars(select(Faq).where(Faq.procedure_id == procedure.id))),
        "history": audit.history(session, "procedure", code),
        "action_labels": ACTION_LABELS,
    }


@requires(Section.KNOWLEDGE)
async def view_page(request: web.Request) -> web.StreamResponse:
    data = await asyncio.to_thread(_run, request, _view, request.match_info["code"])
    if data is None:
        raise web.HTTPNotFound(text="Không tìm thấy thủ tục.")
    saved = {"1": "Đã lưu thay đổi. Trợ lý ảo trả lời theo nội dung mới ngay.", "0": "Không có gì thay đổi."}
    return render(
        request,
        "procedures/view.html",
        channel_labels=CHANNEL_LABELS,
        unit_labels=TIME_UNIT_LABELS,
        saved=saved.get(request.query.get("saved", "")),
        **data,
    )


def _form_values(form: Any, procedure: Procedure) -> dict[str, Any]:
    values: dict[str, Any] = {name: form.get(name, "") for name in TEXT_FIELDS}
    values["steps"] = str(form.get("steps", "")).splitlines()
    values["channels"] = []
    for channel in procedure.channels:
        given: dict[str, Any] = {"id": channel.id}
        for name in CHANNEL_FIELDS:
            key = f"channel-{channel.id}-{name}"
            if name == "fee_free":
                given[name] = form.get(key) == "on"
            elif key in form:
                given[name] = form.get(key)
        values["channels"].append(given)
    return values


def _save(session: Session, code: str, form: Any, staff: Staff) -> str | None:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise web.HTTPNotFound(text="Không tìm thấy thủ tục.")
    before = snapshot(procedure)
    changed = apply(procedure, _form_values(form, procedure))
    if changed:
        audit.record(
            session, staff.username, "edit", "procedure", code, before=before, after=snapshot(procedure)
        )
    return ", ".join(changed) if changed else None


@requires(Section.KNOWLEDGE)
async def edit_page(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    error = None
    if request.method == "POST":
        form = await request.post()
        try:
            changed = await asyncio.to_thread(_run, request, _save, code, form, request[STAFF])
        except ValueError as problem:
            error = str(problem)
        else:
            return see_other(f"/console/procedures/{code}?saved={'1' if changed else '0'}")
    data = await asyncio.to_thread(_run, request, _view, code)
    if data is None:
        raise web.HTTPNotFound(text="Không tìm thấy thủ tục.")
    return render(
        request,
        "procedures/edit.html",
        status=422 if error else 200,
        error=error,
        channel_labels=CHANNEL_LABELS,
        unit_labels=TIME_UNIT_LABELS,
        **data,
    )


def _set_active(session: Session, code: str, active: bool, staff: Staff) -> None:
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise web.HTTPNotFound(text="Không tìm thấy thủ tục.")
    before = snapshot(procedure)
    if apply(procedure, {"is_active": active}):
        action = "activate" if active else "deactivate"
        audit.record(
            session, staff.username, action, "procedure", code, before=before, after=snapshot(procedure)
        )


@requires(Section.KNOWLEDGE)
async def active_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    await asyncio.to_thread(_run, request, _set_active, code, form.get("active") == "1", request[STAFF])
    return see_other(f"/console/procedures/{code}")


def _revert(session: Session, code: str, entry_id: int, staff: Staff) -> None:
    procedure = procedure_with_details(session, code)
    entry = next((e for e in audit.history(session, "procedure", code, limit=1000) if e.id == entry_id), None)
    if procedure is None or entry is None or entry.before is None:
        raise web.HTTPNotFound(text="Không tìm thấy phiên bản cần khôi phục.")
    before = snapshot(procedure)
    if apply(procedure, entry.before):
        audit.record(
            session, staff.username, "revert", "procedure", code, before=before, after=snapshot(procedure)
        )


@requires(Section.KNOWLEDGE)
async def revert_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    entry_id = int(request.match_info["entry"])
    await asyncio.to_thread(_run, request, _revert, code, entry_id, request[STAFF])
    return see_other(f"/console/procedures/{code}")


def _alias(session: Session, code: str, text: str, remove: bool, staff: Staff) -> None:
    if remove:
        aliases.remove(session, text, [code])
        audit.record(session, staff.username, "remove_alias", "procedure", code, before={"alias": text})
    else:
        aliases.add(session, text, [code])
        audit.record(session, staff.username, "add_alias", "procedure", code, after={"alias": text})


@requires(Section.KNOWLEDGE)
async def alias_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    text = " ".join(str(form.get("alias", "")).split())[:200]
    if text:
        try:
            await asyncio.to_thread(
                _run, request, _alias, code, text, form.get("remove") == "1", request[STAFF]
            )
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
