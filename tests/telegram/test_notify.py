"""Notifications: messages the bot sends first, through flood control and failures."""

from __future__ import annotations

import logging
import time

import pytest

from bot.replies import Button
from bot.telegram import RetryPolicy, TelegramChannel
from tests.telegram.scripted import FAST_RETRY, ScriptedAssistant, settings_for
from tests.telegram_api import TelegramAPIStandIn

pytestmark = pytest.mark.timeout(30)

CHAT = 3003
NEWS = "Hồ sơ 000.22.31.H51-251101-0001 đã có kết quả, mời ông Nguyễn Văn A (0900000001) đến nhận."


def our_log_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name.startswith("bot.")]


def assert_nothing_personal_logged(caplog: pytest.LogCaptureFixture) -> None:
    for line in our_log_lines(caplog):
        assert "Nguyễn" not in line
        assert "0900000001" not in line
        assert str(CHAT) not in line


async def test_a_notification_is_delivered(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    assert await polling.notify(CHAT, NEWS, buttons=[Button("Xem chi tiết", "/check_dossier_status")])
    [sent] = api.sent_messages(CHAT)
    assert sent.params["text"] == NEWS
    assert sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/check_dossier_status"


async def test_a_sender_id_is_accepted_as_chat_id(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    assert await polling.notify(f"tg:{CHAT}", "Cán bộ đã trả lời câu hỏi của bạn.")
    assert len(api.sent_messages(CHAT)) == 1
    assert not await polling.notify("web:abc", "không phải Telegram")


async def test_flood_control_is_waited_out_then_delivered(
    api: TelegramAPIStandIn, polling: TelegramChannel
) -> None:
    api.fail("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    assert await polling.notify(CHAT, NEWS)
    elapsed = time.monotonic() - started
    first, second = api.calls_to("sendMessage")
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.95
    assert elapsed >= 0.95


async def test_repeated_server_errors_give_up_with_false(
    api: TelegramAPIStandIn, polling: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    api.fail("sendMessage", 502, times=10)
    assert await polling.notify(CHAT, NEWS) is False
    calls = api.calls_to("sendMessage")
    assert len(calls) == FAST_RETRY.attempts
    assert all(call.status == 502 for call in calls)
    assert any(
        record.levelno == logging.WARNING for record in caplog.records if record.name.startswith("bot.")
    )
    assert_nothing_personal_logged(caplog)


async def test_server_errors_then_success_are_retried_with_backoff(
    api: TelegramAPIStandIn, polling: TelegramChannel
) -> None:
    polling.notice_policy = RetryPolicy(attempts=4, base_delay=0.2)
    api.fail("sendMessage", 500, times=2)
    assert await polling.notify(CHAT, NEWS)
    calls = api.calls_to("sendMessage")
    assert [call.status for call in calls] == [500, 500, 200]
    # Exponential: 0.2 s, then 0.4 s.
    assert calls[1].at - calls[0].at >= 0.19
    assert calls[2].at - calls[1].at >= 0.39


@pytest.mark.parametrize("status", [403, 400])
async def test_permanent_errors_are_not_retried(
    api: TelegramAPIStandIn, polling: TelegramChannel, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    api.fail("sendMessage", status)
    assert await polling.notify(CHAT, NEWS) is False
    assert len(api.calls_to("sendMessage")) == 1
    assert any("not delivered" in line for line in our_log_lines(caplog))
    assert_nothing_personal_logged(caplog)


async def test_a_long_flood_wait_is_not_waited_for(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    api.fail("sendMessage", 429, retry_after=3600)
    assert await polling.notify(CHAT, NEWS) is False
    assert len(api.calls_to("sendMessage")) == 1


async def test_notify_before_start_returns_false(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant
) -> None:
    channel = TelegramChannel(settings_for(api), assistant, retry=FAST_RETRY, notice_retry=FAST_RETRY)
    assert await channel.notify(CHAT, NEWS) is False
    assert not api.calls_to("sendMessage")
