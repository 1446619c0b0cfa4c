"""Fixtures of the widget's browser tests: the fake gateway, a host page of another origin, Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from aiohttp import web
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.widget.fake_gateway import FakeGateway, create_app

HOST_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sở Tư pháp</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<h1>Sở Tư pháp tỉnh</h1>
<p>Trang của một cơ quan khác, trên một nguồn gốc (origin) khác, nhúng trợ lý ảo bằng một thẻ.</p>
<p><button type="button">Một nút của trang</button></p>
<script src="{base}/widget.js" data-title="Hỗ trợ trực tuyến" data-color="#ffd54f" defer></script>
</body>
</html>
"""
# A page whose CSS tries hard to reach into the widget.
HOSTILE_CSS = """
* { font-size: 30px !important; box-sizing: content-box !important; letter-spacing: 4px !important; }
body { font-family: serif; color: green; line-height: 3; text-transform: uppercase; }
button { background: lime !important; color: magenta !important; border: 5px dotted blue !important; }
div { position: static !important; }
textarea { display: none !important; }
"""

expect.set_options(timeout=10_000)
# Every test and fixture of this folder runs in the session's event loop, where the browser lives.
LOOP = pytest.mark.asyncio(loop_scope="session")


@dataclass
class Servers:
    """The fake gateway at ``base`` and the host page (another origin) at ``host``."""

    gateway: FakeGateway
    base: str
    host: str

    @property
    def hosts(self) -> set[str]:
        return {urlsplit(self.base).netloc, urlsplit(self.host).netloc}


@dataclass
class Browsing:
    """A browser context, with every request it made and the console errors it logged."""

    context: BrowserContext
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def page(self) -> Page:
        page = await self.context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest_asyncio.fixture(loop_scope="session")
async def servers() -> AsyncIterator[Servers]:
    gateway = FakeGateway()
    gateway_runner, base = await start(create_app(gateway))

    async def page(request: web.Request) -> web.Response:
        response = web.Response(text=HOST_PAGE.format(base=base), content_type="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src {base}; connect-src {base}; style-src 'self'; img-src 'self'"
        )
        return response

    async def css(request: web.Request) -> web.Response:
        return web.Response(text=HOSTILE_CSS, content_type="text/css")

    async def favicon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    host_app = web.Application()
    host_app.router.add_get("/", page)
    host_app.router.add_get("/host.css", css)
    host_app.router.add_get("/favicon.ico", favicon)
    host_runner, host = await start(host_app)
    gateway.allowed_origins = {base, host}
    yield Servers(gateway, base, host)
    await host_runner.cleanup()
    await gateway_runner.cleanup()


async def browse(browser: Browser, servers: Servers, **options: object) -> Browsing:
    settings: dict[str, object] = {
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 800},
        "service_workers": "block",
    }
    settings.update(options)
    context = await browser.new_context(**settings)  # type: ignore[arg-type]
    browsing = Browsing(context)
    context.on("request", lambda r: browsing.requests.append(r.url))
    return browsing


@pytest_asyncio.fixture(loop_scope="session")
async def browsing(browser: Browser, servers: Servers) -> AsyncIterator[Browsing]:
    """A desktop browser context; no request may leave the two test servers."""
    browsing = await browse(browser, servers)
    yield browsing
    await browsing.context.close()
    strangers = [url for url in browsing.requests if urlsplit(url).netloc not in servers.hosts]
    assert not strangers, strangers
