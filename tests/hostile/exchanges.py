"""Sending the catalogue through the gateway: JSON API, widget endpoint, Telegram stand-in.

Each case runs once per channel and becomes an :class:`Exchange`: the HTTP statuses,
bodies and headers, the replies the citizen saw, and what Rasa's tracker holds for the
sender afterwards. Cases run in parallel (each with its own sender); the steps of one case
run in order.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from aiohttp import web
from yarl import URL

from tests.hostile import cases
from tests.hostile.cases import API, TELEGRAM, WIDGET, RawCase, TelegramCase, TextCase
from tests.stack import Stack
from tests.telegram_api import Call, TelegramAPIStandIn, visible_text

T = TypeVar("T")
# How many cases are in flight at once per channel.
PARALLEL = 12
# A Telegram answer is complete when the chat got nothing new for this long.
QUIET_S = 0.6
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Hostile:
    """The running gateway and what the suite needs to drive it."""

    base_url: str
    widget_origin: str
    http: aiohttp.ClientSession
    telegram: TelegramAPIStandIn
    app: web.Application
    stack: Stack
    run: str  # a few hex digits making this run's senders unique
    chat_base: int
    counts_before: dict[str, int]

    def session_id(self, channel: str, name: str) -> str:
        """A web session id (16-64 characters) for one case on one channel."""
        return f"hostile-{self.run}-{channel[0]}-{name}"[:64].ljust(16, "x")

    def chat_id(self, number: int) -> int:
        return self.chat_base + number


@dataclass
class Exchange:
    """What happened to one case on one channel."""

    channel: str
    case: str
    sender_id: str  # as stored: "web:<session>" or "tg:<chat>"
    statuses: list[int] = field(default_factory=list)  # every HTTP answer, in order
    bodies: list[Any] = field(default_factory=list)  # decoded JSON (None when not JSON)
    headers: list[dict[str, str]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # what the citizen saw after the last message
    authors: list[str] = field(default_factory=list)  # HTTP: the authors of those replies
    ids: list[str] = field(default_factory=list)  # HTTP: the ids of those replies
    html: list[str] = field(default_factory=list)  # Telegram: every text sent, as HTML
    toast: str | None = None  # Telegram: the text of the button press's answer
    history: list[dict[str, Any]] = field(default_factory=list)  # widget: the history after
    rasa_texts: list[str] = field(default_factory=list)  # the user messages Rasa holds


def widget_json(body: dict[str, Any]) -> bytes:
    """``JSON.stringify`` as browsers do it: UTF-8, compact, lone surrogates escaped."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def widget_id(length: int) -> str:
    """An id as ``widget.js`` makes them (``randomId``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


async def _bounded(calls: Sequence[Callable[[], Awaitable[T]]], limit: int = PARALLEL) -> list[T]:
    semaphore = asyncio.Semaphore(limit)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with semaphore:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


async def _json(response: aiohttp.ClientResponse) -> Any:
    try:
        return json.loads(await response.text())
    except ValueError:
        return None


async def rasa_user_texts(hostile: Hostile, sender_id: str) -> list[str]:
    """The user messages of ``sender_id`` in Rasa's tracker (reverted ones included)."""
    url = f"{hostile.stack.rasa_url}/conversations/{quote(sender_id, safe='')}/tracker"
    params = {"include_events": "ALL", "token": hostile.stack.rasa_token}
    async with hostile.http.get(url, params=params) as response:
        tracker = await response.json()
    return [str(e.get("text")) for e in tracker.get("events") or [] if e.get("event") == "user"]


# --------------------------------------------------------------------- JSON API and widget


async def post_message(
    hostile: Hostile, session: str, text: str, *, widget: bool, message_id: str | None = None
) -> tuple[int, dict[str, str], Any]:
    """One message to ``POST /api/v1/messages``, as an integration or as ``widget.js`` sends it."""
    body: dict[str, Any] = {"sender": session, "text": text}
    headers = {"Content-Type": "application/json"}
    if widget:
        body["message_id"] = message_id or widget_id(22)
        headers["Origin"] = hostile.widget_origin
    async with hostile.http.post(
        f"{hostile.base_url}/api/v1/messages", data=widget_json(body), headers=headers
    ) as response:
        return response.status, dict(response.headers), await _json(response)


async def _http_case(hostile: Hostile, case: TextCase, channel: str) -> Exchange:
    widget = channel == WIDGET
    session = hostile.session_id(channel, case.name)
    exchange = Exchange(channel, case.name, f"web:{session}")
    for text in (*case.before, case.text):
        status, headers, body = await post_message(hostile, session, text, widget=widget)
        exchange.statuses.append(status)
        exchange.headers.append(headers)
        exchange.bodies.append(body)
    last = exchange.bodies[-1]
    for reply in (last.get("replies") if isinstance(last, dict) else None) or []:
        exchange.replies.append(reply.get("text"))
        exchange.authors.append(reply.get("author"))
        exchange.ids.append(reply.get("id"))
    if widget:
        async with hostile.http.get(
            f"{hostile.base_url}/api/v1/history/{session}", headers={"Origin": hostile.widget_origin}
        ) as response:
            exchange.history = ((await _json(response)) or {}).get("messages") or []
    exchange.rasa_texts = await rasa_user_texts(hostile, exchange.sender_id)
    return exchange


