"""Starting and stopping the bot: Telegram down at start, a wrong token."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import InvalidToken

from bot.telegram import TelegramChannel
from tests.telegram.scripted import FAST_RETRY, ScriptedAssistant, settings_for
from tests.telegram_api import TelegramAPIStandIn

pytestmark = pytest.mark.timeout(30)


async def test_telegram_down_at_start_does_not_stop_the_gateway(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant
) -> None:
    api.fail("getMe", 502, times=2)
    channel = TelegramChannel(settings_for(api), assistant, retry=FAST_RETRY, startup_retry_s=0.05)
    await channel.start()
    try:
        assert not channel.ready
        for _ in range(100):
            if channel.ready:
                break
            await asyncio.sleep(0.05)
        assert channel.ready
        api.queue_text(4004, "xin chào")
        await api.wait_for_messages(4004)
    finally:
        await channel.stop()
    assert [call.status for call in api.calls_to("getMe")] == [502, 502, 200]


async def test_a_wrong_token_stops_the_start(api: TelegramAPIStandIn, assistant: ScriptedAssistant) -> None:
    settings = settings_for(api, telegram_token="42:not-the-token")
    channel = TelegramChannel(settings, assistant)
    with pytest.raises(InvalidToken):
        await channel.start()
    await channel.stop()


async def test_stop_stops_polling(api: TelegramAPIStandIn, assistant: ScriptedAssistant) -> None:
    channel = TelegramChannel(settings_for(api), assistant)
    await channel.start()
    await channel.stop()
    assert not channel.ready
    polls = len(api.calls_to("getUpdates"))
    api.queue_text(4004, "còn ai không")
    await asyncio.sleep(0.3)
    assert len(api.calls_to("getUpdates")) == polls
    assert not api.sent_messages()
