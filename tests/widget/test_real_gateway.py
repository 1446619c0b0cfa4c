"""The widget against the real gateway, Rasa and action servers, on the demo page and on another site."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from aiohttp import web
from playwright.async_api import Browser, expect

from bot.app import create_app
from bot.replies import Reply
from bot.state import DELIVERY
from knowledge.settings import Settings
from tests.stack import Stack
from tests.widget.conftest import LOOP, start
from tests.widget.widget_page import WELCOME, Widget

pytestmark = [LOOP, pytest.mark.timeout(600)]

GATEWAY_URL = web.AppKey("gateway_url", str)
OTHER_SITE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Sở Tư pháp</title></head>
<body><h1>Sở Tư pháp</h1>
<script src="{base}/widget.js" data-title="Hỏi đáp TTHC" defer></script></body></html>"""


@dataclasses.dataclass
class Sites:
    gateway: str
    other: str
    app: web.Application


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def sites(stack: Stack, seeded_database_url: str) -> AsyncIterator[Sites]:
    """The real gateway on a port, and a page of another origin that embeds it."""

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=OTHER_SITE.format(base=request.app[GATEWAY_URL]), content_type="text/html")

    other_app = web.Application()
    other_app.router.add_get("/", page)
    other_runner, other = await start(other_app)
    settings = dataclasses.replace(
        Settings(),
        database_url=seeded_database_url,
        rasa_url=stack.rasa_url,
        rasa_token=stack.rasa_token,
        actions_port=urlsplit(stack.actions_url).port or 0,
        rasa_timeout_s=60.0,
        allowed_origins=(other,),
    )
    app = create_app(settings, notify=False)
    gateway_runner, gateway = await start(app)
    other_app[GATEWAY_URL] = gateway
    yield Sites(gateway, other, app)
    await gateway_runner.cleanup()
    await other_runner.cleanup()


async def test_a_citizen_asks_rates_and_comes_back_after_a_reload(browser: Browser, sites: Sites) -> None:
    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = await context.new_page()
    await page.goto(sites.gateway + "/")
    widget = Widget(page)
    await widget.open()
    await widget.ask("lệ phí đăng ký kết hôn là bao nhiêu")
    answer = widget.bot.last
    await expect(answer).to_contain_text("kết hôn")
    await expect(answer).to_contain_text("Phí, lệ phí")
    await page.locator(".tthc-quick button", has_text="👍").last.click()
    await expect(widget.bot.last).to_contain_text("Cảm ơn bạn đã đánh giá")

    await page.reload()
    if not await widget.panel.is_visible():
        await widget.launcher.click()
    await expect(widget.bot.first).to_contain_text(WELCOME)
    await expect(widget.bot.last).to_contain_text("Cảm ơn bạn đã đánh giá")
    await expect(widget.user.first).to_contain_text("lệ phí đăng ký kết hôn")
    await context.close()
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(sites.gateway).netloc}


async def test_the_widget_works_on_another_allowed_site(browser: Browser, sites: Sites) -> None:
    context = await browser.new_context(locale="vi-VN")
    page = await context.new_page()
    await page.goto(sites.other + "/")
    widget = Widget(page)
    await widget.open()
    await widget.ask("dang ky tam tru can giay to gi")
    await expect(widget.bot.last).to_contain_text("tạm trú")
    await context.close()


async def test_news_reach_an_open_widget_without_a_question(browser: Browser, sites: Sites) -> None:
    context = await browser.new_context(locale="vi-VN")
    page = await context.new_page()
    await page.clock.install()
    await page.goto(sites.gateway + "/")
    widget = Widget(page)
    await widget.open()
    session = await widget.session()
    news = Reply("🔔 Hồ sơ của bạn có cập nhật mới: đã có kết quả.")
    assert await sites.app[DELIVERY].send(f"web:{session}", news)
    await page.clock.run_for(20_000)
    await expect(widget.bot.last).to_contain_text("đã có kết quả")
    await expect(widget.bot).to_have_count(2)  # the welcome, then the news, once
    await page.clock.run_for(20_000)
    await expect(widget.bot).to_have_count(2)
    await context.close()
