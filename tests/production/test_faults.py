"""Faults under load: a part of the two-instance cluster fails while citizens keep talking.

Each test breaks one part (an action server killed, PostgreSQL restarted,
Redis stopped, a Rasa server stopped, the Telegram Bot API answering 5xx),
keeps it down for a while, then brings it back, with simulated citizens
talking through the round-robin proxy all along. Each time:

* every message gets a clear reply: the assistant's answer, or a notice in
  Vietnamese that the service is busy; never silence, an error page or a 5xx;
* the fault was felt (some messages got the notice), else the test proves nothing;
* the system recovers by itself: once the part is back, every message is
  answered by the assistant again, with no restart of anything else;
* nothing accepted is lost: every message the assistant answered is in the
  conversation log with that answer, and every dossier event the gateway
  accepted (2xx) is stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import secrets
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import aiohttp
import psycopg
import pytest
from pytest_aiohttp import AiohttpServer
from sqlalchemy import func, select

from bot import notifier
from bot.app import create_app
from bot.dossier_events import PATH as EVENTS_PATH
from bot.dossier_events import sign
from bot.telegram import texts as telegram_texts
from knowledge.db import make_engine, make_session_factory
from knowledge.demo import plan
from knowledge.models import (
    ConversationMessage,
    Direction,
    Dossier,
    DossierEvent,
    DossierEventReceipt,
    Subscription,
)
from knowledge.settings import Settings
from tests.production.citizens import Traffic, conversation
from tests.production.cluster import Cluster, Instance
from tests.production.conftest import ON_CI, libpq, with_database
from tests.production.proxy import RoundRobinProxy
from tests.production.rasa_calls import redis_commands, say, user_texts
from tests.production.redis_server import RedisServer
from tests.telegram_api import TelegramAPIStandIn, visible_text

pytestmark = pytest.mark.timeout(900)

CITIZENS = 6
DOWN_S = 8.0
# Once the part is back, messages already under way may still get the notice.
SETTLE_S = 6.0
RECOVERY_TIMEOUT_S = 180.0
EVENTS_SECRET = "kiem-thu-su-co-bi-mat-0123456789"
# A demo dossier the simulated conversations never look up (they use numbers 0 and 3).
EVENT_DOSSIER = 5


async def _outage(
    url: str, down: Callable[[], None], up: Callable[[], None], down_s: float = DOWN_S
) -> tuple[Traffic, float, float]:
    """Citizens talk to ``url``; ``down`` breaks a part, ``up`` brings it back (blocking calls)."""
    async with Traffic(url, CITIZENS) as traffic:
        await traffic.wait_for(CITIZENS, time.monotonic(), RECOVERY_TIMEOUT_S)
        broke = time.monotonic()
        await asyncio.to_thread(down)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(up)
        mended = time.monotonic()
        await traffic.wait_for(3 * CITIZENS, mended + SETTLE_S, RECOVERY_TIMEOUT_S)
    return traffic, broke, mended


def _logged(database_url: str, senders: set[str]) -> dict[tuple[str, str | None], tuple[str, ...]]:
    """(sender, client message id) -> the texts of the replies logged to it."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            rows = list(
                session.scalars(
                    select(ConversationMessage)
                    .where(ConversationMessage.sender_id.in_(senders))
                    .order_by(ConversationMessage.id)
                )
            )
    finally:
        engine.dispose()
    replies: dict[int | None, list[str]] = defaultdict(list)
    for row in rows:
        if row.direction == Direction.OUT.value:
            replies[row.reply_to_id].append(row.text)
    return {
        (row.sender_id, row.client_message_id): tuple(replies[row.id])
        for row in rows
        if row.direction == Direction.IN.value
    }


