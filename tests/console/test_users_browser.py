"""Accounts in a real browser (Debian chromium): an administrator creates an editor account,
and the new editor signs in, works on the knowledge pages and cannot open the accounts page.
Screenshots of the accounts page and the audit log go to docs/screenshots/ when
CONSOLE_SCREENSHOTS names that folder."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect
from sqlalchemy.engine import make_url

from bot.app import create_app
from knowledge.settings import Settings
from nlu.engine import free_port
from tests.conftest import PRISTINE
from tests.console.conftest import add_accounts
from tests.console.test_console_browser import Console, shot, sign_in
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(300)]
NEW_USER = "tran.thi.bich"
NEW_PASSWORD = "Sơn La mùa hoa ban 2026"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def accounts_site(
    seeded_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Console]:
    """The gateway on a private copy of the knowledge base, with one account per role (no Rasa needed)."""
    target = tmp_path_factory.mktemp("accounts") / "console.db"
    shutil.copyfile(Path(str(make_url(seeded_database_url).database)).with_name(PRISTINE), target)
    url = f"sqlite:///{target}"
    add_accounts(url)
    settings = dataclasses.replace(
        Settings(),
        database_url=url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_port=free_port(),
    )
    app = create_app(settings, notify=False)
    runner, base = await start(app)
    yield Console(base, app)
    await runner.cleanup()


async def sign_in_as(page: Page, console: Console, username: str, password: str) -> None:
    await page.goto(console.url + "/console/")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def test_an_admin_creates_an_editor_who_sees_the_knowledge_pages_but_not_accounts(
    browser: Browser, accounts_site: Console
) -> None:
    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, accounts_site, "admin")
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    await page.get_by_role("link", name="Tài khoản", exact=True).click()
    await expect(page.get_by_role("heading", name="Tài khoản", exact=True)).to_be_visible()

    await page.get_by_role("link", name="Thêm tài khoản").click()
    await page.get_by_label("Tên đăng nhập").fill("Trần Thị Bích")
    await page.get_by_label("Vai trò").select_option("editor")
    await page.get_by_label("Mật khẩu ban đầu").fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Tạo tài khoản").click()
    await expect(page.get_by_role("alert")).to_contain_text("chữ cái không dấu")
    await page.get_by_label("Tên đăng nhập").fill(NEW_USER)
    await page.get_by_label("Mật khẩu ban đầu").fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Tạo tài khoản").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã tạo tài khoản")
    await expect(page.get_by_role("heading", name=f"Tài khoản {NEW_USER}")).to_be_visible()

    # A second change, so that the log shows a value before and after.
    await page.get_by_role("link", name="← Danh sách tài khoản").click()
    await page.get_by_role("link", name="thu.viewer").click()
    await page.get_by_label("Vai trò mới").select_option("operator")
    await page.get_by_role("button", name="Đổi vai trò").click()
    await expect(page.get_by_role("status")).to_contain_text("Đã đổi vai trò")

    await page.get_by_role("link", name="Tài khoản", exact=True).click()
    row = page.get_by_role("row").filter(has_text=NEW_USER)
    await expect(row).to_contain_text("Biên tập")
    await expect(row).to_contain_text("Chưa đăng nhập")
    await shot(page, "users")
    await page.get_by_role("link", name="Nhật ký thay đổi", exact=True).click()
    await expect(page.get_by_role("heading", name="Nhật ký thay đổi")).to_be_visible()
    await expect(page.get_by_role("cell", name="Vai trò: Xem → Vận hành")).to_be_visible()
    await page.get_by_label("Loại dữ liệu").select_option("staff_user")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.get_by_role("status")).to_contain_text("2 thay đổi")
    await shot(page, "audit")
    await page.get_by_role("button", name="Đăng xuất").click()

    await sign_in_as(page, accounts_site, NEW_USER, NEW_PASSWORD)
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    await expect(page.get_by_text(f"{NEW_USER} (Biên tập)")).to_be_visible()
    await expect(page.get_by_role("link", name="Tài khoản", exact=True)).to_have_count(0)
    await expect(page.get_by_role("link", name="Nhật ký thay đổi")).to_have_count(0)
    await page.get_by_role("link", name="Thủ tục", exact=True).click()
    await expect(page.get_by_role("heading", name="Thủ tục hành chính")).to_be_visible()
    await page.get_by_role("link", name="Cơ quan", exact=True).click()
    await expect(page.get_by_role("heading", name="Cơ quan tiếp nhận hồ sơ của tỉnh")).to_be_visible()
    await page.goto(f"{accounts_site.url}/console/users")
    await expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    await context.close()
