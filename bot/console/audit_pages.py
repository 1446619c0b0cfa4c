"""The audit log in the console (administrators only): every change staff made, newest first.

Filters by who made the change, what kind of record it touched and a range of
the province's calendar days; fifty entries a page. Each entry shows only the
values that changed, shortened, in Vietnamese where the value is known
(roles, states, dates). ``describe`` is shared with the account pages.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.console.permissions import ROLE_LABELS, Section
from bot.console.render import render
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge.local_days import LOCAL_TZ, as_utc, day_range
from knowledge.models import AuditEntry

PAGE_SIZE = 50
MAX_PAGE = 100_000
VALUE_MAX = 120
CHANGES_SHOWN = 8
FILTER_MAX = 64

ACTION_LABELS = {
    "create": "Thêm mới",
    "edit": "Sửa",
    "revert": "Khôi phục bản trước",
    "activate": "Dùng lại",
    "deactivate": "Ngừng dùng",
    "add_alias": "Thêm tên gọi khác",
    "remove_alias": "Xóa tên gọi khác",
    "import": "Nhập dữ liệu",
    "export": "Xuất dữ liệu",
    "change_status": "Đổi tình trạng hồ sơ",
    "reply": "Trả lời người dân",
    "mark_handled": "Đánh dấu đã xử lý",
    "add_training_example": "Thêm câu huấn luyện",
    "change_role": "Đổi vai trò",
    "reset_password": "Đặt lại mật khẩu",
    "unlock": "Mở khóa",
}
ENTITY_LABELS = {
    "procedure": "Thủ tục",
    "agency": "Cơ quan",
    "faq": "Câu hỏi thường gặp",
    "dossier": "Hồ sơ",
    "inbox_item": "Hộp thư",
    "feedback": "Đánh giá",
    "training_example": "Câu huấn luyện",
    "import": "Nhập dữ liệu quốc gia",
    "knowledge": "Kho dữ liệu",
    "staff_user": "Tài khoản",
}
KEY_LABELS = {
    "username": "Tên đăng nhập",
    "role": "Vai trò",
    "is_active": "Trạng thái",
    "failed_logins": "Số lần nhập sai mật khẩu",
    "locked_until": "Khóa đến",
    "sessions_ended": "Phiên đăng nhập bị đóng",
    "password_changed": "Mật khẩu mới",
    "name": "Tên",
    "status": "Tình trạng",
    "step": "Bước",
    "note": "Ghi chú",
    "alias": "Tên gọi khác",
    "question": "Câu hỏi",
    "answer": "Câu trả lời",
    "address": "Địa chỉ",
    "opening_hours": "Giờ làm việc",
    "phone": "Điện thoại",
    "map_url": "Bản đồ",
    "procedure_code": "Mã thủ tục",
    "steps": "Trình tự",
    "channels": "Cách nộp",
    "text": "Câu",
    "intent": "Ý định",
    "channel": "Kênh",
    "chars": "Số ký tự",
    "via": "Cách xử lý",
    "from": "Nguồn",
}
ROLE_NAMES = {role.value: label for role, label in ROLE_LABELS.items()}
EMPTY = "(trống)"
BAD_DATE = "Ngày “{value}” không hợp lệ, bộ lọc ngày này không được dùng."
REVERSED_DATES = "Ngày kết thúc trước ngày bắt đầu, bộ lọc ngày không được dùng."


def local_time(moment: datetime | None) -> str:
    """``moment`` as the province's clock shows it, ``dd/mm/yyyy HH:MM``."""
    return as_utc(moment).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