def _assert_weathered(traffic: Traffic, broke: float, mended: float, database_url: str) -> None:
    exchanges = traffic.exchanges
    unclear = [e for e in exchanges if not e.clear]
    assert unclear == [], f"{len(unclear)} messages got no clear reply, e.g. {unclear[:3]}"
    during = [e for e in exchanges if e.answered_at >= broke and e.sent_at <= mended]
    assert any(not e.answered for e in during), "the fault was not felt: the test would prove nothing"
    after = [e for e in exchanges if e.sent_at >= mended + SETTLE_S]
    late = [e for e in after if not e.answered]
    assert after and late == [], f"not recovered: {len(late)} of {len(after)} unanswered, e.g. {late[:3]}"
    answered = [e for e in exchanges if e.answered]
    logged = _logged(database_url, {f"web:{e.sender}" for e in answered})
    lost = [e for e in answered if logged.get((f"web:{e.sender}", f"m{e.number}")) != e.replies]
    assert lost == [], f"{len(lost)} answered messages are not in the log with their answer: {lost[:3]}"


async def test_an_action_server_killed_then_started_again(
    cluster: Cluster, proxy: tuple[RoundRobinProxy, str], cluster_database_url: str
) -> None:
    actions = cluster.instances[1].actions
    traffic, broke, mended = await _outage(proxy[1], actions.kill, actions.restart)
    _assert_weathered(traffic, broke, mended, cluster_database_url)


async def test_a_rasa_server_stopped_then_started_again_goes_on_with_its_conversations(
    cluster: Cluster,
    proxy: tuple[RoundRobinProxy, str],
    cluster_database_url: str,
    cluster_redis: RedisServer,
) -> None:
    """Also: a conversation is in PostgreSQL, so it goes on after the restart, and Rasa takes the
    conversation's lock in Redis (``rasa:lock:<sender>``) while it handles a message."""
    instance = cluster.instances[0]
    sender = f"web:restart-{secrets.token_hex(8)}"
    with redis_commands(cluster_redis.url) as commands:
        assert say(instance.rasa_url, sender, "xin chào")
    assert say(instance.rasa_url, sender, "đăng ký khai sinh cần giấy tờ gì")
    before = user_texts(instance.rasa_url, instance.rasa_token, sender)
    assert before == ["xin chào", "đăng ký khai sinh cần giấy tờ gì"]
    assert any(f"rasa:lock:{sender}" in command for command in commands), "no lock taken in Redis"

    # Loading the model again takes a while: the part is down for that long too.
    traffic, broke, mended = await _outage(proxy[1], instance.rasa.stop, instance.rasa.restart, down_s=2.0)
    _assert_weathered(traffic, broke, mended, cluster_database_url)

    assert user_texts(instance.rasa_url, instance.rasa_token, sender) == before
    assert say(instance.rasa_url, sender, "cảm ơn")
    assert user_texts(instance.rasa_url, instance.rasa_token, sender) == [*before, "cảm ơn"]
    tracker_db = cluster_database_url.rsplit("/", 1)[1] + "_tracker"
    with psycopg.connect(libpq(with_database(cluster_database_url, tracker_db))) as connection:
        row = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (sender,)
        ).fetchone()
    assert row is not None and row[0] == 3


async def test_redis_stopped_then_started_again(
    cluster: Cluster,
    proxy: tuple[RoundRobinProxy, str],
    cluster_database_url: str,
    cluster_redis: RedisServer,
) -> None:
    # Rasa's lock store is in Redis (the gateways fall back to their own process).
    traffic, broke, mended = await _outage(proxy[1], cluster_redis.stop, cluster_redis.start)
    _assert_weathered(traffic, broke, mended, cluster_database_url)


def _postgres(action: str) -> None:
    """Stop or start the machine's PostgreSQL cluster (the one the tests' URL points at)."""
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        message = "pg_ctlcluster and /etc/postgresql are needed to restart PostgreSQL"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", action]
    subprocess.run(command, check=True, timeout=120, capture_output=True)


@pytest.fixture
def postgres_restored() -> Iterator[None]:
    """PostgreSQL runs again after the test, whatever happened in it."""
    yield
    result = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False)
    if result.returncode != 0:
        _postgres("start")