# --------------------------------------------------------------------------------- Telegram


async def telegram_answer(api: TelegramAPIStandIn, chat: int, update: dict[str, Any]) -> list[Call]:
    """Queue ``update``; the messages the bot sends the chat in answer, once it stops sending."""
    before = len(api.sent_messages(chat))
    api.queue(update)
    await api.wait_for_messages(chat, before + 1, timeout=120)
    count = -1
    while count != len(api.sent_messages(chat)):
        count = len(api.sent_messages(chat))
        await asyncio.sleep(QUIET_S)
    return api.sent_messages(chat)[before:]


def _seen(exchange: Exchange, calls: list[Call]) -> None:
    exchange.html.extend(str(call.params.get("text")) for call in calls)
    exchange.replies = [visible_text(str(call.params.get("text"))) for call in calls]


async def _telegram_case(hostile: Hostile, case: TextCase, number: int) -> Exchange:
    api = hostile.telegram
    chat = hostile.chat_id(number)
    exchange = Exchange(TELEGRAM, case.name, f"tg:{chat}")
    for text in (*case.before, case.text):
        calls = await telegram_answer(api, chat, api.message_update(chat, text))
    _seen(exchange, calls)
    exchange.rasa_texts = await rasa_user_texts(hostile, exchange.sender_id)
    return exchange


async def _telegram_update_case(hostile: Hostile, case: TelegramCase, number: int) -> Exchange:
    api = hostile.telegram
    chat = hostile.chat_id(number)
    exchange = Exchange(TELEGRAM, case.name, f"tg:{chat}")
    if case.callback_data is None:
        update = api.message_update(chat)
        update["message"].update(case.message)
        if case.caption is not None:
            update["message"]["caption"] = case.caption
        _seen(exchange, await telegram_answer(api, chat, update))
    else:
        update = api.callback_update(chat, case.callback_data)
        query_id = update["callback_query"]["id"]
        if case.expect is cases.Expect.BUTTON_EXPIRED:
            api.queue(update)
            [answer] = await api.wait_for_calls(
                "answerCallbackQuery",
                where=lambda c: c.params.get("callback_query_id") == query_id,
                timeout=60,
            )
            exchange.toast = answer.params.get("text")
        else:
            _seen(exchange, await telegram_answer(api, chat, update))
    exchange.rasa_texts = await rasa_user_texts(hostile, exchange.sender_id)
    return exchange


# --------------------------------------------------------------------------------- runners


async def run_text_cases(hostile: Hostile, *, telegram: bool = False) -> dict[tuple[str, str], Exchange]:
    """Every text case on the HTTP channels (or on Telegram), keyed by (channel, case)."""
    calls: list[Callable[[], Awaitable[Exchange]]] = []
    for number, case in enumerate(cases.TEXT_CASES):
        if telegram and TELEGRAM in case.channels:
            calls.append(functools.partial(_telegram_case, hostile, case, number))
        if not telegram:
            for channel in (c for c in (API, WIDGET) if c in case.channels):
                calls.append(functools.partial(_http_case, hostile, case, channel))
    return {(e.channel, e.case): e for e in await _bounded(calls)}


async def run_telegram_cases(hostile: Hostile) -> dict[tuple[str, str], Exchange]:
    """Every Telegram-only update, keyed by (channel, case)."""
    offset = len(cases.TEXT_CASES)
    calls = [
        functools.partial(_telegram_update_case, hostile, case, offset + number)
        for number, case in enumerate(cases.TELEGRAM_CASES)
    ]
    return {(e.channel, e.case): e for e in await _bounded(calls)}


async def _chunks(body: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def _raw_case(hostile: Hostile, case: RawCase, channel: str) -> Exchange:
    session = hostile.session_id(channel, "r-" + case.name)
    exchange = Exchange(channel, case.name, f"web:{session}")
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    if channel == WIDGET:
        headers["Origin"] = hostile.widget_origin
    body = case.body.replace(cases.SENDER.encode(), session.encode()) if case.body is not None else None
    data: Any = _chunks(body) if case.chunked and body is not None else body
    async with hostile.http.request(
        case.method,
        URL(hostile.base_url + case.path, encoded=True),
        data=data,
        headers=headers,
        skip_auto_headers=() if case.content_type else ("Content-Type",),
    ) as response:
        exchange.statuses.append(response.status)
        exchange.headers.append(dict(response.headers))
        exchange.bodies.append(await _json(response))
    exchange.rasa_texts = await rasa_user_texts(hostile, exchange.sender_id)
    return exchange


async def run_raw_cases(hostile: Hostile) -> dict[tuple[str, str], Exchange]:
    """Every raw request, as is and from the widget's page, keyed by (channel, case)."""
    calls = [
        functools.partial(_raw_case, hostile, case, channel)
        for case in cases.RAW_CASES
        for channel in (API, WIDGET)
    ]
    return {(e.channel, e.case): e for e in await _bounded(calls)}
