"""Nhập dữ liệu quốc gia / Xuất dữ liệu: the national data import and the export, in the console.

Import in three steps:

1. ``POST /import`` (multipart, at most ``MAX_UPLOAD_BYTES``): the JSON Lines
   file is stored under ``var/uploads/`` with a random name, bound to the
   staff session (``import_uploads``);
2. ``GET /import/{upload}``: a preview of what importing it would change
   (``knowledge.importer.preview_files``: computed in memory, nothing written):
   new procedures, updated ones with the fields that change and the staff
   edits that are kept, unchanged ones, lines that cannot be imported;
3. ``POST /import/{upload}/apply``: the import itself (``import_files``, the
   same code as ``python -m knowledge import``; staff-edited fields are kept),
   one audit entry with what changed, the report saved under ``var/``; the file
   is then removed. ``POST /import/{upload}/cancel`` removes it without importing.

``GET /export`` downloads the knowledge base as JSON Lines (``knowledge.export``),
a file that ``import`` reads back.

The gateway accepts small request bodies only; ``upload_limit`` (a console
middleware placed before ``staff_gate``) lets the upload form's request be
larger, up to the limit, and sends a clear message beyond it.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
from pathlib import Path
from typing import IO, Any

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.console import import_uploads as uploads
from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge import audit
from knowledge.db import session_scope
from knowledge.export import export_procedures
from knowledge.importer import import_files, preview_files
from knowledge.models import AuditEntry, Procedure
from knowledge.models.base import utcnow
from knowledge.report import ImportReport
from knowledge.settings import VAR_DIR

logger = logging.getLogger(__name__)

# Where uploads (``uploads/``) and import reports go; the project's var/ unless set (tests).
IMPORT_DIR = web.AppKey("import_dir", Path)

MAX_UPLOAD_BYTES = uploads.MAX_UPLOAD_BYTES
FORM_OVERHEAD_BYTES = 64 * 1024  # the CSRF field and the multipart boundaries
UPLOAD_ROUTE = "console_data_upload"
LISTED = 200  # procedures listed per group on the preview and result pages
EXPORT_CHUNK_BYTES = 256 * 1024
JSONL_TYPE = "application/jsonl"
ACCEPTED_SUFFIXES = (".jsonl", ".ndjson")

FIELD_LABELS = {
    "name": "Tên thủ tục",
    "sector": "Lĩnh vực",
    "levels": "Cấp thực hiện",
    "procedure_type": "Loại thủ tục",
    "subjects": "Đối tượng thực hiện",
    "competent_agency": "Cơ quan có thẩm quyền",
    "executing_agency": "Cơ quan thực hiện",
    "delegated_agency": "Cơ quan được ủy quyền",
    "coordinating_agency": "Cơ quan phối hợp",
    "receiving_address": "Địa chỉ tiếp nhận",
    "steps": "Trình tự thực hiện",
    "conditions": "Yêu cầu, điều kiện",
    "results": "Kết quả",
    "related_procedures": "Thủ tục liên quan",
    "decision_number": "Số quyết định công bố",
    "url": "Trang chính thức",
    "portal_id": "Mã trên Cổng dịch vụ công",
    "channels": "Cách thức, thời hạn, phí",
    "documents": "Thành phần hồ sơ",
    "legal_bases": "Căn cứ pháp lý",
    "source": "Nguồn dữ liệu",
    "ministry": "Danh mục bộ, ngành",
    "parse_issues": "Ghi chú khi phân tích",
    "is_active": "Trạng thái",
}
SKIP_LABELS = {
    "invalid_json": "dòng không phải một bản ghi JSON",
    "unknown_format": "không đúng định dạng dữ liệu quốc gia",
    "missing_code_or_name": "thiếu mã hoặc tên thủ tục",
    "duplicate_code_in_input": "mã thủ tục lặp lại trong tệp",
    "mislabeled": "nội dung thuộc thủ tục khác (gắn nhầm mã)",
}
TOO_LARGE = "Tệp quá lớn: chỉ nhận tệp đến {max_mb} MB."
ERRORS = {
    "too_large": TOO_LARGE,
    "gone": "Không còn tệp này: đã nhập, đã hủy hoặc đã quá hạn. Hãy tải tệp lên lại.",
    "failed": (
        "Chưa nhập được dữ liệu (đã hoàn tác, không có gì thay đổi). Hãy thử lại hoặc báo quản trị viên."
    ),
}
NO_FILE = "Hãy chọn tệp dữ liệu cần nhập."
WRONG_KIND = "Chỉ nhận tệp JSON Lines (đuôi .jsonl): mỗi dòng một thủ tục theo định dạng dữ liệu quốc gia."
EMPTY_FILE = "Tệp không có nội dung."
UNREADABLE = "Không đọc được tệp này. Hãy kiểm tra tệp là JSON Lines, mã hóa UTF-8."


def _folder(request: web.Request) -> Path:
    folder: Path = request.config_dict.get(IMPORT_DIR, VAR_DIR)
    return folder


def _staff(request: web.Request) -> Staff:
    return request[STAFF]


@web.middleware
async def upload_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let the upload form's request body reach ``MAX_UPLOAD_BYTES``; say so beyond it."""
    route = request.match_info.route
    if request.method != "POST" or route is None or route.name != UPLOAD_ROUTE:
        return await handler(request)
    if (request.content_length or 0) > MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES:
        logger.info("import upload refused: %s bytes", request.content_length)
        return see_other("/console/import?error=too_large")
    try:
        return await handler(request.clone(client_max_size=MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES))
    except web.HTTPRequestEntityTooLarge:
        return see_other("/console/import?error=too_large")


