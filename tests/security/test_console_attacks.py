"""The staff console as an attacker would try it: roles on every POST route, CSRF, sessions.

The POST routes are read from the console's router, so a page added later is covered
without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console.security import COOKIE
from knowledge.models import StaffSession
from tests.console.conftest import ROLES
from tests.console.test_console_http import csrf_of, login
from tests.console.wiring import console_app

# Routes every signed-in account may post to.
OPEN_TO_ALL = {"/console/login", "/console/logout"}
# Values tried for a route's variable parts, the first its pattern accepts is used.
CANDIDATES = ("1.000656", "1", "0" * 32, "base")
FORBIDDEN_PAGE = "Không có quyền"


def _fill(resource: web.AbstractResource) -> str:
    """A concrete path of ``resource`` (its variable parts given values its pattern accepts)."""
    info = resource.get_info()
    if "path" in info:
        return str(info["path"])
    formatter, pattern = str(info["formatter"]), info["pattern"]
    names = re.findall(r"\{(\w+)\}", formatter)
    # Literal alternatives in the pattern (``(?P<part>documents|forms)``) are candidates too.
    words = tuple(dict.fromkeys(re.findall(r"[a-z_]{3,}", pattern.pattern)))
    for values in _combinations(len(names), CANDIDATES + words):
        path = formatter.format(**dict(zip(names, values, strict=True)))
        if pattern.fullmatch(path):
            return path
    raise AssertionError(f"no test value fits {formatter}")


def _combinations(count: int, candidates: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if count == 0:
        yield ()
        return
    for first in candidates:
        for rest in _combinations(count - 1, candidates):
            yield (first, *rest)


def post_routes(console: web.Application) -> list[str]:
    """Every path of the console that takes a POST (with its ``/console`` prefix)."""
    paths = set()
    for route in console.router.routes():
        if route.method in ("POST", "*") and route.resource is not None:
            paths.add(_fill(route.resource))
    return sorted(paths)


def session_count(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(StaffSession)) or 0)


def cookie_of(client: TestClient) -> str:
    """The session cookie the console set (path ``/console``)."""
    return next(c.value for c in client.session.cookie_jar if c.key == COOKIE and c["path"] == "/console")


async def test_the_route_list_covers_the_console(console: TestClient) -> None:
    routes = post_routes(console_app(console.app))
    # A sample of each section: if these are missing, enumeration broke, not the console.
    for expected in (
        "/console/users/1/role",
        "/console/procedures/1.000656/edit",
        "/console/training/start",
        "/console/dossiers/1.000656/status",
        "/console/inbox/items/1/reply",
        "/console/import/" + "0" * 32 + "/apply",
    ):
        assert expected in routes
    assert len(routes) >= 30, routes


async def test_a_viewer_gets_403_on_every_editor_and_admin_post(console: TestClient) -> None:
    assert await login(console, "viewer") == 303
    token = await csrf_of(console, "/console/")
    allowed = []
    for path in post_routes(console_app(console.app)):
        if path in OPEN_TO_ALL:
            continue
        response = await console.post(path, data={"csrf": token}, allow_redirects=False)
        if response.status != 403 or FORBIDDEN_PAGE not in await response.text():
            allowed.append((path, response.status))
    assert allowed == []


@pytest.mark.parametrize(
    ("role", "prefixes"),
    [
        ("operator", ("/console/procedures", "/console/training", "/console/users", "/console/faqs")),
        ("editor", ("/console/users", "/console/dossiers")),
    ],
)
async def test_other_roles_get_403_outside_their_sections(
    console: TestClient, role: str, prefixes: tuple[str, ...]
) -> None:
    assert await login(console, role) == 303
    token = await csrf_of(console, "/console/")
    paths = [p for p in post_routes(console_app(console.app)) if p.startswith(prefixes)]
    assert paths
    for path in paths:
        response = await console.post(path, data={"csrf": token}, allow_redirects=False)
        assert response.status == 403, path


async def test_without_a_session_every_post_is_refused(console: TestClient) -> None:
    for path in post_routes(console_app(console.app)):
        if path == "/console/login":
            continue
        response = await console.post(path, data={"csrf": "x"}, allow_redirects=False)
        assert response.status == 403, path


async def test_the_csrf_token_of_another_session_is_refused(
    console: TestClient, aiohttp_client: object
) -> None:
    other = TestClient(console.server)  # a second browser on the same server
    try:
        assert await login(other, "editor") == 303
        stolen = await csrf_of(other, "/console/")
        assert await login(console, "editor") == 303
        path = "/console/procedures/1.000656/active"
        refused = await console.post(path, data={"csrf": stolen, "active": "0"}, allow_redirects=False)
        assert refused.status == 403
        # And the login form's token does not open a signed-in session's forms either.
        login_token = await csrf_of(TestClient(console.server), "/console/login")
        refused = await console.post(path, data={"csrf": login_token, "active": "0"}, allow_redirects=False)
        assert refused.status == 403
    finally:
        await other.session.close()


async def test_a_cookie_planted_before_login_is_not_the_session_after_it(console: TestClient) -> None:
    planted = "attacker-chosen-session-token-0123456789"
    console.session.cookie_jar.update_cookies({COOKIE: planted})
    assert await login(console, "admin") == 303
    assert cookie_of(console) != planted
    victim = TestClient(console.server)
    try:
        victim.session.cookie_jar.update_cookies({COOKIE: planted})
        page = await victim.get("/console/", allow_redirects=False)
        assert page.status == 303 and page.headers["Location"].startswith("/console/login")
    finally:
        await victim.session.close()


async def test_logout_ends_the_session_on_the_server(console: TestClient, db: Session) -> None:
    assert await login(console, "admin") == 303
    copied = cookie_of(console)  # what a thief would have taken from the browser
    before = session_count(db)
    token = await csrf_of(console, "/console/")
    assert (await console.post("/console/logout", data={"csrf": token}, allow_redirects=False)).status == 303
    assert session_count(db) == before - 1
    thief = TestClient(console.server)
    try:
        thief.session.cookie_jar.update_cookies({COOKIE: copied})
        page = await thief.get("/console/users", allow_redirects=False)
        assert page.status == 303 and page.headers["Location"].startswith("/console/login")
        posted = await thief.post("/console/users/1/unlock", data={"csrf": token}, allow_redirects=False)
        assert posted.status == 403
    finally:
        await thief.session.close()


async def test_the_login_form_needs_its_own_cookie_token(console: TestClient) -> None:
    """Login CSRF: a form posted from another site (no login cookie, or another's) is refused."""
    response = await console.post(
        "/console/login",
        data={"csrf": "forged", "username": ROLES["admin"], "password": "x"},
        allow_redirects=False,
    )
    assert response.status == 403
