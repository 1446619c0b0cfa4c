"""The widget on the demo page: opening it, talking, quick replies, safe rendering, history."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from tests.widget.conftest import LOOP, Browsing, Servers, browse
from tests.widget.widget_page import TIME, WELCOME, Widget

pytestmark = LOOP


async def test_keyboard_only_opens_greets_and_closes(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await expect(widget.launcher).to_have_attribute("aria-label", "Mở trợ lý ảo")
    for _ in range(80):
        await page.keyboard.press("Tab")
        if await widget.focused() == "tthc-launcher":
            break
    else:
        raise AssertionError("Tab never reaches the launcher")

    await page.keyboard.press("Enter")
    await expect(widget.panel).to_be_visible()
    assert await widget.focused() == "tthc-input"
    await expect(widget.bot).to_have_count(1)
    await expect(widget.bot.first).to_contain_text(WELCOME)
    await expect(widget.user).to_have_count(0)  # "/greet" is not shown
    assert servers.gateway.texts == ["/greet"]

    await page.keyboard.press("Escape")
    await expect(widget.panel).to_be_hidden()
    assert await widget.focused() == "tthc-launcher"
    await page.keyboard.press(" ")
    await expect(widget.panel).to_be_visible()
    assert await widget.focused() == "tthc-input"
    await widget.close_button.focus()
    await page.keyboard.press("Enter")
    await expect(widget.panel).to_be_hidden()
    assert await widget.focused() == "tthc-launcher"
    assert servers.gateway.texts == ["/greet"]  # greeted once only


async def test_typed_message_and_reply_with_times(browsing: Browsing, servers: Servers) -> None:
    servers.gateway.delay = 0.6
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()

    await widget.input.press_sequentially("Xin hỏi")
    await widget.input.press("Shift+Enter")
    await widget.input.press_sequentially("thủ tục đổi giấy phép lái xe")
    assert await widget.input.input_value() == "Xin hỏi\nthủ tục đổi giấy phép lái xe"
    await widget.input.press("Enter")
    await expect(widget.input).to_have_value("")
    await expect(widget.user).to_have_count(1)
    await expect(widget.typing).to_be_visible()
    await expect(widget.bot).to_have_count(2)
    await expect(widget.typing).to_be_hidden()

    question = widget.user.last
    await expect(question.locator(".tthc-bubble")).to_have_text("Xin hỏi\nthủ tục đổi giấy phép lái xe")
    await expect(question.locator("time")).to_have_text(TIME)
    answer = widget.bot.last
    await expect(answer.locator(".tthc-bubble")).to_have_text(
        "Bạn vừa gửi: Xin hỏi\nthủ tục đổi giấy phép lái xe"
    )
    await expect(answer.locator("time")).to_have_text(TIME)
    assert servers.gateway.texts[-1] == "Xin hỏi\nthủ tục đổi giấy phép lái xe"

    # The send button works too, and an empty input sends nothing.
    await widget.send_button.click()
    await widget.input.fill("khai sinh")
    await widget.send_button.click()
    await expect(widget.bot).to_have_count(3)
    assert servers.gateway.texts[1:] == ["Xin hỏi\nthủ tục đổi giấy phép lái xe", "khai sinh"]


async def test_quick_reply_sends_payload_and_shows_title(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    await widget.ask("đăng ký khai sinh cần giấy tờ gì")
    await expect(widget.quick).to_have_text(["Lệ phí", "Thời hạn", "Nộp ở đâu", "👍", "👎"])
    thumbs = widget.page.locator(".tthc-qr-fb")
    await expect(thumbs).to_have_count(2)
    await expect(thumbs.first).to_have_attribute("aria-label", "Câu trả lời hữu ích")

    await widget.quick.filter(has_text="Lệ phí").click()
    await expect(widget.user.last.locator(".tthc-bubble")).to_have_text("Lệ phí")
    await expect(widget.bot).to_have_count(3)
    assert servers.gateway.texts[-1] == "/ask_fee"
    # Only the newest answer keeps its buttons.
    await expect(widget.page.locator(".tthc-quick")).to_have_count(1)
    await expect(widget.bot.last.locator(".tthc-quick button")).to_have_count(4)

    await widget.quick.filter(has_text="👍").click()
    await expect(widget.user.last.locator(".tthc-bubble")).to_have_text("👍")
    await expect(widget.bot.last).to_contain_text("Cảm ơn bạn đã đánh giá")
    assert servers.gateway.texts[-1] == '/feedback{"rating": "up"}'


async def test_markup_in_messages_is_shown_as_text(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>đậm</b>'
    await widget.ask(attack)
    await expect(widget.bot.last.locator(".tthc-bubble")).to_have_text("Bạn vừa gửi: " + attack)
    await expect(widget.user.last.locator(".tthc-bubble")).to_have_text(attack)
    for tag in ("img", "script", "b"):
        await expect(widget.log.locator(tag)).to_have_count(0)
    assert await page.evaluate("() => window.pwned") is None
    assert await page.locator("img").count() == 0


async def test_only_http_urls_become_links(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    await widget.ask(
        "xem javascript:alert(1) hoặc data:text/html,<b>x</b> và (https://dichvucong.gov.vn/p/home.html)."
    )
    links = widget.bot.last.locator("a")
    await expect(links).to_have_count(1)
    link = links.first
    await expect(link).to_have_text("https://dichvucong.gov.vn/p/home.html")
    await expect(link).to_have_attribute("href", "https://dichvucong.gov.vn/p/home.html")
    await expect(link).to_have_attribute("target", "_blank")
    await expect(link).to_have_attribute("rel", "noopener noreferrer")
    await expect(widget.bot.last.locator(".tthc-bubble")).to_contain_text("javascript:alert(1)")
    await expect(widget.log.locator("a[href^='javascript'], a[href^='data']")).to_have_count(0)


async def test_reload_restores_the_conversation(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.open()
    await widget.ask("đăng ký khai sinh cần giấy tờ gì")
    await widget.quick.filter(has_text="Lệ phí").click()
    await expect(widget.bot).to_have_count(3)
    session = await widget.session()
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", session)
    assert servers.gateway.senders == {session}
    await page.reload()
    await expect(widget.bot).to_have_count(3)
    await expect(widget.page.locator(".tthc-quick")).to_have_count(1)  # the last answer's only
    await expect(widget.bot.last.locator(".tthc-quick button")).to_have_count(4)
    # A turn made elsewhere: a button payload this browser never showed (so not shown), then an
    # answer without buttons at a known time, shown in the reader's time zone.
    servers.gateway.history[session] += [
        {"id": "other", "from": "user", "text": "/ask_duration", "time": "2026-11-29T08:04:00Z"},
        {"id": "fixed", "from": "bot", "text": "Giờ cố định", "buttons": [], "time": "2026-11-29T08:04:05Z"},
    ]
    posts = sum(servers.gateway.posts.values())

    await page.reload()
    await expect(widget.panel).to_be_visible()  # it was open: it stays open
    await expect(widget.bot).to_have_count(4)
    await expect(widget.user.locator(".tthc-bubble")).to_have_text(
        ["đăng ký khai sinh cần giấy tờ gì", "Lệ phí"]
    )
    await expect(widget.bot.first).to_contain_text(WELCOME)
    await expect(widget.bot.last.locator("time")).to_have_text("15:04")
    await expect(widget.bot.last.locator("time")).to_have_attribute("datetime", "2026-11-29T08:04:05.000Z")
    # Buttons on the last answer only (it has none here).
    await expect(widget.page.locator(".tthc-quick")).to_have_count(0)
    assert sum(servers.gateway.posts.values()) == posts  # nothing re-sent, no second greeting
    assert await widget.session() == session

    await widget.close_button.click()
    await page.reload()
    await expect(widget.launcher).to_be_visible()
    await expect(widget.panel).to_be_hidden()
    await widget.launcher.click()
    await expect(widget.bot).to_have_count(4)
    assert servers.gateway.texts.count("/greet") == 1


async def test_roles_and_labels(browsing: Browsing, servers: Servers) -> None:
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await expect(page.get_by_role("button", name="Mở trợ lý ảo")).to_be_visible()
    await expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    await widget.open()
    await expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    dialog = page.get_by_role("dialog", name="Trợ lý ảo TTHC")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("log")).to_have_attribute("aria-live", "polite")
    await expect(dialog.get_by_role("button", name="Đóng")).to_be_visible()
    await expect(dialog.get_by_role("button", name="Gửi")).to_be_visible()
    await expect(dialog.get_by_role("textbox", name="Câu hỏi của bạn")).to_have_attribute(
        "placeholder", "Nhập câu hỏi của bạn…"
    )
    await expect(widget.input).to_have_attribute("maxlength", "1000")
    await expect(dialog.get_by_role("group", name="Gợi ý trả lời").get_by_role("button")).to_have_count(1)
    await expect(widget.page.locator(".tthc-msg-bot .tthc-sr").first).to_have_text("Trợ lý: ")

    await expect(widget.counter).to_be_hidden()
    await widget.input.fill("a" * 950)
    await expect(widget.counter).to_be_visible()
    await expect(widget.counter).to_have_text("950/1000 ký tự")
    await widget.input.fill("a" * 1000)
    await widget.input.press("End")
    await widget.input.press_sequentially("bcd")
    assert len(await widget.input.input_value()) == 1000
    await expect(widget.counter).to_have_text("1000/1000 ký tự")

    # Focus outlines are visible: the close button gets one when focused by keyboard.
    await widget.input.focus()
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Shift+Tab")
    assert await widget.focused() == "tthc-close"
    outline = await widget.close_button.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"


async def test_mobile_panel_is_full_screen(browser: Browser, servers: Servers) -> None:
    browsing = await browse(
        browser,
        servers,
        viewport={"width": 400, "height": 800},
        is_mobile=True,
        has_touch=True,
    )
    page = await browsing.page()
    await page.goto(servers.base + "/")
    widget = Widget(page)
    await widget.launcher.tap()
    await expect(widget.bot.first).to_contain_text(WELCOME)
    assert await widget.panel_box() == {"x": 0, "y": 0, "width": 400, "height": 800}
    await widget.ask("khai sinh")
    assert await widget.panel_box() == {"x": 0, "y": 0, "width": 400, "height": 800}
    await widget.close_button.tap()
    await expect(widget.launcher).to_be_visible()
    await browsing.context.close()