# ------------------------------------------------------------------------ upload


def _max_mb() -> int:
    return MAX_UPLOAD_BYTES // (1024 * 1024)


def _error(code: str) -> str | None:
    message = ERRORS.get(code)
    return message.format(max_mb=_max_mb()) if message else None


def _upload_form(request: web.Request, error: str | None, status: int = 200) -> web.Response:
    return render(request, "imports/upload.html", status=status, error=error, max_mb=_max_mb())


@requires(Section.KNOWLEDGE)
async def import_page(request: web.Request) -> web.StreamResponse:
    await asyncio.to_thread(uploads.remove_expired, _folder(request))
    return _upload_form(request, _error(request.query.get("error", "")))


@requires(Section.KNOWLEDGE)
async def upload_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    field = form.get("file")
    if not isinstance(field, web.FileField) or not field.filename:
        return _upload_form(request, NO_FILE, 422)
    try:
        if not field.filename.lower().endswith(ACCEPTED_SUFFIXES):
            return _upload_form(request, WRONG_KIND, 422)
        staff = _staff(request)
        upload = await asyncio.to_thread(
            uploads.save,
            _folder(request),
            field.file,
            field.filename,
            staff.token,
            staff.username,
            MAX_UPLOAD_BYTES,
        )
    except uploads.UploadTooLargeError:
        return _upload_form(request, _error("too_large"), 413)
    except uploads.UploadEmptyError:
        return _upload_form(request, EMPTY_FILE, 422)
    finally:
        field.file.close()
    return see_other(f"/console/import/{upload.id}")


# ----------------------------------------------------------------------- preview


def _find_upload(request: web.Request) -> uploads.Upload:
    upload = uploads.load(_folder(request), request.match_info["upload"], _staff(request).token)
    if upload is None:
        raise web.HTTPSeeOther("/console/import?error=gone")
    return upload


def _preview(sessions: sessionmaker[Session], path: Path) -> ImportReport:
    with sessions() as session:
        return preview_files(session, [path])


def _skipped(report: ImportReport) -> list[dict[str, Any]]:
    return [
        {**row, "label": SKIP_LABELS.get(row["reason"], row["reason"])}
        for row in report.skipped_records[:LISTED]
    ]


@requires(Section.KNOWLEDGE)
async def preview_page(request: web.Request) -> web.StreamResponse:
    upload = _find_upload(request)
    folder = _folder(request)
    try:
        report = await asyncio.to_thread(_preview, request.config_dict[SESSIONS], upload.data_path(folder))
    except OSError:
        logger.exception("import preview failed for %s", upload.id)
        return _upload_form(request, UNREADABLE, 422)
    return render(
        request,
        "imports/preview.html",
        upload=upload,
        report=report,
        skipped=_skipped(report),
        skipped_total=sum(report.skipped.values()),
        listed=LISTED,
        field_labels=FIELD_LABELS,
        error=_error(request.query.get("error", "")),
    )


# ------------------------------------------------------------------------- apply


def _summary(report: ImportReport, upload: uploads.Upload) -> dict[str, Any]:
    return {
        "file": upload.original_name,
        "size": upload.size,
        "sha256": upload.sha256,
        "read": report.read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": dict(report.skipped),
        "changes": report.as_dict()["changes"],
    }


def _apply(
    sessions: sessionmaker[Session], path: Path, upload: uploads.Upload, actor: str, report_dir: Path
) -> int:
    with session_scope(sessions) as session:
        report = import_files(session, [path])
        entry = audit.record(session, actor, "import", "import", upload.id, after=_summary(report, upload))
        entry_id = entry.id
    try:
        report.save(report_dir)
    except OSError:
        logger.warning("import report not saved", exc_info=True)
    return entry_id


