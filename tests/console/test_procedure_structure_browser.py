"""A required document added in the console, in a real browser (Debian chromium), in front of the
real Rasa and action servers: the bot's answer about the documents lists it at once.
The documents page is photographed to docs/screenshots/ when CONSOLE_SCREENSHOTS names that folder."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect

from bot.app import create_app
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings
from knowledge.staff import create_user, find_user
from tests.console.conftest import PASSWORD, ROLES
from tests.console.test_console_browser import Console, ask_bot, shot, sign_in
from tests.stack import Stack
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(600)]
CODE = "1.000656"  # Thủ tục đăng ký khai tử
DOCUMENT = "Bản sao sổ hộ khẩu của người đã mất"
QUESTION = "đăng ký khai tử cần giấy tờ gì"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def site(stack: Stack, seeded_database_url: str) -> AsyncIterator[Console]:
    """The gateway with its console on the knowledge base the real action server reads."""
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
    runner, url = await start(create_app(settings, notify=False))
    yield Console(url, runner.app)
    await runner.cleanup()


async def test_an_editor_adds_a_required_document_and_the_bot_lists_it(
    browser: Browser, site: Console
) -> None:
    before = await ask_bot(site, "console-docs-0000001", QUESTION)
    assert "Giấy tờ phải nộp" in before and DOCUMENT not in before

    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, site, "editor")
    await page.goto(f"{site.url}/console/procedures/{CODE}")
    await page.get_by_role("link", name="Cập nhật thành phần hồ sơ").click()
    await expect(page.get_by_role("heading", name=f"Thành phần hồ sơ · {CODE}")).to_be_visible()
    await page.get_by_label("Tên giấy tờ (bắt buộc)").fill(DOCUMENT)
    await page.get_by_label("Nhóm").select_option(label="Giấy tờ phải nộp")
    await page.get_by_label("Số bản chính").fill("0")
    await page.get_by_label("Số bản sao").fill("1")
    await page.get_by_label("Vị trí").select_option(label="Đầu danh sách")
    await page.get_by_role("button", name="Thêm giấy tờ").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã thêm")
    first = page.locator("tbody tr").first
    await expect(first).to_contain_text(DOCUMENT)
    await expect(first).to_contain_text("0 bản chính, 1 bản sao")
    await shot(page, "procedure-documents")

    after = await ask_bot(site, "console-docs-0000002", QUESTION)
    assert f"1. {DOCUMENT} – 0 bản chính, 1 bản sao" in after

    # The change is in the procedure's history; removing the document takes it out of the answer.
    await page.goto(f"{site.url}/console/procedures/{CODE}")
    await expect(
        page.get_by_role("cell", name=f"Thêm giấy tờ: Thành phần hồ sơ ({DOCUMENT})")
    ).to_be_visible()
    await page.get_by_role("link", name="Cập nhật thành phần hồ sơ").click()
    await page.get_by_role("button", name="Xóa giấy tờ số 1", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("Đã xóa")
    restored = await ask_bot(site, "console-docs-0000003", QUESTION)
    assert DOCUMENT not in restored
    await context.close()
