"""A citizen on Telegram: the real python-telegram-bot client in the gateway, the Bot API
stand-in, the real Rasa and action servers, and a dossier notification with a 429 on the way."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from bot import notifier
from bot.app import create_app
from bot.state import DELIVERY, SESSIONS
from knowledge.demo import phone_of, plan
from knowledge.models import Dossier, DossierEvent
from knowledge.settings import Settings
from tests.telegram_api import Call, TelegramAPIStandIn

pytestmark = pytest.mark.timeout(300)
CHAT = 770_001


@pytest.fixture
async def api() -> AsyncIterator[TelegramAPIStandIn]:
    async with TelegramAPIStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def gateway(
    stack_settings: Settings, api: TelegramAPIStandIn, aiohttp_client: AiohttpClient
) -> TestClient:
    settings = dataclasses.replace(stack_settings, telegram_token=api.token, telegram_api_url=api.base_url)
    return await aiohttp_client(create_app(settings, notify=False))


async def exchange(api: TelegramAPIStandIn, update: Any, chat: int = CHAT) -> Call:
    """Queue an update; the first message the bot sends to the chat in answer, once it is done answering."""
    before = len(api.sent_messages(chat))
    api.queue(update)
    await api.wait_for_messages(chat, before + 1, timeout=60)
    while True:  # some answers are several messages (/start: the greeting, then the commands)
        count = len(api.sent_messages(chat))
        await asyncio.sleep(0.5)
        if len(api.sent_messages(chat)) == count:
            return api.sent_messages(chat)[before]


def buttons(call: Call) -> list[dict[str, str]]:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [button for row in markup.get("inline_keyboard", []) for button in row]


async def test_a_citizen_checks_a_dossier_on_telegram_and_is_told_of_its_change(
    gateway: TestClient, api: TelegramAPIStandIn
) -> None:
    dossier = plan()[3]
    welcome = await exchange(api, api.message_update(CHAT, "/start"))
    assert "Xin chào" in welcome.params["text"]
    asked = await exchange(api, api.message_update(CHAT, "/tracuu"))
    assert "mã hồ sơ" in asked.params["text"]
    await exchange(api, api.message_update(CHAT, dossier.receipt_code.lower()))
    status = await exchange(api, api.message_update(CHAT, phone_of(dossier.number)[-4:]))
    assert (
        dossier.receipt_code in status.params["text"] and dossier.applicant_name not in status.params["text"]
    )
    subscribe = next(b for b in buttons(status) if b["text"].startswith("🔔"))
    assert len(subscribe["callback_data"].encode()) <= 64
    confirmed = await exchange(api, api.callback_update(CHAT, subscribe["callback_data"]))
    assert "Đã đăng ký" in confirmed.params["text"]
    assert api.calls_to("answerCallbackQuery")

    app = gateway.app
    with app[SESSIONS]() as session, session.begin():
        row = session.scalars(select(Dossier).where(Dossier.receipt_code == dossier.receipt_code)).one()
        row.events.append(DossierEvent(occurred_at=datetime.now(UTC), status="ready", step="Trả kết quả"))
    api.fail("sendMessage", 429, retry_after=1)  # Telegram's flood control, once
    assert await notifier.notify_once(app[SESSIONS], app[DELIVERY]) == 1
    notice = api.sent_messages(CHAT)[-1]
    assert notice.params["text"].startswith(f"🔔 Hồ sơ {dossier.receipt_code} có cập nhật mới")
    assert [c.status for c in api.calls_to("sendMessage")][-2:] == [429, 200]


async def test_a_question_and_a_button_on_telegram(gateway: TestClient, api: TelegramAPIStandIn) -> None:
    chat = CHAT + 1
    answer = await exchange(api, api.message_update(chat, "lệ phí đăng ký kết hôn"), chat)
    assert "kết hôn" in answer.params["text"].lower()
    assert answer.params.get("parse_mode") == "HTML"
    assert api.calls_to("sendChatAction")
    fee = next(b for b in buttons(answer) if b["text"] == "Thời hạn")
    duration = await exchange(api, api.callback_update(chat, fee["callback_data"]), chat)
    assert "Thời hạn giải quyết" in duration.params["text"]