@requires(Section.KNOWLEDGE)
async def apply_action(request: web.Request) -> web.StreamResponse:
    upload = _find_upload(request)
    folder = _folder(request)
    claimed = uploads.claim(folder, upload)
    if claimed is None:  # applied meanwhile (a second click)
        return see_other("/console/import?error=gone")
    sessions = request.config_dict[SESSIONS]
    try:
        entry_id = await asyncio.to_thread(
            _apply, sessions, claimed, upload, _staff(request).username, folder
        )
    except (SQLAlchemyError, OSError):
        logger.exception("import of %s failed", upload.id)
        uploads.release(folder, upload)
        return see_other(f"/console/import/{upload.id}?error=failed")
    uploads.discard(folder, upload.id)
    logger.info("import %s applied (audit entry %s)", upload.id, entry_id)
    return see_other(f"/console/import/results/{entry_id}")


@requires(Section.KNOWLEDGE)
async def cancel_action(request: web.Request) -> web.StreamResponse:
    upload = _find_upload(request)
    uploads.discard(_folder(request), upload.id)
    return see_other("/console/import")


def _result(session: Session, entry_id: int) -> dict[str, Any] | None:
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.entity != "import" or entry.after is None:
        return None
    changes = entry.after.get("changes") or {}
    created = list(changes.get("created") or [])[:LISTED]
    updated = list(changes.get("updated") or [])[:LISTED]
    codes = created + [item["code"] for item in updated]
    names = dict(
        session.execute(select(Procedure.code, Procedure.name).where(Procedure.code.in_(codes))).all()
    )
    return {"entry": entry, "summary": entry.after, "created": created, "updated": updated, "names": names}


@requires(Section.KNOWLEDGE)
async def result_page(request: web.Request) -> web.StreamResponse:
    def load() -> dict[str, Any] | None:
        with request.config_dict[SESSIONS]() as session:
            return _result(session, int(request.match_info["entry"]))

    data = await asyncio.to_thread(load)
    if data is None:
        raise web.HTTPNotFound(text="Không tìm thấy lần nhập dữ liệu này.")
    return render(
        request,
        "imports/result.html",
        listed=LISTED,
        field_labels=FIELD_LABELS,
        skip_labels=SKIP_LABELS,
        **data,
    )


# ------------------------------------------------------------------------ export


def _export(sessions: sessionmaker[Session], folder: Path, actor: str) -> tuple[IO[bytes], int, int]:
    """The export in an anonymous temporary file (read from its start), its size and procedure count."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (returned open, closed by the caller)
    try:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        with sessions() as session:
            count = export_procedures(session, text)
        text.flush()
        binary = text.detach()
        size = binary.tell()
        binary.seek(0)
        with session_scope(sessions) as session:
            audit.record(session, actor, "export", "knowledge", "procedures", after={"procedures": count})
    except BaseException:
        handle.close()
        raise
    return handle, size, count


@requires(Section.KNOWLEDGE)
async def export_action(request: web.Request) -> web.StreamResponse:
    handle, size, count = await asyncio.to_thread(
        _export, request.config_dict[SESSIONS], _folder(request), _staff(request).username
    )
    try:
        stamp = utcnow().strftime("%Y%m%d-%H%M")
        response = web.StreamResponse(
            headers={
                "Content-Disposition": f'attachment; filename="tthc-{stamp}.jsonl"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            }
        )
        response.content_type = JSONL_TYPE
        response.charset = "utf-8"
        response.content_length = size
        await response.prepare(request)
        while chunk := await asyncio.to_thread(handle.read, EXPORT_CHUNK_BYTES):
            await response.write(chunk)
        await response.write_eof()
    finally:
        handle.close()
    logger.info("exported %s procedures (%s bytes)", count, size)
    return response


def add_routes(app: web.Application) -> None:
    page = app.router.add_resource("/import", name=UPLOAD_ROUTE)
    page.add_route("GET", import_page)
    page.add_route("POST", upload_action)
    app.router.add_get(r"/import/{upload:[0-9a-f]{32}}", preview_page)
    app.router.add_post(r"/import/{upload:[0-9a-f]{32}}/apply", apply_action)
    app.router.add_post(r"/import/{upload:[0-9a-f]{32}}/cancel", cancel_action)
    app.router.add_get(r"/import/results/{entry:\d{1,9}}", result_page)
    app.router.add_get("/export", export_action)
