"""A citizen talking to the bot in polling mode, through the real python-telegram-bot client."""

from __future__ import annotations

import logging
import unicodedata

import pytest

from bot.telegram import TelegramChannel, texts
from tests.telegram.scripted import (
    FEE_PAYLOAD,
    GREETING,
    HTML_TEXT,
    LONG_PAYLOAD,
    LONG_TEXT,
    ScriptedAssistant,
)
from tests.telegram_api import BOT_USERNAME, TelegramAPIStandIn, visible_text

pytestmark = pytest.mark.timeout(30)

CHAT = 1001


async def test_a_text_message_gets_the_assistants_reply(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_text(CHAT, "làm giấy khai sinh cần gì")
    [sent] = await api.wait_for_messages(CHAT)
    assert assistant.received == [(f"tg:{CHAT}", "làm giấy khai sinh cần gì")]
    assert sent.params["text"] == "Bạn hỏi: làm giấy khai sinh cần gì"
    assert sent.params["parse_mode"] == "HTML"
    assert api.allowed_updates == ["message", "callback_query"]


async def test_typing_is_shown_before_the_answer(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    api.queue_text(CHAT, "lệ phí")
    [sent] = await api.wait_for_messages(CHAT)
    actions = [call for call in api.calls_to("sendChatAction") if call.params["chat_id"] == CHAT]
    assert actions, "no typing indicator"
    assert actions[0].params["action"] == "typing"
    assert actions[0].at <= sent.at


async def test_the_command_menu_is_set_at_start(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    [call] = api.calls_to("setMyCommands")
    commands = call.params["commands"]
    assert [command["command"] for command in commands] == ["start", "help", "tracuu", "huy", "nhanvien"]
    for command in commands:
        assert command["description"]
        assert unicodedata.is_normalized("NFC", command["description"])


async def test_start_greets_through_the_assistant_and_lists_the_commands(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_text(CHAT, "/start")
    sent = await api.wait_for_messages(CHAT, 2)
    assert assistant.received == [(f"tg:{CHAT}", "/greet")]
    assert [call.params["text"] for call in sent] == [GREETING, texts.COMMANDS_HINT]


async def test_start_still_greets_when_the_assistant_says_nothing(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    assistant.greeting = []
    api.queue_text(CHAT, "/start")
    sent = await api.wait_for_messages(CHAT, 2)
    assert sent[0].params["text"] == texts.WELCOME
    assert "căn cước" in sent[0].params["text"]


@pytest.mark.parametrize(
    ("command", "payload"),
    [("/tracuu", "/check_dossier_status"), ("/huy", "/deny"), ("/nhanvien", "/human_handoff")],
)
async def test_menu_commands_send_their_intent(
    api: TelegramAPIStandIn,
    assistant: ScriptedAssistant,
    polling: TelegramChannel,
    command: str,
    payload: str,
) -> None:
    api.queue_text(CHAT, command)
    await api.wait_for_messages(CHAT)
    assert assistant.received == [(f"tg:{CHAT}", payload)]


async def test_words_after_tracuu_follow_the_intent(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_text(CHAT, "/tracuu 000.22.31.H51-251101-0001")
    await api.wait_for_messages(CHAT, 2)
    assert assistant.texts() == ["/check_dossier_status", "000.22.31.H51-251101-0001"]


async def test_help_and_unknown_commands_are_answered_by_the_bot_itself(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_text(CHAT, "/help")
    [help_message] = await api.wait_for_messages(CHAT)
    assert help_message.params["text"] == texts.HELP
    api.queue_text(CHAT, '/ask_fee{"procedure_code": "1.004222"}')
    sent = await api.wait_for_messages(CHAT, 2)
    assert sent[1].params["text"] == texts.UNKNOWN_COMMAND
    assert assistant.received == []


async def test_buttons_become_an_inline_keyboard_and_a_press_is_answered(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_text(CHAT, "khai sinh")
    [sent] = await api.wait_for_messages(CHAT)
    rows = sent.params["reply_markup"]["inline_keyboard"]
    keys = [key for row in rows for key in row]
    assert [key["text"] for key in keys] == ["Lệ phí", "Hồ sơ cần nộp"]
    assert keys[0]["callback_data"] == FEE_PAYLOAD

    update = api.queue_callback(CHAT, keys[0]["callback_data"])
    await api.wait_for_messages(CHAT, 2)
    [answer] = api.calls_to("answerCallbackQuery")
    assert answer.ok
    assert answer.params["callback_query_id"] == update["callback_query"]["id"]
    assert assistant.received[-1] == (f"tg:{CHAT}", FEE_PAYLOAD)


async def test_a_long_payload_round_trips_through_a_short_token(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    assert len(LONG_PAYLOAD.encode()) > 64
    api.queue_text(CHAT, "khai sinh")
    [sent] = await api.wait_for_messages(CHAT)
    data = sent.params["reply_markup"]["inline_keyboard"][-1][-1]["callback_data"]
    assert data.startswith("p:")
    assert len(data.encode()) <= 64

    api.queue_callback(CHAT, data)
    await api.wait_for_messages(CHAT, 2)
    assert assistant.received[-1] == (f"tg:{CHAT}", LONG_PAYLOAD)


async def test_an_unknown_button_token_is_answered_as_expired(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_callback(CHAT, "p:gone-since-a-restart")
    [answer] = await api.wait_for_calls("answerCallbackQuery")
    assert answer.params["text"] == texts.BUTTON_EXPIRED
    assert assistant.received == []


async def test_a_5000_character_reply_is_split_at_a_line_break(
    api: TelegramAPIStandIn, polling: TelegramChannel
) -> None:
    assert len(LONG_TEXT) > 5000
    api.queue_text(CHAT, "dài")
    sent = await api.wait_for_messages(CHAT, 2)
    parts = [call.params["text"] for call in sent]
    assert len(parts) == 2
    assert all(len(part) <= 4096 for part in parts)
    assert "\n".join(parts) == LONG_TEXT
    lines = set(LONG_TEXT.split("\n"))
    assert parts[0].split("\n")[-1] in lines
    assert parts[1].split("\n")[0] in lines


async def test_html_in_a_reply_is_escaped(api: TelegramAPIStandIn, polling: TelegramChannel) -> None:
    api.queue_text(CHAT, "html")
    [sent] = await api.wait_for_messages(CHAT)
    assert sent.params["text"] == "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;"
    assert visible_text(sent.params["text"]) == HTML_TEXT


async def test_a_photo_gets_the_text_only_note(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    api.queue_photo(CHAT, caption="giấy tờ của tôi")
    [sent] = await api.wait_for_messages(CHAT)
    assert sent.params["text"] == texts.TEXT_ONLY
    assert assistant.received == []


async def test_in_a_group_only_messages_addressed_to_the_bot_are_answered(
    api: TelegramAPIStandIn, assistant: ScriptedAssistant, polling: TelegramChannel
) -> None:
    group = -100200300
    api.queue_text(group, "lệ phí khai sinh bao nhiêu", chat_type="supergroup")
    api.queue_photo(group, chat_type="supergroup")
    question = api.queue_text(group, f"@{BOT_USERNAME} lệ phí khai sinh bao nhiêu?", chat_type="supergroup")
    [sent] = await api.wait_for_messages(group)
    assert assistant.received == [(f"tg:{group}", "lệ phí khai sinh bao nhiêu?")]
    assert sent.params["reply_parameters"]["message_id"] == question["message"]["message_id"]

    api.queue_text(group, "còn thời hạn thì sao", chat_type="supergroup", reply_to_bot=True)
    await api.wait_for_messages(group, 2)
    assert assistant.texts()[-1] == "còn thời hạn thì sao"
    assert len(assistant.received) == 2


async def test_an_unexpected_error_tells_the_user_to_retry_and_logs_no_text(
    api: TelegramAPIStandIn, polling: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    api.queue_text(CHAT, "hỏng")
    [sent] = await api.wait_for_messages(CHAT)
    assert sent.params["text"] == texts.BUSY
    ours = [record for record in caplog.records if record.name.startswith("bot.")]
    assert any(record.levelno == logging.ERROR for record in ours)
    assert not any("hỏng" in record.getMessage() for record in ours)
    assert not any(str(CHAT) in record.getMessage() for record in ours)
