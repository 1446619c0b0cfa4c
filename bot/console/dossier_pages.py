"""Dossiers in the console: find, see the history, change the status, import a CSV.

A status change goes through ``knowledge.dossiers.change_status``: it records
a ``DossierEvent``, which the gateway's notifier sends to the dossier's
subscribers. The applicant's name is shown masked in lists; the phone is
never stored, so never shown.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge import audit
from knowledge.dossier_fields import DossierError, status_label
from knowledge.dossier_import import DossierImportError, import_dossiers
from knowledge.dossiers import change_status, find_dossier, list_dossiers
from knowledge.masking import mask_name
from knowledge.messages import STATUS_LABELS
from knowledge.models import DossierStatus

MAX_CSV_BYTES = 5 * 1024 * 1024


def _run(request: web.Request, function: Any, *args: Any) -> Any:
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


def _list(session: Session, code: str, status: str) -> dict[str, Any]:
    if code:
        found = find_dossier(session, code)
        rows = [found] if found else []
    else:
        rows = list_dossiers(session, status=status or None, limit=100)
    for row in rows:
        _ = row.procedure.name  # loaded while the session is open
    return {"dossiers": rows}


@requires(Section.DOSSIERS)
async def list_page(request: web.Request) -> web.StreamResponse:
    code = request.query.get("code", "").strip()[:100]
    status = request.query.get("status", "")
    status = status if status in STATUS_LABELS else ""
    data = await asyncio.to_thread(_run, request, _list, code, status)
    return render(
        request, "dossiers/list.html", code=code, chosen=status, labels=STATUS_LABELS, mask=mask_name, **data
    )


def _view(session: Session, code: str) -> dict[str, Any] | None:
    dossier = find_dossier(session, code)
    if dossier is None:
        return None
    _ = (dossier.procedure.name, list(dossier.events))  # loaded while the session is open
    return {"dossier": dossier, "history": audit.history(session, "dossier", dossier.receipt_code)}


@requires(Section.DOSSIERS)
async def view_page(request: web.Request) -> web.StreamResponse:
    return await _view_response(request, None)


async def _view_response(request: web.Request, error: str | None) -> web.StreamResponse:
    data = await asyncio.to_thread(_run, request, _view, request.match_info["code"])
    if data is None:
        raise web.HTTPNotFound(text="Không tìm thấy hồ sơ.")
    return render(
        request,
        "dossiers/view.html",
        status=422 if error else 200,
        error=error,
        labels=STATUS_LABELS,
        statuses=[s.value for s in DossierStatus],
        mask=mask_name,
        label_of=status_label,
        saved=request.query.get("saved") == "1",
        **data,
    )


def _change(session: Session, code: str, form: Any, staff: Staff) -> None:
    dossier = find_dossier(session, code)
    if dossier is None:
        raise web.HTTPNotFound(text="Không tìm thấy hồ sơ.")
    before = {"status": dossier.status, "step": dossier.current_step}
    supplements = [line for line in str(form.get("supplements", "")).splitlines() if line.strip()]
    event = change_status(
        session,
        dossier,
        str(form.get("status", "")),
        note=str(form.get("note", "")) or None,
        step=str(form.get("step", "")) or None,
        supplements=supplements or None,
        pickup_place=str(form.get("pickup_place", "")) or None,
    )
    if event is not None:
        after = {"status": dossier.status, "step": dossier.current_step, "note": event.note}
        audit.record(
            session,
            staff.username,
            "change_status",
            "dossier",
            dossier.receipt_code,
            before=before,
            after=after,
        )


@requires(Section.DOSSIERS)
async def change_action(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    form = await request.post()
    try:
        await asyncio.to_thread(_run, request, _change, code, form, request[STAFF])
    except DossierError as problem:
        return await _view_response(request, str(problem))
    return see_other(f"/console/dossiers/{code}?saved=1")


def _import(session: Session, data: bytes, dry_run: bool, staff: Staff) -> Any:
    report = import_dossiers(session, data, dry_run=dry_run)
    if not dry_run:
        audit.record(session, staff.username, "import", "dossier", "csv", after=report.counts)
    else:
        session.rollback()
    return report


@requires(Section.DOSSIERS)
async def import_page(request: web.Request) -> web.StreamResponse:
    """Upload a CSV: a preview first (nothing written), then "Nhập" applies the same content."""
    report, error, content = None, None, ""
    if request.method == "POST":
        form = await request.post()
        upload = form.get("file")
        if isinstance(upload, web.FileField):
            data = upload.file.read(MAX_CSV_BYTES + 1)
        else:  # the confirmation carries the previewed content back
            data = str(form.get("content", "")).encode("utf-8")
        if not data:
            error = "Bạn chưa chọn tệp CSV."
        elif len(data) > MAX_CSV_BYTES:
            error = "Tệp quá lớn (tối đa 5 MB)."
        else:
            apply = form.get("apply") == "1"
            try:
                report = await asyncio.to_thread(_run, request, _import, data, not apply, request[STAFF])
            except DossierImportError as problem:
                error = str(problem)
            else:
                content = data.decode("utf-8-sig", errors="replace")
    return render(
        request,
        "dossiers/import.html",
        report=report,
        error=error,
        content=content,
        status=422 if error else 200,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/dossiers", list_page)
    app.router.add_route("*", "/dossiers/import", import_page)
    app.router.add_get("/dossiers/{code}", view_page)
    app.router.add_post("/dossiers/{code}/status", change_action)
