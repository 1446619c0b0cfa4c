"""A flood from one sender on each channel: past the limit, the rate-limit notice (429 with a
Vietnamese body on the API); every message accepted is answered, stored and seen by Rasa once,
in one order; another citizen meanwhile is answered as usual."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import Engine

from bot import texts
from tests.hostile.cases import RATE_LIMIT, WIDGET_ORIGIN
from tests.hostile.checks import check_answer, check_reply_body, is_vietnamese, rows_of
from tests.hostile.exchanges import Hostile, post_message, rasa_user_texts, telegram_answer
from tests.telegram_api import visible_text

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.timeout(600)]

FLOOD = RATE_LIMIT + 10
TOO_FAST_BODY = {"error": "too_many_messages", "message": texts.TOO_FAST}
BYSTANDER_QUESTIONS = ("lệ phí đăng ký khai sinh", "đăng ký kết hôn cần giấy tờ gì", "cảm ơn")
# Chat numbers of the Telegram flood (the catalogue uses the first few hundred).
FLOOD_CHAT, BYSTANDER_CHAT = 9_000, 9_001


def flood_texts(channel: str) -> list[str]:
    return [f"xin chào, tôi hỏi lần thứ {n} qua {channel}" for n in range(FLOOD)]


def check_accepted(hostile_db: Engine, sender_id: str, accepted: list[str], rasa_texts: list[str]) -> None:
    """Every accepted message stored and answered once; Rasa saw the same, in the same order."""
    rows = rows_of(hostile_db, sender_id)
    incoming = [row for row in rows if row.direction == "in"]
    assert sorted(row.text for row in incoming) == sorted(accepted)
    answered = Counter(row.reply_to_id for row in rows if row.direction == "out" and row.author == "bot")
    assert all(answered[row.id] for row in incoming), "an accepted message was not answered"
    assert rasa_texts == [row.text for row in incoming]


async def _flood_http(hostile: Hostile, hostile_db: Engine, channel: str) -> None:
    widget = channel == "widget"
    flooder = hostile.session_id(channel, "flood")
    bystander = hostile.session_id(channel, "bystander")

    async def calm() -> list[tuple[int, dict[str, str], object]]:
        return [await post_message(hostile, bystander, q, widget=widget) for q in BYSTANDER_QUESTIONS]

    sent = flood_texts(channel)
    flood, quiet = await asyncio.gather(
        asyncio.gather(*(post_message(hostile, flooder, text, widget=widget) for text in sent)), calm()
    )
    assert Counter(status for status, _, _ in flood) == {200: RATE_LIMIT, 429: FLOOD - RATE_LIMIT}
    accepted = []
    for text, (status, headers, body) in zip(sent, flood, strict=True):
        if widget:
            assert headers.get("Access-Control-Allow-Origin") == WIDGET_ORIGIN
        if status == 429:
            assert body == TOO_FAST_BODY and is_vietnamese(texts.TOO_FAST)
            continue
        check_reply_body(body)
        assert isinstance(body, dict) and {r["author"] for r in body["replies"]} == {"bot"}
        check_answer([r["text"] for r in body["replies"]])
        accepted.append(text)
    check_accepted(hostile_db, f"web:{flooder}", accepted, await rasa_user_texts(hostile, f"web:{flooder}"))
    for status, _, body in quiet:
        assert status == 200
        assert isinstance(body, dict)
        check_answer([r["text"] for r in body["replies"]])
    health = await hostile.http.get(f"{hostile.base_url}/healthz")
    assert health.status == 200


async def test_a_flood_on_the_api(hostile: Hostile, hostile_db: Engine) -> None:
    await _flood_http(hostile, hostile_db, "api")


async def test_a_flood_on_the_widget(hostile: Hostile, hostile_db: Engine) -> None:
    await _flood_http(hostile, hostile_db, "widget")


async def test_a_flood_on_telegram(hostile: Hostile, hostile_db: Engine) -> None:
    api = hostile.telegram
    chat, other = hostile.chat_id(FLOOD_CHAT), hostile.chat_id(BYSTANDER_CHAT)
    sent = flood_texts("telegram")
    for text in sent:
        api.queue(api.message_update(chat, text))
    quiet = [await telegram_answer(api, other, api.message_update(other, q)) for q in BYSTANDER_QUESTIONS]
    await api.wait_for_messages(chat, FLOOD, timeout=120)
    count = -1
    while count != len(api.sent_messages(chat)):  # until the bot stops sending
        count = len(api.sent_messages(chat))
        await asyncio.sleep(1.0)
    shown = [visible_text(str(call.params.get("text"))) for call in api.sent_messages(chat)]
    assert shown.count(texts.TOO_FAST) == FLOOD - RATE_LIMIT
    check_answer([text for text in shown if text != texts.TOO_FAST])
    rows = rows_of(hostile_db, f"tg:{chat}")
    accepted = [row.text for row in rows if row.direction == "in"]
    assert len(accepted) == RATE_LIMIT and set(accepted) <= set(sent)
    check_accepted(hostile_db, f"tg:{chat}", accepted, await rasa_user_texts(hostile, f"tg:{chat}"))
    for calls in quiet:
        check_answer([visible_text(str(call.params.get("text"))) for call in calls])
