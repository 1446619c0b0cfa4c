"""Embedding: one tag on a page of another origin, strict CSPs, the files' size and hygiene, screenshots."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, expect

from tests.widget.conftest import LOOP, Browsing, Servers, browse
from tests.widget.widget_page import WELCOME, Widget

SCREENSHOTS = os.environ.get("WIDGET_SCREENSHOTS")
"""Folder for the demo screenshots (the repository's are made with docs/screenshots); else a temporary one."""

pytestmark = LOOP


async def test_cross_origin_page_embeds_with_one_tag(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.host + "/")
    widget = Widget(page)
    await expect(widget.launcher).to_be_visible()
    # The host page's CSS (lime buttons, 30px text, hidden textareas) does not reach inside.
    styles = await widget.launcher.evaluate(
        "e => { const s = getComputedStyle(e); "
        "return [s.backgroundColor, s.color, s.position, s.borderStyle] }"
    )
    # data-color="#ffd54f" is light: its text is near-black, not white.
    assert styles == ["rgb(255, 213, 79)", "rgb(26, 26, 26)", "fixed", "none"]
    await widget.open()
    await expect(page.get_by_role("dialog", name="Hỗ trợ trực tuyến")).to_be_visible()
    assert await widget.bot.first.evaluate("e => getComputedStyle(e).fontSize") == "15px"
    await expect(widget.input).to_be_visible()
    await widget.ask("hỏi từ trang khác")
    await expect(widget.bot.last).to_contain_text("Bạn vừa gửi: hỏi từ trang khác")
    assert servers.gateway.preflights >= 1  # JSON POSTs across origins are preflighted
    api = [url for url in browsing.requests if "/api/" in url]
    assert api and all(url.startswith(servers.base + "/api/v1/") for url in api)
    assert not browsing.errors, browsing.errors  # no CSP violation, no script error


async def test_other_origins_are_refused(browsing: Browsing, servers: Servers) -> None:
    servers.gateway.allowed_origins = {servers.base}
    page = await browsing.page()
    await page.goto(servers.host + "/")
    widget = Widget(page)
    await widget.launcher.click()
    await expect(widget.panel).to_be_visible()
    # The browser hides the refusal from the page (no CORS header): the widget keeps retrying.
    await expect(widget.status).to_have_text("Mất kết nối, đang thử lại…")
    assert servers.gateway.texts == []


async def test_demo_page_under_strict_csp(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    response = await page.goto(servers.base + "/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    script = await page.request.get(servers.base + "/widget.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.locator("body")).to_contain_text("Trung tâm Phục vụ hành chính công")
    # demo.css applied (the masthead is red), the widget styled (its stylesheet is not blocked).
    masthead = await page.locator(".masthead").evaluate("e => getComputedStyle(e).borderBottomColor")
    assert masthead == "rgb(249, 168, 37)"
    widget = Widget(page)
    await widget.open()
    box = await widget.panel_box()
    assert box["width"] == 390 and box["x"] + box["width"] == 1280 - 20
    assert box["y"] + box["height"] == 800 - 20
    await widget.ask("khai sinh")
    assert not browsing.errors, browsing.errors
    hosts = {urlsplit(url).netloc for url in browsing.requests}
    assert hosts == {urlsplit(servers.base).netloc}


@pytest.mark.parametrize(
    ("name", "viewport"),
    [
        ("widget-desktop.png", {"width": 1280, "height": 800}),
        ("widget-mobile.png", {"width": 400, "height": 800}),
    ],
)
async def test_screenshots_of_the_demo_page(
    browser: Browser, servers: Servers, tmp_path: Path, name: str, viewport: dict[str, int]
) -> None:
    mobile = viewport["width"] < 480
    browsing = await browse(browser, servers, viewport=viewport, is_mobile=mobile, has_touch=mobile)
    servers.gateway.clock = "2026-11-29T02:15:00Z"
    page = await browsing.page()
    await page.clock.set_fixed_time(datetime.fromisoformat("2026-11-29T09:16:00+07:00"))
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    await expect(widget.bot.first).to_contain_text(WELCOME)
    await widget.ask("đăng ký khai sinh cần giấy tờ gì")
    await expect(widget.quick).to_have_count(5)
    await widget.input.fill("")
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=folder / name)
    assert (folder / name).stat().st_size > 10_000
    await browsing.context.close()
    assert {urlsplit(url).netloc for url in browsing.requests} == {urlsplit(servers.base).netloc}
