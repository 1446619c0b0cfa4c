"""The inbox in a real browser (Debian chromium) in front of the real Rasa and action servers:
a citizen asks for a person, an operator answers on the citizen's channel and gives the
conversation back to the assistant, which answers the citizen's next question again.
Screenshots go to docs/screenshots/ when CONSOLE_SCREENSHOTS names that folder."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import aiohttp
import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect
from sqlalchemy import delete, select

from bot.console import inbox_texts
from knowledge.models import Feedback, InboxItem
from knowledge.settings import Settings
from knowledge.staff import create_user, find_user
from tests.console.conftest import PASSWORD, ROLES
from tests.console.inbox_fixtures import database, feedback, gateway_with_inbox, item
from tests.console.test_console_browser import Console, ask_bot, shot, sign_in
from tests.stack import Stack
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(600)]
SESSION = "inbox-browser-citizen-0001"
SAMPLES_SENDER = "web:inbox-browser-samples-0001"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def inbox_site(stack: Stack, seeded_database_url: str) -> AsyncIterator[Console]:
    """The gateway with the console's inbox, on the stack's knowledge base, with the accounts."""
    with database(seeded_database_url) as session:
        for role, username in ROLES.items():
            if find_user(session, username) is None:
                create_user(session, username, PASSWORD, role)
    settings = dataclasses.replace(
        Settings(),
        database_url=seeded_database_url,
        rasa_url=stack.rasa_url,
        rasa_token=stack.rasa_token,
        actions_port=urlsplit(stack.actions_url).port or 0,
        rasa_timeout_s=60.0,
    )
    app = gateway_with_inbox(settings)
    runner, url = await start(app)
    yield Console(url, app)
    await runner.cleanup()


@pytest.fixture
def inbox_samples(seeded_database_url: str) -> Iterator[None]:
    """A few questions waiting in the inbox (for the screenshot), removed afterwards."""
    with database(seeded_database_url) as session:
        item(
            session, "unanswered", "thủ tục báo hiếu xong cho cụ cần giấy tờ gì", 90, sender_id=SAMPLES_SENDER
        )
        item(
            session,
            "low_confidence",
            "thu tuc bao hieu xong cho cu can giay to gi",
            60,
            sender_id=SAMPLES_SENDER,
        )
        item(
            session,
            "complaint",
            "hồ sơ nộp 3 tuần chưa có kết quả, gọi cho tôi 0912 345 678",
            30,
            sender_id=SAMPLES_SENDER,
            reference="PA-261129-TEST",
        )
        feedback(
            session,
            "lệ phí cấp đổi gplx bao nhiêu",
            minutes=20,
            sender_id=SAMPLES_SENDER,
            comment="Sai số tiền",
        )
    yield
    with database(seeded_database_url) as session:
        session.execute(delete(InboxItem).where(InboxItem.sender_id == SAMPLES_SENDER))
        session.execute(delete(Feedback).where(Feedback.sender_id == SAMPLES_SENDER))


async def history(site: Console) -> list[dict[str, str]]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{site.url}/api/v1/history/{SESSION}") as response,
    ):
        messages: list[dict[str, str]] = (await response.json())["messages"]
    return messages


async def test_an_operator_answers_a_handoff_and_gives_it_back_to_the_bot(
    browser: Browser, inbox_site: Console, seeded_database_url: str, inbox_samples: None
) -> None:
    asked = await ask_bot(inbox_site, SESSION, "cho tôi gặp cán bộ")
    assert "tạm dừng" in asked
    waiting = await ask_bot(inbox_site, SESSION, "tôi cần hỏi về hồ sơ đất, số tôi 0987 654 321")
    assert "chuyển tới cán bộ" in waiting
    with database(seeded_database_url) as session:
        handoff_id = session.scalars(
            select(InboxItem.id).where(InboxItem.sender_id == f"web:{SESSION}", InboxItem.kind == "handoff")
        ).one()

    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_in(page, inbox_site, "operator")
    await page.get_by_role("link", name="Hộp thư").first.click()
    await expect(page.get_by_role("heading", name="Hộp thư: chờ xử lý")).to_be_visible()
    await expect(page.get_by_role("cell", name="*******678", exact=False)).to_be_visible()
    await expect(page.get_by_text("0912 345 678")).to_have_count(0)
    await shot(page, "inbox")

    await page.get_by_role("link", name="Yêu cầu gặp cán bộ").click()
    card = page.locator(f"#handoff-{handoff_id}")
    await expect(card.get_by_text("tôi cần hỏi về hồ sơ đất, số tôi *******321")).to_be_visible()
    await expect(card.get_by_text("0987 654 321")).to_have_count(0)
    answer = "Chào bạn, cán bộ Trung tâm đây. Hồ sơ đất của bạn đang được thẩm định, bạn chờ thêm 3 ngày nhé."
    await card.get_by_label("Trả lời người dân").fill(answer)
    await shot(page, "handoffs")
    await card.get_by_role("button", name="Gửi trả lời").click()
    await expect(page.get_by_role("status")).to_have_text(inbox_texts.DONE["sent"])
    last = (await history(inbox_site))[-1]
    assert (last["text"], last["author"]) == (answer, "staff")

    card = page.locator(f"#handoff-{handoff_id}")
    await expect(card.get_by_text(answer)).to_be_visible()
    await card.get_by_role("button", name="Trả lại cho trợ lý ảo").click()
    await expect(page.get_by_role("status")).to_have_text(inbox_texts.DONE["released"])
    await expect(page.locator(f"#handoff-{handoff_id}")).to_have_count(0)
    assert (await history(inbox_site))[-1]["text"] == inbox_texts.RELEASED_TO_CITIZEN

    again = await ask_bot(inbox_site, SESSION, "lệ phí đăng ký kết hôn")
    assert "kết hôn" in again.lower() and "chuyển tới cán bộ" not in again
    await context.close()
