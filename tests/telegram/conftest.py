"""Fixtures of the Telegram channel tests: the Bot API stand-in, a scripted assistant, a running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.telegram import TelegramChannel
from tests.telegram.scripted import FAST_RETRY, ScriptedAssistant, settings_for
from tests.telegram_api import TelegramAPIStandIn


@pytest.fixture
async def api() -> AsyncIterator[TelegramAPIStandIn]:
    async with TelegramAPIStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def assistant() -> ScriptedAssistant:
    return ScriptedAssistant()


@pytest.fixture
async def polling(api: TelegramAPIStandIn, assistant: ScriptedAssistant) -> AsyncIterator[TelegramChannel]:
    """A started bot polling the stand-in."""
    channel = TelegramChannel(settings_for(api), assistant, retry=FAST_RETRY, notice_retry=FAST_RETRY)
    await channel.start()
    assert channel.ready
    yield channel
    await channel.stop()
