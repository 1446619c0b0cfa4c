"""Sign in and sign out."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta, timezone

from aiohttp import web

from bot.console.identity import LOGIN_CSRF, STAFF
from bot.console.render import render, see_other
from bot.console.security import COOKIE, LOGIN_COOKIE, same, set_cookie
from bot.state import SESSIONS
from knowledge.staff_login import SESSION_DURATION, authenticate, close_session, open_session

VIETNAM = timezone(timedelta(hours=7))


def _next_path(value: str | None) -> str:
    """Only a path inside the console (no open redirect)."""
    return value if value and value.startswith("/console/") and not value.startswith("//") else "/console/"


async def login_page(request: web.Request) -> web.StreamResponse:
    if request.get(STAFF):
        raise web.HTTPSeeOther("/console/")
    token = secrets.token_urlsafe(24)
    request[LOGIN_CSRF] = token
    response = render(request, "login.html", next=_next_path(request.query.get("next")), error=None)
    set_cookie(request, response, LOGIN_COOKIE, token, 3600)
    return response


def _sign_in(request: web.Request, username: str, password: str) -> tuple[str | None, str | None]:
    """(session token, None) when signed in, else (None, the message to show)."""
    with request.config_dict[SESSIONS]() as session, session.begin():
        result = authenticate(session, username, password)
        if result.user is None:
            if result.locked_until is not None:
                until = result.locked_until.astimezone(VIETNAM).strftime("%H:%M")
                return None, f"Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {until}."
            return None, "Tên đăng nhập hoặc mật khẩu không đúng."
        token, _ = open_session(session, result.user)
        return token, None


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    if not same(str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE)):
        raise web.HTTPForbidden(text="Yêu cầu không hợp lệ (mã bảo vệ biểu mẫu sai). Hãy tải lại trang.")
    username, password = str(form.get("username", ""))[:64], str(form.get("password", ""))[:256]
    token, error = await asyncio.to_thread(_sign_in, request, username, password)
    if token is None:
        fresh = secrets.token_urlsafe(24)
        request[LOGIN_CSRF] = fresh
        response = render(
            request, "login.html", status=401, next=_next_path(str(form.get("next", ""))), error=error
        )
        set_cookie(request, response, LOGIN_COOKIE, fresh, 3600)
        return response
    response = see_other(_next_path(str(form.get("next", ""))))
    set_cookie(request, response, COOKIE, token, int(SESSION_DURATION.total_seconds()))
    response.del_cookie(LOGIN_COOKIE, path="/console")
    return response


def _sign_out(request: web.Request, token: str) -> None:
    with request.config_dict[SESSIONS]() as session, session.begin():
        close_session(session, token)


async def logout(request: web.Request) -> web.StreamResponse:
    staff = request[STAFF]
    await asyncio.to_thread(_sign_out, request, staff.token)
    response = see_other("/console/login")
    response.del_cookie(COOKIE, path="/console")
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
