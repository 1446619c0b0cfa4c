"""Two gateways sharing Redis and PostgreSQL act as one: order, limits, messages and updates sent twice."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator

import aiohttp
import pytest
import redis
from aiohttp import web
from pytest_aiohttp import AiohttpClient, AiohttpServer

from bot.app import create_app
from bot.conversations import Conversations, TooFastError
from bot.coordination import Coordination
from bot.dedup import RedisSeenMarks
from bot.message_log import MessageLog
from bot.rasa_client import RasaClient
from bot.shared_redis import SharedRedis
from bot.telegram import WEBHOOK_PATH, setup_telegram
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings
from tests.production.stub_rasa import StubRasa
from tests.telegram.scripted import ScriptedAssistant, settings_for
from tests.telegram_api import TelegramAPIStandIn

pytestmark = pytest.mark.timeout(60)

MESSAGES_PER_MINUTE = 4


@pytest.fixture
async def rasa(aiohttp_server: AiohttpServer) -> AsyncIterator[tuple[StubRasa, str]]:
    stub = StubRasa(delay_s=0.1)
    server = await aiohttp_server(stub.make_app())
    yield stub, str(server.make_url("")).rstrip("/")


@pytest.fixture
async def gateways(
    rasa: tuple[StubRasa, str], production_database_url: str, redis_url: str, redis_prefix: str
) -> AsyncIterator[list[Conversations]]:
    """Two gateways' conversations, each with its own Redis pool and database engine."""
    _, rasa_url = rasa
    engines, redis_clients, made = [], [], []
    async with aiohttp.ClientSession() as http:
        for _ in range(2):
            engine = make_engine(production_database_url)
            redis = SharedRedis.from_url(redis_url, redis_prefix)
            coordination = Coordination.shared(redis, MESSAGES_PER_MINUTE, wait_s=10)
            client = RasaClient(http, rasa_url, "", 5)
            made.append(Conversations(client, MessageLog(make_session_factory(engine)), 1000, coordination))
            engines.append(engine)
            redis_clients.append(redis)
        yield made
    for redis in redis_clients:
        await redis.close()
    for engine in engines:
        engine.dispose()


@pytest.fixture
async def api() -> AsyncIterator[TelegramAPIStandIn]:
    async with TelegramAPIStandIn() as stand_in:
        yield stand_in


def new_sender() -> str:
    return f"web:{secrets.token_hex(10)}"


async def test_one_senders_messages_are_answered_one_at_a_time_in_order_across_gateways(
    rasa: tuple[StubRasa, str], gateways: list[Conversations]
) -> None:
    stub, _ = rasa
    for gateway in gateways:  # connections opened: arrival times are then the only difference
        await gateway.handle(new_sender(), "xin chào")
    sender = new_sender()

    async def send(n: int) -> list[str]:
        await asyncio.sleep(n * 0.05)  # a citizen typing fast; the load balancer alternates
        return [m.reply.text for m in await gateways[n % 2].handle(sender, f"câu {n}")]

    answers = await asyncio.gather(*(send(n) for n in range(MESSAGES_PER_MINUTE)))
    assert answers == [[f"Trả lời: câu {n}"] for n in range(MESSAGES_PER_MINUTE)]
    assert stub.overlaps == 0
    assert stub.texts(sender) == [f"câu {n}" for n in range(MESSAGES_PER_MINUTE)]


async def test_a_message_sent_again_to_the_other_gateway_is_processed_once(
    rasa: tuple[StubRasa, str], gateways: list[Conversations]
) -> None:
    stub, _ = rasa
    sender = new_sender()
    first, again = await asyncio.gather(
        gateways[0].handle(sender, "lệ phí khai sinh", "m-1"),
        gateways[1].handle(sender, "lệ phí khai sinh", "m-1"),
    )
    assert stub.texts(sender) == ["lệ phí khai sinh"]
    assert [(m.id, m.reply.text) for m in first] == [(m.id, m.reply.text) for m in again]
    assert first[0].id > 0 and first[0].reply.text == "Trả lời: lệ phí khai sinh"


async def test_the_rate_limit_counts_a_senders_messages_on_every_gateway_once(
    rasa: tuple[StubRasa, str], gateways: list[Conversations]
) -> None:
    stub, _ = rasa
    sender = new_sender()
    for n in range(MESSAGES_PER_MINUTE):
        await gateways[n % 2].handle(sender, f"câu {n}", f"id-{n}")
    with pytest.raises(TooFastError):
        await gateways[0].handle(sender, "một câu nữa", "id-new")
    # A message sent again is not a new one: answered from the log, not refused.
    [again] = await gateways[1].handle(sender, "câu 0", "id-0")
    assert again.reply.text == "Trả lời: câu 0"
    assert len(stub.texts(sender)) == MESSAGES_PER_MINUTE
    # Another citizen is not slowed down by this one.
    assert await gateways[1].handle(new_sender(), "xin chào")


async def test_the_gateway_app_with_redis_url_counts_and_marks_in_redis(
    gateway_settings: Settings,
    aiohttp_client: AiohttpClient,
    aiohttp_server: AiohttpServer,
    redis_url: str,
) -> None:
    stub = StubRasa(delay_s=0.01)
    rasa = await aiohttp_server(stub.make_app())
    settings = dataclasses.replace(
        gateway_settings, redis_url=redis_url, rasa_url=str(rasa.make_url("")).rstrip("/")
    )
    client = await aiohttp_client(create_app(settings, notify=False))
    session = secrets.token_hex(12)
    keys = redis.Redis.from_url(redis_url)
    try:
        response = await client.post(
            "/api/v1/messages", json={"sender": session, "text": "xin chào", "message_id": "m-1"}
        )
        assert [r["text"] for r in (await response.json())["replies"]] == ["Trả lời: xin chào"]
        assert keys.exists(f"tthc:rate:web:{session}", f"tthc:seen:msg:web:{session}:m-1") == 2
        assert not keys.exists(f"tthc:lock:web:{session}")  # given back
        ready = await (await client.get("/readyz")).json()
        assert ready["checks"]["redis"] is True
    finally:
        for key in keys.scan_iter(match=f"tthc:*{session}*"):
            keys.delete(key)
        keys.close()


async def test_a_telegram_update_delivered_to_two_gateways_is_answered_once(
    api: TelegramAPIStandIn, aiohttp_client: AiohttpClient, redis_url: str, redis_prefix: str
) -> None:
    assistant = ScriptedAssistant()
    secret = "webhook-secret-for-tests"
    clients, pools = [], []
    for _ in range(2):
        app = web.Application()
        redis = SharedRedis.from_url(redis_url, redis_prefix)
        pools.append(redis)
        settings = settings_for(api, public_url="https://tthc.example.vn", telegram_webhook_secret=secret)
        assert setup_telegram(app, settings, assistant, RedisSeenMarks(redis)) is not None
        clients.append(await aiohttp_client(app))
    update = api.message_update(3003, "đăng ký kết hôn ở đâu")
    header = {"X-Telegram-Bot-Api-Secret-Token": secret}
    statuses = await asyncio.gather(*(c.post(WEBHOOK_PATH, json=update, headers=header) for c in clients))
    assert [response.status for response in statuses] == [200, 200]
    await api.wait_for_messages(3003)
    await asyncio.sleep(0.3)  # time for a second answer, if one were coming
    assert assistant.texts() == ["đăng ký kết hôn ở đâu"]
    assert len(api.calls_to("sendMessage")) == 1
    for redis in pools:
        await redis.close()
