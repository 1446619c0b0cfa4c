"""The widget as a test sees it: its parts (Playwright's CSS locators enter its open shadow root)."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

TIME = re.compile(r"^\d{2}:\d{2}$")
WELCOME = "Xin chào! Tôi là trợ lý ảo"


class Widget:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator(".tthc-launcher")
        self.panel = page.locator(".tthc-panel")
        self.close_button = page.locator(".tthc-close")
        self.log = page.locator(".tthc-log")
        self.input = page.locator(".tthc-input")
        self.send_button = page.locator(".tthc-send")
        self.status = page.locator(".tthc-status")
        self.counter = page.locator(".tthc-counter")
        self.typing = page.locator(".tthc-typing")
        self.bot = page.locator(".tthc-msg-bot")
        self.user = page.locator(".tthc-msg-user")
        self.notices = page.locator(".tthc-notice")
        self.quick = page.locator(".tthc-quick button")

    async def focused(self) -> str | None:
        """The class of the element focused inside the widget, if any."""
        return await self.page.evaluate(
            """() => {
                const host = document.getElementById('tthc-widget');
                const active = host && document.activeElement === host ? host.shadowRoot.activeElement : null;
                return active ? active.className : null;
            }"""
        )

    async def open(self) -> None:
        await self.launcher.click()
        await expect(self.panel).to_be_visible()
        await expect(self.bot.first).to_contain_text(WELCOME)

    async def ask(self, text: str) -> None:
        """Types ``text``, sends it with Enter and waits for its answer."""
        answers = await self.bot.count()
        await self.input.fill(text)
        await self.input.press("Enter")
        await expect(self.bot).to_have_count(answers + 1)

    async def panel_box(self) -> dict[str, int]:
        """Where the panel is, once its opening animation is over (rounded to pixels)."""
        await self.panel.evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")
        box = await self.panel.bounding_box()
        assert box is not None
        return {key: round(value) for key, value in box.items()}

    async def session(self) -> str:
        return await self.page.evaluate("() => localStorage.getItem('tthc-widget-session')")
