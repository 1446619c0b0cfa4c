"""Dossier changes reach the citizen: the console in a real browser (Debian chromium), the
one-stop system's signed pushes, and a Telegram subscriber behind the Bot API stand-in.

Every part is real except Telegram: the Rasa server and the action server (on a private copy
of the seeded knowledge base, which the console writes to), the gateway with its
python-telegram-bot client polling the stand-in, the console, and the gateway's notifier.
The screenshot console-dossier-notify.png goes to CONSOLE_SCREENSHOTS when it names a folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from bot.app import create_app
from knowledge.demo import DemoDossier, plan
from knowledge.masking import mask_name
from knowledge.messages import STATUS_LABELS
from knowledge.settings import Settings
from nlu import engine
from tests.console.conftest import PASSWORD, ROLES
from tests.console.notify_fixtures import (
    SECRET,
    Citizen,
    buttons,
    personal_data_in,
    private_database,
    push,
    signed,
    stored,
    text_of,
)
from tests.stack import Stack, running_stack
from tests.telegram_api import TelegramAPIStandIn
from tests.widget.conftest import LOOP, start

pytestmark = [LOOP, pytest.mark.timeout(900)]
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")
LOGS = engine.VAR / "test-logs" / "console-notify"

DEMO = plan()
ASKED_FOR_A_DOCUMENT = DEMO[1]  # demo dossier 2: in progress
PUSHED_READY = DEMO[8]  # demo dossier 9: in progress
CHAT_ASKED, CHAT_PUSHED = 880_001, 880_002

NOTE = "Tờ khai thiếu chữ ký của người yêu cầu, đề nghị bổ sung trước ngày hẹn trả."
SUPPLEMENT = "Tờ khai có chữ ký của người yêu cầu (bản chính)"
STEP = "Chờ công dân bổ sung hồ sơ"
PUSHED_NOTE = "Đã có kết quả, mời ông/bà mang giấy biên nhận đến nhận tại quầy số 3."
PICKUP = "Quầy số 3, Trung tâm Phục vụ hành chính công tỉnh Sơn La"
EVENT_ID = "motcua-notify-000001"
VIETNAM = timezone(timedelta(hours=7))  # the one-stop system writes local times


@dataclasses.dataclass
class Site:
    """The gateway at ``url``, its Telegram stand-in, and the database behind both."""

    url: str
    api: TelegramAPIStandIn
    database_url: str


@pytest.fixture(scope="module")
def notify_database_url(seeded_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private copy of the seeded knowledge base (as console_database_url), for the whole module."""
    return private_database(seeded_database_url, tmp_path_factory.mktemp("console-notify"))


@pytest.fixture(scope="module")
def notify_stack(trained_model: Path, notify_database_url: str) -> Iterator[Stack]:
    """Real Rasa and action servers on the private database.

    The session's stack reads the shared seeded database, where this module's
    subscriptions and status changes must not go (and where the console's would
    not see them).
    """
    with running_stack(trained_model, LOGS, env={"DATABASE_URL": notify_database_url}) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def site(notify_stack: Stack, notify_database_url: str) -> AsyncIterator[Site]:
    """The gateway with Telegram on the stand-in, the console, the events API and the notifier on."""
    async with TelegramAPIStandIn() as api:
        settings = dataclasses.replace(
            Settings(),
            database_url=notify_database_url,
            rasa_url=notify_stack.rasa_url,
            rasa_token=notify_stack.rasa_token,
            actions_port=urlsplit(notify_stack.actions_url).port or 0,
            rasa_timeout_s=60.0,
            messages_per_minute=100,
            telegram_token=api.token,
            telegram_api_url=api.base_url,
            dossier_events_secret=SECRET,
        )
        runner, url = await start(create_app(settings))  # notify=True: the real notifier loop
        try:
            yield Site(url, api, notify_database_url)
        finally:
            await runner.cleanup()


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"), full_page=True)


async def operator_page(browser: Browser, site: Site) -> Page:
    """A new browser tab with the operator signed in to the console."""
    context = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(site.url + "/console/")
    await expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    await page.get_by_label("Tên đăng nhập").fill(ROLES["operator"])
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    return page


async def expect_dossier_page(page: Page, dossier: DemoDossier, status: str, note: str) -> None:
    """The dossier page shows ``status`` now, and ``note`` in the newest row of its history."""
    await expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.receipt_code}")).to_be_visible()
    await expect(page.locator("dt:text-is('Tình trạng') + dd")).to_contain_text(STATUS_LABELS[status])
    await expect(page.locator("dt:text-is('Người nộp') + dd")).to_have_text(mask_name(dossier.applicant_name))
    newest = page.locator("table tbody tr").first
    await expect(newest.locator("td").nth(1)).to_have_text(STATUS_LABELS[status])
    await expect(newest.locator("td").nth(3)).to_have_text(note)


def assert_notice(text: str, dossier: DemoDossier, status: str, note: str) -> None:
    """A notice names the dossier, its new status and the note, and nothing personal."""
    assert text.startswith(f"🔔 Hồ sơ {dossier.receipt_code} có cập nhật mới"), text
    assert f"Tình trạng: {STATUS_LABELS[status]}" in text, text
    assert f"Ghi chú: {note}" in text, text
    assert not personal_data_in(text, dossier), text


