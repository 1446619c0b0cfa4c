"""The JSON API's answers to bad requests and to a Rasa that is down."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient, AiohttpServer
from sqlalchemy.exc import OperationalError

from bot import conversations, texts
from bot.app import create_app
from bot.conversations import Conversations
from bot.coordination import Coordination
from bot.message_log import Logged, MessageLog
from bot.rasa_client import RasaClient
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings

SENDER = "Zk3r9VvQm2LwT8yHc1Ab"


async def client_for(settings: Settings, aiohttp_client: AiohttpClient) -> TestClient:
    return await aiohttp_client(create_app(settings, notify=False))


async def post(client: TestClient, body: object, **headers: str) -> tuple[int, dict]:
    response = await client.post(
        "/api/v1/messages", data=json.dumps(body), headers={"Content-Type": "application/json", **headers}
    )
    return response.status, await response.json()


async def test_rasa_down_gives_the_busy_message_and_the_message_is_kept(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient
) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    status, body = await post(client, {"sender": SENDER, "text": "lệ phí khai sinh", "message_id": "m-1"})
    assert status == 200
    assert [r["text"] for r in body["replies"]] == [texts.BUSY]
    history = await (await client.get(f"/api/v1/history/{SENDER}")).json()
    assert [(m["from"], m["text"]) for m in history["messages"]] == [
        ("user", "lệ phí khai sinh"),
        ("bot", texts.BUSY),
    ]
    # The client retries the same message: it is tried again, not answered from the failed attempt twice.
    status, body = await post(client, {"sender": SENDER, "text": "lệ phí khai sinh", "message_id": "m-1"})
    history = await (await client.get(f"/api/v1/history/{SENDER}")).json()
    assert [m["from"] for m in history["messages"]] == ["user", "bot"]


async def test_bad_requests_get_clear_errors(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient
) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    response = await client.post(
        "/api/v1/messages", data="sender=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status == 415 and (await response.json())["message"] == texts.BAD_REQUEST
    response = await client.post(
        "/api/v1/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    response = await client.post(
        "/api/v1/messages", data=b"\xff\xfe\xfa", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    response = await client.post(
        "/api/v1/messages", data=b"x" * 70_000, headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    for body in [
        [],
        {"sender": "short", "text": "a"},
        {"sender": "tg:12345678901234567", "text": "a"},
        {"sender": SENDER, "text": 5},
        {"sender": SENDER, "text": "a", "message_id": "x" * 65},
    ]:
        status, answer = await post(client, body)
        assert status in (400, 422), body
        assert answer["message"]
    assert (await client.get("/api/v1/history/tg:123")).status == 422
    response = await client.get("/api/v1/nothing-here")
    assert response.status == 404 and (await response.json())["message"] == texts.NOT_FOUND


async def test_empty_long_and_fast_messages_are_answered_without_rasa(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient
) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    _, body = await post(client, {"sender": SENDER, "text": "  \u200b "})
    assert body["replies"][0]["text"] == texts.EMPTY
    _, body = await post(client, {"sender": SENDER, "text": "x" * 20_000})
    assert "quá dài" in body["replies"][0]["text"]
    results = [await post(client, {"sender": SENDER, "text": f"câu {i}"}) for i in range(6)]
    assert [r[1]["replies"][0]["text"] for r in results[:5]] == [texts.BUSY] * 5  # 5 per minute here
    assert results[5] == (429, {"error": "too_many_messages", "message": texts.TOO_FAST})


async def test_only_allowed_origins_may_call_the_api(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient
) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    status, body = await post(client, {"sender": SENDER, "text": "chào"}, Origin="https://evil.example.com")
    assert status == 403 and body["message"] == texts.FORBIDDEN_ORIGIN
    response = await client.options(
        "/api/v1/messages",
        headers={"Origin": "https://congdichvu.example.vn", "Access-Control-Request-Method": "POST"},
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://congdichvu.example.vn"
    response = await client.get(
        f"/api/v1/history/{SENDER}", headers={"Origin": "https://congdichvu.example.vn"}
    )
    assert (
        response.status == 200
        and response.headers["Access-Control-Allow-Origin"] == "https://congdichvu.example.vn"
    )


async def test_health_and_readiness(dead_rasa_settings: Settings, aiohttp_client: AiohttpClient) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    assert (await client.get("/healthz")).status == 200
    response = await client.get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"] == {"rasa": False, "actions": False, "database": True}


async def test_pages_carry_security_headers_and_the_openapi_file_is_served(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient
) -> None:
    client = await client_for(dead_rasa_settings, aiohttp_client)
    page = await client.get("/")
    assert page.status == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    widget = await client.get("/widget.js")
    assert widget.status == 200 and widget.headers["Content-Type"].startswith("text/javascript")
    spec = await client.get("/api/docs")
    assert spec.status == 200 and "/api/v1/messages" in await spec.text()


async def _silent_rasa(aiohttp_server: AiohttpServer) -> str:
    """A Rasa that answers nothing, as it does when the action it chose cannot run."""
    app = web.Application()

    async def webhook(request: web.Request) -> web.Response:
        return web.json_response([])

    async def tracker(request: web.Request) -> web.Response:
        return web.json_response({"paused": False})

    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/conversations/{sender}/tracker", tracker)
    return str((await aiohttp_server(app)).make_url("")).rstrip("/")


async def test_no_answer_while_the_action_server_is_down_is_the_busy_notice(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient, aiohttp_server: AiohttpServer
) -> None:
    settings = dataclasses.replace(dead_rasa_settings, rasa_url=await _silent_rasa(aiohttp_server))
    client = await client_for(settings, aiohttp_client)
    status, body = await post(client, {"sender": SENDER, "text": "lệ phí khai sinh", "message_id": "m-1"})
    assert (status, [r["text"] for r in body["replies"]]) == (200, [texts.BUSY])

    # With the action server up, an empty answer is what it is: the assistant has none.
    health = web.Application()
    health.router.add_get("/health", lambda _: web.json_response({"status": "ok"}))
    actions = await aiohttp_server(health)
    settings = dataclasses.replace(settings, actions_port=actions.port)
    client = await client_for(settings, aiohttp_client)
    status, body = await post(client, {"sender": SENDER, "text": "lệ phí khai sinh", "message_id": "m-2"})
    assert (status, [r["text"] for r in body["replies"]]) == (200, [texts.NO_ANSWER])


async def test_a_message_the_log_cannot_keep_is_not_processed_and_gets_the_busy_notice(
    dead_rasa_settings: Settings, aiohttp_client: AiohttpClient, aiohttp_server: AiohttpServer, tmp_path: Path
) -> None:
    asked: list[str] = []
    rasa = web.Application()

    async def webhook(request: web.Request) -> web.Response:
        asked.append((await request.json())["message"])
        return web.json_response([{"text": "Trả lời"}])

    rasa.router.add_post("/webhooks/rest/webhook", webhook)
    rasa_url = str((await aiohttp_server(rasa)).make_url("")).rstrip("/")
    unmigrated = f"sqlite:///{tmp_path / 'no-tables.db'}"  # every query fails: no table
    settings = dataclasses.replace(dead_rasa_settings, rasa_url=rasa_url, database_url=unmigrated)
    client = await client_for(settings, aiohttp_client)
    status, body = await post(client, {"sender": SENDER, "text": "lệ phí khai sinh", "message_id": "m-1"})
    assert (status, [r["text"] for r in body["replies"]]) == (200, [texts.BUSY])
    assert asked == []


async def test_replies_the_log_could_not_store_are_stored_once_it_can(
    empty_database_url: str, aiohttp_server: AiohttpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rasa = web.Application()

    async def webhook(request: web.Request) -> web.Response:
        return web.json_response([{"text": "Trả lời"}])

    rasa.router.add_post("/webhooks/rest/webhook", webhook)
    rasa_url = str((await aiohttp_server(rasa)).make_url("")).rstrip("/")
    database = make_engine(empty_database_url)
    log = MessageLog(make_session_factory(database))
    store, down_for = log.outgoing, [2]

    def outgoing(*args: Any, **kwargs: Any) -> list[Logged]:  # the database went down after the question
        if down_for[0]:
            down_for[0] -= 1
            raise OperationalError("INSERT INTO conversation_messages", {}, ConnectionError("down"))
        return store(*args, **kwargs)

    monkeypatch.setattr(log, "outgoing", outgoing)
    monkeypatch.setattr(conversations, "LOG_RETRY_EVERY_S", 0.05)
    sender = f"web:{SENDER}"
    async with aiohttp.ClientSession() as http:
        talk = Conversations(RasaClient(http, rasa_url, "", 5), log, 1000, Coordination.in_memory(100, 5))
        [answer] = await talk.handle(sender, "lệ phí khai sinh", "m-1")
        assert (answer.id, answer.reply.text) == (0, "Trả lời")  # answered at once, not yet logged
        for _ in range(100):
            if len(log.history(sender)) == 2:
                break
            await asyncio.sleep(0.05)
    assert [(m.direction, m.reply.text) for m in log.history(sender)] == [
        ("in", "lệ phí khai sinh"),
        ("out", "Trả lời"),
    ]
    database.dispose()
