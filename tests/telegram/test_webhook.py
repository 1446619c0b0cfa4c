"""Webhook mode: Telegram posts updates to the gateway, which checks the secret token."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from bot.telegram import (
    TELEGRAM_CHANNEL,
    WEBHOOK_PATH,
    TelegramChannel,
    TelegramConfigError,
    setup_telegram,
)
from knowledge.settings import Settings
from tests.telegram.scripted import ScriptedAssistant, settings_for
from tests.telegram_api import TelegramAPIStandIn

pytestmark = pytest.mark.timeout(30)

SECRET = "s3cret-Token_for-tests"
PUBLIC_URL = "https://tthc.example.vn"
CHAT = 2002
HEADER = "X-Telegram-Bot-Api-Secret-Token"

Gateway = TestClient[web.Request, web.Application]


@pytest.fixture
async def gateway(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, aiohttp_client: AiohttpClient
) -> AsyncIterator[Gateway]:
    """A gateway-like aiohttp app with the channel in webhook mode, served by a test client."""
    app = web.Application()
    channel = setup_telegram(
        app, settings_for(api, public_url=PUBLIC_URL, telegram_webhook_secret=SECRET), assistant
    )
    assert channel is not None
    client = await aiohttp_client(app)
    yield client


async def test_the_webhook_is_registered_with_the_secret(api: TelegramAPIStandIn, gateway: Gateway) -> None:
    [call] = api.calls_to("setWebhook")
    assert call.params["url"] == f"{PUBLIC_URL}{WEBHOOK_PATH}"
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]
    assert api.calls_to("setMyCommands")
    assert not api.calls_to("getUpdates")
    assert gateway.app[TELEGRAM_CHANNEL].mode == "webhook"


async def test_an_update_with_the_right_secret_is_answered(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, gateway: Gateway
) -> None:
    update = api.message_update(CHAT, "đăng ký kết hôn ở đâu")
    response = await gateway.post(WEBHOOK_PATH, json=update, headers={HEADER: SECRET})
    assert response.status == 200
    [sent] = await api.wait_for_messages(CHAT)
    assert sent.params["text"] == "Bạn hỏi: đăng ký kết hôn ở đâu"
    assert assistant.received == [(f"tg:{CHAT}", "đăng ký kết hôn ở đâu")]


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong"}, {HEADER: SECRET + "x"}, {HEADER: ""}])
async def test_a_wrong_or_missing_secret_is_refused(
    api: TelegramAPIStandIn,
    assistant: ScriptedAssistant,
    gateway: Gateway,
    headers: dict[str, str],
) -> None:
    update = api.message_update(CHAT, "xin chào")
    response = await gateway.post(WEBHOOK_PATH, json=update, headers=headers)
    assert response.status == 403
    # A right call afterwards is answered, and only it.
    right = api.message_update(CHAT, "lệ phí")
    assert (await gateway.post(WEBHOOK_PATH, json=right, headers={HEADER: SECRET})).status == 200
    await api.wait_for_messages(CHAT)
    assert assistant.texts() == ["lệ phí"]


async def test_an_update_delivered_again_is_answered_once(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, gateway: Gateway
) -> None:
    update = api.message_update(CHAT, "lệ phí kết hôn")
    for _ in range(2):  # Telegram retries an update it thinks was not received
        assert (await gateway.post(WEBHOOK_PATH, json=update, headers={HEADER: SECRET})).status == 200
    await api.wait_for_messages(CHAT)
    fresh = api.message_update(CHAT, "câu hỏi mới")
    assert (await gateway.post(WEBHOOK_PATH, json=fresh, headers={HEADER: SECRET})).status == 200
    await api.wait_for_messages(CHAT, 2)
    assert assistant.texts() == ["lệ phí kết hôn", "câu hỏi mới"]


async def test_a_malformed_body_is_rejected(gateway: Gateway) -> None:
    response = await gateway.post(WEBHOOK_PATH, data=b"{not json", headers={HEADER: SECRET})
    assert response.status == 400
    response = await gateway.post(WEBHOOK_PATH, json=[1, 2], headers={HEADER: SECRET})
    assert response.status == 400


async def test_edited_messages_are_ignored(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, gateway: Gateway
) -> None:
    edited = api.message_update(CHAT, "sửa lại câu hỏi", edited=True)
    assert (await gateway.post(WEBHOOK_PATH, json=edited, headers={HEADER: SECRET})).status == 200
    fresh = api.message_update(CHAT, "câu hỏi mới")
    assert (await gateway.post(WEBHOOK_PATH, json=fresh, headers={HEADER: SECRET})).status == 200
    await api.wait_for_messages(CHAT)
    assert assistant.texts() == ["câu hỏi mới"]


async def test_a_button_press_through_the_webhook(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, gateway: Gateway
) -> None:
    press = api.callback_update(CHAT, "/ask_duration")
    assert (await gateway.post(WEBHOOK_PATH, json=press, headers={HEADER: SECRET})).status == 200
    await api.wait_for_messages(CHAT)
    assert [call.ok for call in api.calls_to("answerCallbackQuery")] == [True]
    assert assistant.received == [(f"tg:{CHAT}", "/ask_duration")]


@pytest.mark.parametrize("secret", [None, "", "has spaces", "x" * 257])
def test_a_public_url_without_a_valid_secret_refuses_to_start(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, secret: str | None
) -> None:
    settings = settings_for(api, public_url=PUBLIC_URL, telegram_webhook_secret=secret)
    with pytest.raises(TelegramConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramChannel(settings, assistant)
    with pytest.raises(TelegramConfigError):
        setup_telegram(web.Application(), settings, assistant)


def test_without_a_token_telegram_is_off(assistant: ScriptedAssistant) -> None:
    app = web.Application()
    assert setup_telegram(app, Settings(), assistant) is None
    assert TELEGRAM_CHANNEL not in app
    assert not app.router.routes()
    assert not app.cleanup_ctx
