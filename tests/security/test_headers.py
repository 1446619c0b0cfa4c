"""Security headers on every page the gateway serves, as a browser would receive them.

HTML pages: a CSP whose scripts are the site's own files (no ``'unsafe-inline'``, no
``'unsafe-eval'``); console pages cannot be framed (``frame-ancestors 'none'``);
every answer, errors and redirects included, carries ``nosniff``; no answer tells the
server's software versions.
"""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient
from multidict import CIMultiDictProxy

from tests.console.test_console_http import login
from tests.console.wiring import console_app
from tests.security.test_console_attacks import _fill

VERSION = re.compile(r"\d+\.\d+")


def directives(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    policy = headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def check_common(path: str, headers: CIMultiDictProxy[str]) -> list[str]:
    problems = []
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no nosniff")
    if VERSION.search(headers.get("Server", "")):
        problems.append(f"{path}: Server header {headers.get('Server')!r}")
    return problems


def check_html(path: str, headers: CIMultiDictProxy[str], console: bool) -> list[str]:
    policy = directives(headers)
    scripts = policy.get("script-src", policy.get("default-src"))
    problems = []
    if scripts is None or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"{path}: scripts not restricted ({scripts!r})")
    if console and policy.get("frame-ancestors") != "'none'":
        problems.append(f"{path}: console page may be framed ({policy.get('frame-ancestors')!r})")
    if policy.get("object-src") != "'none'":
        problems.append(f"{path}: object-src not 'none'")
    return problems


async def test_public_pages_and_files(console: TestClient) -> None:
    problems = []
    for path in ("/", "/widget.js", "/demo.css", "/api/docs", "/healthz", "/no-such-page", "/api/v1/nothing"):
        response = await console.get(path, allow_redirects=False)
        problems += check_common(path, response.headers)
        if response.content_type == "text/html":
            problems += check_html(path, response.headers, console=False)
    assert problems == []


async def test_every_console_page_for_an_admin(console: TestClient) -> None:
    problems = []
    login_page = await console.get("/console/login")
    problems += check_common("/console/login", login_page.headers)
    problems += check_html("/console/login", login_page.headers, console=True)
    assert await login(console, "admin") == 303
    paths = sorted(
        {
            _fill(route.resource)
            for route in console_app(console.app).router.routes()
            if route.method in ("GET", "*")
            and route.resource is not None
            and "prefix" not in route.resource.get_info()  # the static folder: one file below
        }
        | {"/console/static/console.css", "/console/no-such-page"}
    )
    assert len(paths) > 15
    for path in paths:
        response = await console.get(path, allow_redirects=False)
        assert response.status < 500, path
        problems += check_common(path, response.headers)
        if response.content_type == "text/html" or response.status in (403, 404):
            problems += check_html(path, response.headers, console=True)
    assert problems == []


async def test_refusals_and_redirects_carry_the_headers_too(console: TestClient) -> None:
    """What a stranger gets (redirect to login, 403 on a POST) is protected like a page."""
    problems = []
    redirect = await console.get("/console/users", allow_redirects=False)
    assert redirect.status == 303
    problems += check_common("redirect", redirect.headers)
    refused = await console.post("/console/users/1/unlock", data={"csrf": "x"}, allow_redirects=False)
    assert refused.status == 403
    problems += check_common("403", refused.headers)
    problems += check_html("403", refused.headers, console=True)
    assert problems == []
