"""Redis unreachable: the gateway neither crashes nor hangs; it falls back to its own process, and back.

The fallback is what one gateway does in development: its own rate limit,
marks and sender locks. The outage is logged once, and its end once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import time
from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient, AiohttpServer

from bot import texts
from bot.app import create_app
from bot.coordination import Coordination
from bot.shared_redis import CALL_TIMEOUT_S, SharedRedis
from knowledge.settings import Settings
from nlu.engine import free_port
from tests.production.redis_server import RedisServer
from tests.production.stub_rasa import StubRasa

pytestmark = pytest.mark.timeout(60)

SENDER = "Zk3r9VvQm2LwT8yHc1Ab-down"


def closed_port_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def outage_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()]


async def test_every_part_falls_back_to_this_process_at_once_and_the_outage_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    shared = SharedRedis.from_url(closed_port_url())
    coordination = Coordination.shared(shared, 3, wait_s=5)
    started = time.monotonic()
    assert [await coordination.limiter.allow("web:a") for _ in range(4)] == [True, True, True, False]
    assert await coordination.seen.first("tg-update:1:1", 60)
    assert not await coordination.seen.first("tg-update:1:1", 60)
    inside: list[int] = []

    async def message(n: int) -> None:
        async with coordination.locks.hold("web:a"):
            inside.append(n)
            assert len(inside) == 1
            await asyncio.sleep(0.02)
            inside.remove(n)

    await asyncio.gather(*(message(n) for n in range(5)))
    assert time.monotonic() - started < 2
    assert not await shared.ping()
    assert shared.is_down
    assert len(outage_warnings(caplog)) == 1
    await shared.close()


async def test_a_redis_that_does_not_answer_costs_one_short_wait_not_a_hang() -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        shared = SharedRedis.from_url(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        coordination = Coordination.shared(shared, 5, wait_s=5)
        started = time.monotonic()
        assert await coordination.limiter.allow("tg:7")
        assert time.monotonic() - started < CALL_TIMEOUT_S + 0.5
        started = time.monotonic()
        for _ in range(10):  # Redis is not asked again at once: no wait at all
            await coordination.seen.first("m", 60)
            async with coordination.locks.hold("tg:7"):
                pass
        assert time.monotonic() - started < 0.2
        await shared.close()


async def test_a_gateway_whose_redis_is_down_still_answers_citizens(
    gateway_settings: Settings, aiohttp_client: AiohttpClient, aiohttp_server: AiohttpServer
) -> None:
    stub = StubRasa(delay_s=0.01)
    rasa = await aiohttp_server(stub.make_app())
    settings = dataclasses.replace(
        gateway_settings, redis_url=closed_port_url(), rasa_url=str(rasa.make_url("")).rstrip("/")
    )
    started = time.monotonic()
    client: TestClient = await aiohttp_client(create_app(settings, notify=False))

    async def post(text: str, message_id: str) -> tuple[int, dict]:
        response = await client.post(
            "/api/v1/messages", json={"sender": SENDER, "text": text, "message_id": message_id}
        )
        return response.status, await response.json()

    status, body = await post("lệ phí khai sinh", "m-1")
    assert (status, [r["text"] for r in body["replies"]]) == (200, ["Trả lời: lệ phí khai sinh"])
    assert (await post("lệ phí khai sinh", "m-1"))[1] == body  # sent again: the same answer
    await post("câu hai", "m-2")
    await post("câu ba", "m-3")
    status, refused = await post("câu bốn", "m-4")  # the limit holds in this process
    assert (status, refused["message"]) == (429, texts.TOO_FAST)
    assert stub.texts(f"web:{SENDER}") == ["lệ phí khai sinh", "câu hai", "câu ba"]
    ready = await client.get("/readyz")
    assert ready.status == 503 and (await ready.json())["checks"]["redis"] is False
    assert (await client.get("/healthz")).status == 200
    assert time.monotonic() - started < 10


@pytest.fixture
def own_redis_server() -> Iterator[RedisServer]:
    """A redis-server of this test on a free port; the test stops and restarts it."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


async def test_after_an_outage_the_gateways_share_redis_again(
    own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    shared = SharedRedis.from_url(own_redis_server.url, retry_after_s=0.2)
    coordination = Coordination.shared(shared, 100, wait_s=5)
    assert await coordination.seen.first("m-1", 60)
    assert await shared.client.exists(shared.key("seen", "m-1")) == 1

    own_redis_server.stop()
    assert await coordination.seen.first("m-2", 60)  # marked in this process
    assert not await coordination.seen.first("m-2", 60)
    async with coordination.locks.hold("tg:1"):
        pass
    assert len(outage_warnings(caplog)) == 1

    own_redis_server.start()
    await asyncio.sleep(0.3)
    assert await coordination.seen.first("m-3", 60)
    assert await shared.client.exists(shared.key("seen", "m-3")) == 1
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    assert len(outage_warnings(caplog)) == 1
    await shared.close()