async def test_an_operator_asks_for_a_document_and_the_telegram_subscriber_is_told(
    browser: Browser, site: Site
) -> None:
    dossier = ASKED_FOR_A_DOCUMENT
    citizen = Citizen(site.api, CHAT_ASKED)
    await citizen.subscribe(dossier)
    before = stored(site.database_url, dossier.receipt_code)
    assert before.status == "in_progress"
    assert f"tg:{CHAT_ASKED}" in before.subscribers

    page = await operator_page(browser, site)
    await page.get_by_role("link", name="Hồ sơ", exact=True).click()
    await page.get_by_label("Mã hồ sơ").fill(dossier.receipt_code)
    await page.get_by_role("button", name="Tìm").click()
    await page.get_by_role("link", name=dossier.receipt_code).click()
    await expect_dossier_page(page, dossier, "in_progress", before.events[-1][1] or "")
    await page.get_by_label("Tình trạng mới").select_option(label=STATUS_LABELS["needs_supplement"])
    await page.get_by_label("Bước hiện tại").fill(STEP)
    await page.get_by_label("Ghi chú gửi người dân").fill(NOTE)
    await page.get_by_label("Giấy tờ cần bổ sung").fill(SUPPLEMENT)
    since = time.monotonic()
    await page.get_by_role("button", name="Cập nhật").click()

    await expect(page.get_by_role("status")).to_contain_text("Đã cập nhật")
    await expect_dossier_page(page, dossier, "needs_supplement", NOTE)
    await expect(page.locator("dt:text-is('Giấy tờ cần bổ sung') + dd li")).to_have_text([SUPPLEMENT])
    await expect(page.locator("table tbody tr")).to_have_count(len(before.events) + 1)
    await shot(page, "dossier-notify")
    after = stored(site.database_url, dossier.receipt_code)
    assert after.status == "needs_supplement"
    assert after.supplements == [SUPPLEMENT]
    assert after.events == [*before.events, ("needs_supplement", NOTE, "console")]

    notice = await citizen.notice(dossier.receipt_code, since)
    assert_notice(text_of(notice), dossier, "needs_supplement", NOTE)
    assert f"Bước hiện tại: {STEP}" in text_of(notice)
    assert [b["text"] for b in buttons(notice)] == ["Ngừng nhận thông báo"]
    await page.context.close()


async def test_a_signed_event_is_applied_and_told_a_tampered_or_replayed_one_is_not(
    browser: Browser, site: Site
) -> None:
    dossier = PUSHED_READY
    citizen = Citizen(site.api, CHAT_PUSHED)
    await citizen.subscribe(dossier)
    before = stored(site.database_url, dossier.receipt_code)
    assert before.status == "in_progress"
    event = {
        "event_id": EVENT_ID,
        "receipt_code": dossier.receipt_code,
        "status": "ready",
        "occurred_at": datetime.now(UTC).astimezone(VIETNAM).isoformat(timespec="seconds"),
        "step": "Trả kết quả",
        "note": PUSHED_NOTE,
        "pickup_place": PICKUP,
    }
    body = json.dumps(event, ensure_ascii=False).encode("utf-8")
    headers = signed(body)

    # One byte changed (another event id), the captured signature kept: refused, nothing stored.
    tampered = body.replace(EVENT_ID.encode(), EVENT_ID[:-1].encode() + b"2")
    assert len(tampered) == len(body) and sum(a != b for a, b in zip(tampered, body, strict=True)) == 1
    refused = await push(site.url, tampered, headers)
    assert refused.status in (401, 403), refused
    assert refused.body["error"] == "bad_signature", refused
    assert stored(site.database_url, dossier.receipt_code) == before

    # Signed more than 5 minutes ago (a request captured earlier, sent again): refused too.
    old = await push(site.url, body, signed(body, timestamp=int(time.time()) - 400))
    assert old.status == 401 and old.body["error"] == "bad_timestamp", old
    assert stored(site.database_url, dossier.receipt_code) == before

    since = time.monotonic()
    accepted = await push(site.url, body, headers)
    assert accepted.status == 200, accepted
    assert accepted.body == {"status": "applied", "event_id": EVENT_ID, "dossier_status": "ready"}
    after = stored(site.database_url, dossier.receipt_code)
    assert after.status == "ready"
    assert after.events == [*before.events, ("ready", PUSHED_NOTE, "api")]
    assert after.receipts == before.receipts + 1

    page = await operator_page(browser, site)
    await page.goto(f"{site.url}/console/dossiers/{dossier.receipt_code}")
    await expect_dossier_page(page, dossier, "ready", PUSHED_NOTE)
    await expect(page.locator("dt:text-is('Nơi nhận kết quả') + dd")).to_have_text(PICKUP)
    await expect(page.locator("table tbody tr")).to_have_count(len(before.events) + 1)

    notice = await citizen.notice(dossier.receipt_code, since)
    assert_notice(text_of(notice), dossier, "ready", PUSHED_NOTE)

    # The accepted request sent again, byte for byte: answered as a duplicate, not applied again.
    replay = await push(site.url, body, headers)
    assert replay.status == 200, replay
    assert replay.body == {"status": "duplicate", "event_id": EVENT_ID, "outcome": "applied"}
    assert stored(site.database_url, dossier.receipt_code) == after
    await page.reload()
    await expect(page.locator("table tbody tr")).to_have_count(len(before.events) + 1)
    await page.context.close()
