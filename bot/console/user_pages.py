"""Staff accounts in the console (administrators only): list, create, change role,
deactivate or reactivate, reset password, unlock.

The rules (usernames, passwords, never removing the last administrator, ending
sessions) and the audit live in ``knowledge.staff_accounts``; these pages read
the forms, show refusals next to the form, and redirect after a change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.orm import Session

from bot.console.audit_pages import describe, local_time
from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge import audit
from knowledge import staff_accounts as accounts
from knowledge.models import StaffRole, StaffUser
from knowledge.staff import MIN_PASSWORD_LENGTH
from knowledge.staff_login import LOCK_DURATION, MAX_FAILED_LOGINS

T = TypeVar("T")

ID = r"{id:\d{1,9}}"
FIELD_MAX = 1024
NOTICES = {
    "created": "Đã tạo tài khoản. Hãy báo mật khẩu ban đầu cho người dùng qua một kênh an toàn.",
    "role": "Đã đổi vai trò. Các phiên đăng nhập của tài khoản này đã bị đóng.",
    "deactivated": "Đã ngừng tài khoản. Các phiên đăng nhập của tài khoản này đã bị đóng.",
    "activated": "Đã cho dùng lại tài khoản.",
    "password": "Đã đặt mật khẩu mới và mở khóa. Các phiên đăng nhập khác của tài khoản đã bị đóng.",
    "unlocked": "Đã mở khóa tài khoản.",
    "unchanged": "Không có gì thay đổi.",
}
ROLE_HINTS = {
    StaffRole.ADMIN: "mọi chức năng, kể cả tài khoản và nhật ký thay đổi",
    StaffRole.EDITOR: "thủ tục, cơ quan, câu hỏi thường gặp, hộp thư",
    StaffRole.OPERATOR: "hồ sơ, hộp thư và trả lời người dân",
    StaffRole.VIEWER: "chỉ xem tổng quan và thống kê",
}


def _run(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


async def _in_thread(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(_run, request, function, *args)


def _actor(request: web.Request) -> accounts.Actor:
    staff: Staff = request[STAFF]
    return accounts.Actor(staff.user_id, staff.username)


def _account_id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value[:FIELD_MAX] if isinstance(value, str) else ""


def _state(user: StaffUser, now: datetime) -> str:
    if not user.is_active:
        return "Ngừng dùng"
    if accounts.is_locked(user, now):
        return f"Tạm khóa đến {local_time(user.locked_until)}"
    return "Đang dùng"


def _row(user: StaffUser, now: datetime) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "is_active": user.is_active,
        "locked": accounts.is_locked(user, now),
        "state": _state(user, now),
        "failed_logins": user.failed_logins or 0,
        "last_login": local_time(user.last_login_at) or "Chưa đăng nhập",
        "created": local_time(user.created_at),
    }


def _list(session: Session) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [_row(user, now) for user in accounts.list_accounts(session)]


def _common() -> dict[str, Any]:
    return {"roles": list(StaffRole), "role_hints": ROLE_HINTS, "password_min": MIN_PASSWORD_LENGTH}


@requires(Section.USERS)
async def list_page(request: web.Request) -> web.StreamResponse:
    rows = await _in_thread(request, _list)
    return render(
        request,
        "users.html",
        accounts=rows,
        notice=NOTICES.get(request.query.get("saved", "")),
        max_failed=MAX_FAILED_LOGINS,
        lock_minutes=int(LOCK_DURATION.total_seconds() // 60),
    )


@requires(Section.USERS)
async def new_page(request: web.Request) -> web.StreamResponse:
    values = {"username": "", "role": StaffRole.VIEWER.value}
    problems: list[str] = []
    if request.method == "POST":
        form = await request.post()
        values = {"username": _field(form, "username")[:100], "role": _field(form, "role")}
        password = _field(form, "password")
        if password != _field(form, "password_again"):
            named = accounts.username_problem(values["username"])
            problems = [named, accounts.PASSWORD_MISMATCH] if named else [accounts.PASSWORD_MISMATCH]
        else:
            try:
                user = await _in_thread(
                    request,
                    accounts.create_account,
                    _actor(request),
                    values["username"],
                    values["role"],
                    password,
                )
            except accounts.AccountError as refused:
                problems = refused.problems
            else:
                return see_other(f"/console/users/{user.id}?saved=created")
    return render(
        request,
        "users_new.html",
        status=422 if problems else 200,
        values=values,
        problems=problems,
        notice=None,
        **_common(),
    )


def _account(session: Session, user_id: int) -> dict[str, Any]:
    try:
        user = accounts.get_account(session, user_id)
    except LookupError:
        raise web.HTTPNotFound(text=accounts.NOT_FOUND) from None
    return {
        "account": _row(user, datetime.now(UTC)),
        "sessions": accounts.open_sessions(session, user.id),
        "history": [describe(entry) for entry in audit.history(session, accounts.ENTITY, user.id)],
    }


async def _account_response(
    request: web.Request, problems: list[str] | None = None, status: int = 200
) -> web.StreamResponse:
    data = await _in_thread(request, _account, _account_id(request))
    staff: Staff = request[STAFF]
    return render(
        request,
        "users_account.html",
        status=status,
        problems=problems or [],
        notice=NOTICES.get(request.query.get("saved", "")) if not problems else None,
        is_self=data["account"]["id"] == staff.user_id,
        **data,
        **_common(),
    )


@requires(Section.USERS)
async def account_page(request: web.Request) -> web.StreamResponse:
    return await _account_response(request)


async def _change(request: web.Request, function: Callable[..., Any], *args: Any) -> Any:
    """Run a change of the account in the URL; a refusal is shown on the account's page (409)."""
    try:
        return await _in_thread(request, function, _actor(request), _account_id(request), *args)
    except LookupError:
        raise web.HTTPNotFound(text=accounts.NOT_FOUND) from None


def _done(request: web.Request, code: str) -> web.Response:
    return see_other(f"/console/users/{_account_id(request)}?saved={code}")


@requires(Section.USERS)
async def role_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    try:
        changed = await _change(request, accounts.change_role, _field(form, "role"))
    except accounts.AccountError as refused:
        return await _account_response(request, refused.problems, 409)
    return _done(request, "role" if changed else "unchanged")


@requires(Section.USERS)
async def active_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    active = _field(form, "active") == "1"
    try:
        changed = await _change(request, accounts.set_active, active)
    except accounts.AccountError as refused:
        return await _account_response(request, refused.problems, 409)
    if not changed:
        return _done(request, "unchanged")
    return _done(request, "activated" if active else "deactivated")


@requires(Section.USERS)
async def password_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    password = _field(form, "password")
    if password != _field(form, "password_again"):
        return await _account_response(request, [accounts.PASSWORD_MISMATCH], 422)
    staff: Staff = request[STAFF]
    try:
        await _change(request, accounts.reset_password, password, staff.token)
    except accounts.AccountError as refused:
        return await _account_response(request, refused.problems, 422)
    return _done(request, "password")


@requires(Section.USERS)
async def unlock_action(request: web.Request) -> web.StreamResponse:
    changed = await _change(request, accounts.unlock)
    return _done(request, "unlocked" if changed else "unchanged")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/users", list_page)
    app.router.add_get("/users/new", new_page)
    app.router.add_post("/users/new", new_page)
    app.router.add_get(f"/users/{ID}", account_page)
    app.router.add_post(f"/users/{ID}/role", role_action)
    app.router.add_post(f"/users/{ID}/active", active_action)
    app.router.add_post(f"/users/{ID}/password", password_action)
    app.router.add_post(f"/users/{ID}/unlock", unlock_action)
