"""What the Telegram tests share: a scripted assistant standing for the gateway, and settings."""

from __future__ import annotations

from typing import Any

from bot.replies import Button, Reply
from bot.telegram import RetryPolicy
from knowledge.settings import Settings
from tests.telegram_api import TelegramAPIStandIn

FEE_PAYLOAD = '/ask_fee{"procedure_code": "1.004222"}'
LONG_PAYLOAD = (
    '/ask_documents{"procedure_code": "1.004222", "procedure": "Đăng ký khai sinh có yếu tố nước ngoài"}'
)
# 50 lines of 100 characters: 5,049 characters with the line breaks.
LONG_TEXT = "\n".join(f"{n:02d} " + "thủ tục hành chính " * 5 + "xx" for n in range(50))
HTML_TEXT = "<script>alert('x')</script> & <b>đậm</b>"
GREETING = "Xin chào! Tôi là trợ lý ảo của Trung tâm Phục vụ hành chính công."
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


class ScriptedAssistant:
    """Stands for the gateway's ``converse``: records what it gets, answers by a script."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.greeting: list[Reply] = [Reply(GREETING)]

    async def __call__(self, sender: str, text: str) -> list[Reply]:
        self.received.append((sender, text))
        if text == "/greet":
            return self.greeting
        if text == "dài":
            return [Reply(LONG_TEXT)]
        if text == "html":
            return [Reply(HTML_TEXT)]
        if text == "hỏng":
            raise RuntimeError("the assistant broke its promise")
        return [
            Reply(
                f"Bạn hỏi: {text}",
                (Button("Lệ phí", FEE_PAYLOAD), Button("Hồ sơ cần nộp", LONG_PAYLOAD)),
            )
        ]

    def texts(self) -> list[str]:
        return [text for _, text in self.received]


def settings_for(api: TelegramAPIStandIn, **overrides: Any) -> Settings:
    """Settings pointing the bot at the stand-in."""
    values: dict[str, Any] = {"telegram_token": api.token, "telegram_api_url": api.base_url}
    return Settings(**(values | overrides))