async def _push_events(http: aiohttp.ClientSession, url: str, code: str, until: asyncio.Event) -> list[str]:
    """Send a signed status event every half second, each until accepted, as the one-stop
    system must; the ids of the events the gateway accepted."""
    accepted: list[str] = []
    number = 0
    while not until.is_set():
        number += 1
        event_id = f"fault-{os.getpid()}-{time.time_ns()}"
        status = "in_progress" if number % 2 else "needs_supplement"
        body = {
            "event_id": event_id,
            "receipt_code": code,
            "status": status,
            "occurred_at": datetime.now(UTC).isoformat(),
            "note": f"Sự kiện kiểm thử số {number}.",
        }
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        while True:
            stamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Timestamp": str(stamp),
                "X-Signature": sign(EVENTS_SECRET, stamp, data),
            }
            try:
                async with http.post(url + EVENTS_PATH, data=data, headers=headers) as response:
                    if response.status < 300:
                        accepted.append(event_id)
                        break
                    assert response.status >= 500, (response.status, await response.text())
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)  # refused or not answered: not accepted, sent again
        await asyncio.sleep(0.5)
    return accepted


def _stored_receipts(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return set(session.scalars(select(DossierEventReceipt.event_id)))
    finally:
        engine.dispose()


def _in_process_gateway(instance: Instance, database_url: str, redis: RedisServer) -> Settings:
    """Settings of one more gateway, in this process, in front of ``instance``'s Rasa."""
    return dataclasses.replace(
        Settings(),
        database_url=database_url,
        redis_url=redis.url,
        rasa_url=instance.rasa_url,
        rasa_token=instance.rasa_token,
        actions_port=instance.actions_port,
        dossier_events_secret=EVENTS_SECRET,
    )


@pytest.fixture
async def events_gateway(
    cluster: Cluster, cluster_database_url: str, cluster_redis: RedisServer, aiohttp_server: AiohttpServer
) -> str:
    """A third gateway, in this process, that also takes the one-stop system's signed events."""
    settings = _in_process_gateway(cluster.instances[0], cluster_database_url, cluster_redis)
    server = await aiohttp_server(create_app(settings, notify=False))
    return str(server.make_url("")).rstrip("/")


async def test_postgresql_restarted(
    cluster: Cluster,
    proxy: tuple[RoundRobinProxy, str],
    cluster_database_url: str,
    events_gateway: str,
    postgres_restored: None,
) -> None:
    code = plan()[EVENT_DOSSIER].receipt_code
    stop = asyncio.Event()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        events = asyncio.create_task(_push_events(http, events_gateway, code, stop))
        traffic, broke, mended = await _outage(
            proxy[1], lambda: _postgres("stop"), lambda: _postgres("start"), down_s=DOWN_S
        )
        stop.set()
        accepted = await events
    _assert_weathered(traffic, broke, mended, cluster_database_url)
    assert len(accepted) >= 10
    missing = set(accepted) - _stored_receipts(cluster_database_url)
    assert missing == set(), f"{len(missing)} accepted dossier events were lost"


async def test_the_bot_api_answering_5xx_for_a_while(
    cluster: Cluster, cluster_database_url: str, cluster_redis: RedisServer, aiohttp_server: AiohttpServer
) -> None:
    """Telegram replies and a dossier notice wait out the outage, arrive in order, once each."""
    instance = cluster.instances[1]
    chats = list(range(7100, 7100 + CITIZENS))
    subscriber = 7199
    dossier = plan()[EVENT_DOSSIER]
    engine = make_engine(cluster_database_url)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        dossier_id = session.scalars(
            select(Dossier.id).where(Dossier.receipt_code == dossier.receipt_code)
        ).one()
        for old in session.scalars(select(Subscription).where(Subscription.dossier_id == dossier_id)):
            old.is_active = False  # earlier tests' subscribers are not this test's concern
        told = session.scalar(select(func.max(DossierEvent.id)).where(DossierEvent.dossier_id == dossier_id))
        session.add(  # subscribed now: told of what happens from now on (as the subscribe action does)
            Subscription(
                dossier_id=dossier_id,
                sender_id=f"tg:{subscriber}",
                channel="telegram",
                notified_event_id=told,
            )
        )
    async with TelegramAPIStandIn() as api:
        settings = dataclasses.replace(
            _in_process_gateway(instance, cluster_database_url, cluster_redis),
            rasa_timeout_s=60.0,
            messages_per_minute=100,
            telegram_token=api.token,
            telegram_api_url=api.base_url,
        )
        server = await aiohttp_server(create_app(settings))
        gateway = str(server.make_url("")).rstrip("/")
        sent: dict[int, list[str]] = {chat: [] for chat in chats}

        async def citizen(chat: int, texts: tuple[str, ...]) -> None:
            for text in texts:  # one message every 1.5 s, answered or not (citizens do not wait)
                api.queue_text(chat, text)
                sent[chat].append(text)
                await asyncio.sleep(1.5)

        scripts = [conversation(chat, 14) for chat in chats]
        talking = asyncio.gather(
            *(citizen(chat, script) for chat, script in zip(chats, scripts, strict=True))
        )
        await asyncio.sleep(6)
        api.break_method("sendMessage", 502)
        broke = time.monotonic()
        async with aiohttp.ClientSession() as http:
            accepted = await _push_events(http, gateway, dossier.receipt_code, _set_after(2.0))
        await asyncio.sleep(DOWN_S)
        api.mend_method("sendMessage")
        await talking
        deadline = time.monotonic() + RECOVERY_TIMEOUT_S
        while time.monotonic() < deadline and not (
            _all_replied(api, cluster_database_url, sent) and _delivered(api, subscriber)
        ):
            await asyncio.sleep(1)
        await asyncio.sleep(notifier.INTERVAL_S + 1)  # time for a second notice, if one were coming
        await server.close()  # before the stand-in goes
        failed_during = [c for c in api.calls_to("sendMessage") if c.status == 502 and c.at >= broke]
        assert failed_during, "the outage was not felt"
        for chat in chats:
            delivered = _delivered(api, chat)
            # A reply of buttons alone goes to Telegram with a "choose" line as its text.
            logged = [
                text or telegram_texts.CHOOSE for text in _bot_texts(cluster_database_url, f"tg:{chat}")
            ]
            # Every reply of the log reached the chat, in order, none twice.
            assert delivered == logged, chat
            assert _user_texts(cluster_database_url, f"tg:{chat}") == sent[chat]
        notices = _delivered(api, subscriber)
        assert accepted and len(notices) == 1 and dossier.receipt_code in notices[0], notices
    with sessions() as session, session.begin():  # the other gateways have no Telegram to tell it on
        for made in session.scalars(select(Subscription).where(Subscription.dossier_id == dossier_id)):
            made.is_active = False
    engine.dispose()


def _delivered(api: TelegramAPIStandIn, chat: int) -> list[str]:
    return [visible_text(c.params["text"]) for c in api.sent_messages(chat) if c.ok]


def _set_after(seconds: float) -> asyncio.Event:
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, event.set)
    return event


def _texts(database_url: str, sender: str, direction: Direction) -> list[str]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(
                session.scalars(
                    select(ConversationMessage.text)
                    .where(
                        ConversationMessage.sender_id == sender,
                        ConversationMessage.direction == direction.value,
                    )
                    .order_by(ConversationMessage.id)
                )
            )
    finally:
        engine.dispose()


def _bot_texts(database_url: str, sender: str) -> list[str]:
    return _texts(database_url, sender, Direction.OUT)


def _user_texts(database_url: str, sender: str) -> list[str]:
    return _texts(database_url, sender, Direction.IN)


def _all_replied(api: TelegramAPIStandIn, database_url: str, sent: dict[int, list[str]]) -> bool:
    """Every message sent was taken, and every reply logged was delivered."""
    return all(
        len(_user_texts(database_url, f"tg:{chat}")) == len(texts)
        and len([c for c in api.sent_messages(chat) if c.ok]) >= len(_bot_texts(database_url, f"tg:{chat}"))
        for chat, texts in sent.items()
    )
