"""A bad network or a refusing server: the message is delivered exactly once, or the citizen is told."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from tests.widget.conftest import LOOP, Browsing, Servers
from tests.widget.widget_page import TIME, Widget

OFFLINE = "Mất kết nối, đang thử lại…"

pytestmark = LOOP


def last_id(servers: Servers) -> str:
    return list(servers.gateway.posts)[-1]


async def test_lost_answer_is_fetched_again_with_the_same_id(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    # The server processes the message but the connection drops twice before the answer arrives.
    servers.gateway.drop_next = 2
    servers.gateway.drop_after_processing = True
    await widget.input.fill("câu hỏi khi mạng chập chờn")
    await widget.input.press("Enter")
    await expect(widget.user.last.locator(".tthc-meta")).to_have_text("đang gửi…")
    await expect(widget.status).to_have_text(OFFLINE)
    await expect(widget.typing).to_be_visible()

    await expect(widget.bot).to_have_count(2, timeout=20_000)
    await expect(widget.status).to_be_hidden()
    await expect(widget.user.last.locator(".tthc-meta")).to_have_text(TIME)
    message_id = last_id(servers)
    assert servers.gateway.posts[message_id] >= 3
    assert servers.gateway.processed[message_id] == 1
    assert servers.gateway.texts.count("câu hỏi khi mạng chập chờn") == 1
    await expect(widget.user).to_have_count(1)
    await expect(widget.bot.last.locator(".tthc-bubble")).to_have_text(
        "Bạn vừa gửi: câu hỏi khi mạng chập chờn"
    )


async def test_offline_message_waits_and_goes_when_back_online(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    start = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    await page.clock.install(time=start)
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    await page.clock.pause_at(start + timedelta(minutes=5))  # from now on timers fire only when told
    await browsing.context.set_offline(True)
    await widget.input.fill("gửi lúc mất mạng")
    await widget.input.press("Enter")
    await widget.input.fill("và câu thứ hai")
    await widget.input.press("Enter")
    await expect(widget.status).to_have_text(OFFLINE)
    await expect(widget.user.locator(".tthc-meta")).to_have_text(["đang gửi…", "đang gửi…"])
    await page.clock.run_for(4_000)  # a few retries, all failing
    await expect(widget.status).to_have_text(OFFLINE)
    assert servers.gateway.texts == ["/greet"]

    await browsing.context.set_offline(False)
    # The "online" event sends at once, in order, without waiting for the next retry's timer.
    await expect(widget.bot).to_have_count(3)
    await expect(widget.user.locator(".tthc-meta")).to_have_text([TIME, TIME])
    await expect(widget.bot.locator(".tthc-bubble")).to_contain_text(
        ["Xin chào", "Bạn vừa gửi: gửi lúc mất mạng", "Bạn vừa gửi: và câu thứ hai"]
    )
    assert servers.gateway.texts == ["/greet", "gửi lúc mất mạng", "và câu thứ hai"]
    assert all(count == 1 for count in servers.gateway.processed.values())


async def test_pending_message_survives_a_reload(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    # Processed by the server, but every answer is lost until the page is reloaded.
    servers.gateway.drop_next = 1000
    servers.gateway.drop_after_processing = True
    await widget.input.fill("hỏi rồi tải lại trang")
    await widget.input.press("Enter")
    await expect(widget.status).to_have_text(OFFLINE)
    outbox = json.loads(await page.evaluate("() => localStorage.getItem('tthc-widget-outbox')"))
    assert [item["text"] for item in outbox] == ["hỏi rồi tải lại trang"]

    servers.gateway.drop_next = 0
    await page.reload()
    await expect(widget.bot).to_have_count(2)
    await expect(widget.user.locator(".tthc-bubble")).to_have_text(["hỏi rồi tải lại trang"])
    await expect(widget.user.locator(".tthc-meta")).to_have_text([TIME])
    await page.wait_for_function("() => localStorage.getItem('tthc-widget-outbox') === null")
    message_id = outbox[0]["id"]
    assert servers.gateway.posts[message_id] >= 2
    assert servers.gateway.processed[message_id] == 1
    await expect(widget.user).to_have_count(1)
    await expect(widget.bot).to_have_count(2)


async def test_server_refusal_is_shown_and_can_be_resent(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    refusal = "Bạn gửi nhiều tin nhắn quá, vui lòng đợi một chút rồi gửi lại."
    servers.gateway.error_next = (429, "rate_limited", refusal)
    await widget.input.fill("câu hỏi bị từ chối")
    await widget.input.press("Enter")
    await expect(widget.notices).to_have_text([refusal])
    await expect(widget.user.last.locator(".tthc-meta")).to_contain_text("Chưa gửi được")
    message_id = last_id(servers)
    assert servers.gateway.processed[message_id] == 0

    await widget.page.get_by_role("button", name="Gửi lại").click()
    await expect(widget.bot).to_have_count(2)
    await expect(widget.user).to_have_count(1)
    await expect(widget.user.last.locator(".tthc-meta")).to_have_text(TIME)
    assert servers.gateway.posts[message_id] == 2
    assert servers.gateway.processed[message_id] == 1


async def test_gateway_down_then_up(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    servers.gateway.error_next = (503, "unavailable", "Hệ thống đang bảo trì, đang thử lại…")
    await widget.input.fill("khi hệ thống bảo trì")
    await widget.input.press("Enter")
    await expect(widget.status).to_have_text("Hệ thống đang bảo trì, đang thử lại…")
    await expect(widget.bot).to_have_count(2)
    await expect(widget.status).to_be_hidden()
    assert servers.gateway.processed[last_id(servers)] == 1