def _shown(key: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        if key == "is_active":
            return "Đang dùng" if value else "Ngừng dùng"
        return "có" if value else "không"
    if key == "role" and isinstance(value, str):
        return ROLE_NAMES.get(value, value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value) if "T" in value and value[:4].isdigit() else None
        except ValueError:
            moment = None
        text = local_time(moment) if moment and moment.tzinfo else value
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = str(value)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


@dataclass(frozen=True)
class Change:
    """One value of an entry: ``before`` or ``after`` is ``None`` when the entry has no such side."""

    label: str
    before: str | None
    after: str | None


def _changes(entry: AuditEntry) -> list[Change]:
    before, after = entry.before, entry.after
    if before is not None and after is not None:
        keys = list(dict.fromkeys([*before, *after]))
        return [
            Change(KEY_LABELS.get(k, k), _shown(k, before.get(k)), _shown(k, after.get(k)))
            for k in keys
            if before.get(k) != after.get(k)
        ]
    side = after if after is not None else before or {}
    return [
        Change(
            KEY_LABELS.get(k, k),
            None if after is not None else _shown(k, v),
            _shown(k, v) if after is not None else None,
        )
        for k, v in side.items()
        if _shown(k, v) != EMPTY
    ]


def _name(entry: AuditEntry) -> str | None:
    """How staff call the record (an account's username), when the entry says it."""
    for values in (entry.after, entry.before):
        if values and isinstance(values.get("username"), str):
            return str(values["username"])
    return None


def describe(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the pages show it: time, labels, and at most a few changes."""
    changes = _changes(entry)
    return {
        "id": entry.id,
        "time": local_time(entry.occurred_at),
        "actor": entry.actor,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "entity": ENTITY_LABELS.get(entry.entity, entry.entity),
        "entity_key": entry.entity,
        "entity_id": entry.entity_id,
        "name": _name(entry),
        "changes": changes[:CHANGES_SHOWN],
        "more": max(len(changes) - CHANGES_SHOWN, 0),
    }


@dataclass(frozen=True)
class Filters:
    """The log's filters as the page's form sent them (checked)."""

    actor: str = ""
    entity: str = ""
    start: str = ""
    end: str = ""
    page: int = 0

    def query(self, page: int) -> str:
        values = {"actor": self.actor, "entity": self.entity, "from": self.start, "to": self.end}
        kept = {k: v for k, v in values.items() if v}
        return urlencode({**kept, "page": page}) if page else urlencode(kept)


def _day(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(BAD_DATE.format(value=value))
        return None


def _range(filters: Filters, problems: list[str]) -> tuple[datetime | None, datetime | None]:
    first, last = _day(filters.start, problems), _day(filters.end, problems)
    if first and last and last < first:
        problems.append(REVERSED_DATES)
        return None, None
    start = day_range(first, first)[0] if first else None
    end = day_range(last, last)[1] if last else None
    return start, end


def _filtered(filters: Filters, start: datetime | None, end: datetime | None) -> Select[AuditEntry]:
    statement = select(AuditEntry)
    if filters.actor:
        statement = statement.where(AuditEntry.actor == filters.actor)
    if filters.entity:
        statement = statement.where(AuditEntry.entity == filters.entity)
    if start is not None:
        statement = statement.where(AuditEntry.occurred_at >= start)
    if end is not None:
        statement = statement.where(AuditEntry.occurred_at < end)
    return statement


def _log(session: Session, filters: Filters) -> dict[str, Any]:
    problems: list[str] = []
    start, end = _range(filters, problems)
    statement = _filtered(filters, start, end)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    entries = session.scalars(
        statement.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
        .offset(filters.page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return {
        "entries": [describe(entry) for entry in entries],
        "total": total,
        "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        "actors": list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))),
        "entities": list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))),
        "problems": problems,
    }


def _run(request: web.Request, filters: Filters) -> dict[str, Any]:
    with request.config_dict[SESSIONS]() as session:
        return _log(session, filters)


def _filters(request: web.Request) -> Filters:
    query = request.query
    page = query.get("page", "0")
    return Filters(
        actor=query.get("actor", "").strip()[:FILTER_MAX],
        entity=query.get("entity", "").strip()[:FILTER_MAX],
        start=query.get("from", "").strip()[:10],
        end=query.get("to", "").strip()[:10],
        page=min(int(page), MAX_PAGE) if page.isdigit() else 0,
    )


@requires(Section.USERS)
async def audit_page(request: web.Request) -> web.StreamResponse:
    filters = _filters(request)
    data = await asyncio.to_thread(_run, request, filters)
    return render(
        request,
        "audit.html",
        filters=filters,
        entity_labels=ENTITY_LABELS,
        page_size=PAGE_SIZE,
        **data,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/audit", audit_page)
