"""The console in a real browser (Debian chromium) in front of the real Rasa and action servers:
a staff member corrects a fee and teaches the bot a new name, and the bot's answers change.
Screenshots of the pages go to docs/screenshots/ when CONSOLE_SCREENSHOTS names that folder."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from playwright.async_api import Browser, Page, expect

from bot.app import create_app
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings
from knowledge.staff import create_user, find_user
from tests.console.conftest import PASSWORD, ROLES
from tests.stack import Stack
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(600)]
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")
CODE = "1.000656"  # Thủ tục đăng ký khai tử


@dataclasses.dataclass
class Console:
    url: str
    app: web.Application


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def console_site(stack: Stack, seeded_database_url: str) -> AsyncIterator[Console]:
    engine = make_engine(seeded_database_url)
    with make_session_factory(engine)() as session, session.begin():
        for role, username in ROLES.items():
            if find_user(session, username) is None:
                create_user(session, username, PASSWORD, role)
    engine.dispose()
    settings = dataclasses.replace(
        Settings(),
        database_url=seeded_database_url,
        rasa_url=stack.rasa_url,
        rasa_token=stack.rasa_token,
        actions_port=urlsplit(stack.actions_url).port or 0,
        rasa_timeout_s=60.0,
    )
    app = create_app(settings, notify=False)
    runner, url = await start(app)
    yield Console(url, app)
    await runner.cleanup()


async def ask_bot(console: Console, sender: str, text: str) -> str:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{console.url}/api/v1/messages", json={"sender": sender, "text": text}) as response,
    ):
        replies = (await response.json())["replies"]
    return "\n".join(r["text"] for r in replies)


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"), full_page=False)


async def sign_in(page: Page, console: Console, role: str, password: str = PASSWORD) -> None:
    await page.goto(console.url + "/console/")
    await expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    await page.get_by_label("Tên đăng nhập").fill(ROLES[role])
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def test_an_editor_corrects_a_fee_and_the_bot_answers_with_it(
    browser: Browser, console_site: Console
) -> None:
    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, console_site, "editor")
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    await shot(page, "home")
    await page.get_by_role("link", name="Thủ tục").click()
    await page.get_by_label("Tìm (như trợ lý ảo tìm)").fill("dang ky khai tu")
    await page.get_by_role("button", name="Lọc").click()
    await shot(page, "procedures")
    await page.get_by_role("link", name="Thủ tục đăng ký khai tử", exact=True).click()
    await expect(page.get_by_role("heading", name="Thủ tục đăng ký khai tử")).to_be_visible()
    before = await ask_bot(console_site, "console-fee-000000001", "lệ phí đăng ký khai tử")
    assert "45.000 đồng" not in before

    await page.get_by_role("link", name="Sửa").click()
    await page.locator("input[name$='-fee_amount_vnd']").first.fill("45.000")
    await page.locator("input[name$='-fee_free']").first.uncheck()
    await shot(page, "edit")
    await page.get_by_role("button", name="Lưu").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    await expect(page.get_by_role("cell", name="45.000 đồng").first).to_be_visible()
    await shot(page, "procedure")
    after = await ask_bot(console_site, "console-fee-000000002", "lệ phí đăng ký khai tử")
    assert "45.000 đồng" in after

    await page.get_by_role("button", name="Khôi phục bản trước lần sửa này").first.click()
    await expect(page.get_by_role("cell", name="45.000 đồng")).to_have_count(0)
    restored = await ask_bot(console_site, "console-fee-000000003", "lệ phí đăng ký khai tử")
    assert "45.000 đồng" not in restored
    await context.close()


async def test_an_editor_teaches_the_bot_a_new_name(browser: Browser, console_site: Console) -> None:
    context = await browser.new_context(locale="vi-VN")
    page = await context.new_page()
    await sign_in(page, console_site, "editor")
    await page.goto(f"{console_site.url}/console/procedures/{CODE}")
    question = "thủ tục báo hiếu xong cho cụ cần giấy tờ gì"
    assert "khai tử" not in (await ask_bot(console_site, "console-alias-0000001", question)).lower()
    await page.get_by_label("Thêm tên gọi khác").fill("báo hiếu xong cho cụ")
    await page.get_by_role("button", name="Thêm", exact=True).click()
    await expect(page.get_by_text("báo hiếu xong cho cụ").first).to_be_visible()
    # The action server's search index rebuilds in the background (a few seconds).
    for attempt in range(30):
        answer = await ask_bot(console_site, f"console-alias-{attempt:07d}x", question)
        if "Thủ tục đăng ký khai tử" in answer:
            break
        await asyncio.sleep(1)
    assert "Thủ tục đăng ký khai tử" in answer
    await page.get_by_role("button", name="Xóa tên gọi báo hiếu xong cho cụ").click()
    await context.close()


async def test_login_lockout_and_roles_in_the_browser(browser: Browser, console_site: Console) -> None:
    context = await browser.new_context(locale="vi-VN")
    page = await context.new_page()
    await sign_in(page, console_site, "viewer", "không phải mật khẩu")
    await expect(page.get_by_role("alert")).to_contain_text("không đúng")
    await shot(page, "login")
    await sign_in(page, console_site, "viewer")
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    await expect(page.get_by_role("link", name="Thủ tục")).to_have_count(0)
    await page.get_by_role("link", name="Thống kê").click()
    await expect(page.get_by_role("heading", name="Thống kê phục vụ")).to_be_visible()
    await expect(page.locator("figure svg")).to_have_count(4)
    await shot(page, "dashboard")
    await page.goto(f"{console_site.url}/console/procedures")
    await expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    await context.close()
