"""The console's gate: the staff session cookie, CSRF checks, roles, security headers.

Every console page but the login page needs a signed-in account; every POST
carries the session's CSRF token (the login form a double-submit cookie);
every page checks the account's role for its section. Cookies are
``HttpOnly``, ``SameSite=Strict``, and ``Secure`` when the console is reached
over HTTPS.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section, may
from bot.console.render import render
from bot.middlewares import SERVER
from bot.state import SESSIONS, SETTINGS
from knowledge.staff_login import find_session

logger = logging.getLogger(__name__)

COOKIE = "tthc_staff"
LOGIN_COOKIE = "tthc_login"
PUBLIC_PATHS = ("/console/login", "/console/static/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)

PageHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_https(request: web.Request) -> bool:
    settings = request.config_dict[SETTINGS]
    forwarded = request.headers.get("X-Forwarded-Proto", "")
    return (
        request.secure
        or forwarded == "https"
        or bool(settings.public_url and settings.public_url.startswith("https:"))
    )


def set_cookie(
    request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/console",
        httponly=True,
        samesite="Strict",
        secure=is_https(request),
    )


def _load(request: web.Request, token: str) -> Staff | None:
    with request.config_dict[SESSIONS]() as session:
        row = find_session(session, token)
        if row is None:
            return None
        return Staff(row.user_id, row.user.username, row.user.role, row.csrf_token, token)


def same(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())


def _protect(headers: MutableMapping[str, str]) -> None:
    headers["Content-Security-Policy"] = CSP
    headers["X-Frame-Options"] = "DENY"
    headers["Cache-Control"] = "no-store"


async def protect_prepared(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: the headers on answers a page streams itself (CSV exports)."""
    _protect(response.headers)
    response.headers["Server"] = SERVER


@web.middleware
async def staff_gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The console's checks; its headers on every answer, refusals and redirects included."""
    try:
        response = await _checked(request, handler)
    except web.HTTPException as exception:
        _protect(exception.headers)
        raise
    _protect(response.headers)
    return response


async def _checked(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Load the session; send strangers to the login page; check CSRF on every POST."""
    token = request.cookies.get(COOKIE, "")
    staff = await asyncio.to_thread(_load, request, token) if token else None
    if staff is not None:
        request[STAFF] = staff
    public = request.path.startswith(PUBLIC_PATHS)
    if staff is None and not public:
        if request.method == "GET":
            raise web.HTTPSeeOther(
                f"/console/login?next={request.path_qs}" if request.path != "/console/" else "/console/login"
            )
        raise web.HTTPForbidden(text="Phiên làm việc đã hết, vui lòng đăng nhập lại.")
    if request.method == "POST" and staff is not None:
        form = await request.post()
        if not same(form.get("csrf"), staff.csrf_token):  # type: ignore[arg-type]
            logger.warning("console POST refused: missing or wrong CSRF token")
            raise web.HTTPForbidden(text="Yêu cầu không hợp lệ (mã bảo vệ biểu mẫu sai). Hãy tải lại trang.")
    return await handler(request)


def requires(section: Section) -> Callable[[PageHandler], PageHandler]:
    """A page of ``section``: other roles get a 403 page."""

    def decorate(handler: PageHandler) -> PageHandler:
        @functools.wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            staff = request.get(STAFF)
            if staff is None or not may(staff.role, section):
                return render(request, "forbidden.html", status=403)
            return await handler(request)

        return checked

    return decorate
