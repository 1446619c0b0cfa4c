"""Two instances behind a round-robin proxy answer as one instance does.

Two action servers, two Rasa servers and two gateways (tests/production/cluster.py)
share the PostgreSQL knowledge base, Rasa's tracker store on PostgreSQL and
Redis. 200 simulated conversations of 10 messages go through the proxy, each
message of a conversation on the other gateway than the one before, some sent
twice at once as a double tap or a client retry would. The same conversations
also go to one instance alone. Every reply must arrive, in order, none twice,
and Rasa's trackers must be the same either way.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from tests.production.citizens import Exchange, conversation, send, session
from tests.production.cluster import Cluster
from tests.production.proxy import RoundRobinProxy

pytestmark = pytest.mark.timeout(1200)

CONVERSATIONS = 200
MESSAGES = 10
# Citizens talking at once through the proxy, and to the single instance.
THROUGH_PROXY_AT_ONCE = 16
SINGLE_AT_ONCE = 8
DOUBLED_EVERY = 7  # every 7th message is sent twice at once


async def _talk(
    http: aiohttp.ClientSession, url: str, scripts: dict[str, tuple[str, ...]], at_once: int, doubled: bool
) -> dict[str, list[list[Exchange]]]:
    """Play every conversation (``at_once`` at a time); per sender, the exchanges of each message."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for sender in scripts:
        queue.put_nowait(sender)
    played: dict[str, list[list[Exchange]]] = {}

    async def citizen() -> None:
        while not queue.empty():
            sender = queue.get_nowait()
            played[sender] = []
            for number, text in enumerate(scripts[sender], start=1):
                copies = 2 if doubled and number % DOUBLED_EVERY == 0 else 1
                sent = await asyncio.gather(*(send(http, url, sender, number, text) for _ in range(copies)))
                played[sender].append(list(sent))

    await asyncio.gather(*(citizen() for _ in range(at_once)))
    return played


def _comparable(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """A tracker's events without what differs by nature (times, ids, sender, confidences)."""
    kept: list[tuple[Any, ...]] = []
    for event in events:
        kind = event["event"]
        if kind == "user":
            parse = event.get("parse_data") or {}
            entities = sorted((e["entity"], str(e.get("value"))) for e in parse.get("entities", []))
            kept.append(("user", event.get("text"), (parse.get("intent") or {}).get("name"), entities))
        elif kind == "bot":
            template = (event.get("metadata") or {}).get("utter_action")
            buttons = [b.get("payload") for b in (event.get("data") or {}).get("buttons") or []]
            kept.append(("bot", template or event.get("text"), buttons))
        elif kind == "action":
            kept.append(("action", event.get("name")))
        elif kind == "slot":
            kept.append(("slot", event.get("name"), json.dumps(event.get("value"), ensure_ascii=False)))
        else:
            kept.append((kind, event.get("name")))
    return kept


async def _tracker(http: aiohttp.ClientSession, cluster: Cluster, sender: str) -> list[tuple[Any, ...]]:
    instance = cluster.instances[1]  # the trackers are in PostgreSQL: any Rasa server reads them
    url = f"{instance.rasa_url}/conversations/{quote('web:' + sender, safe='')}/tracker"
    async with http.get(url, params={"token": instance.rasa_token}) as response:
        assert response.status == 200
        return _comparable((await response.json())["events"])


async def _history(http: aiohttp.ClientSession, url: str, sender: str) -> list[tuple[str, str]]:
    async with http.get(f"{url}/api/v1/history/{sender}") as response:
        assert response.status == 200
        return [(m["from"], m["text"]) for m in (await response.json())["messages"]]


async def test_two_instances_behind_a_round_robin_proxy_answer_as_one(
    cluster: Cluster, proxy: tuple[RoundRobinProxy, str]
) -> None:
    router, proxy_url = proxy
    run = secrets.token_hex(3)
    scripts = [conversation(number, MESSAGES) for number in range(CONVERSATIONS)]
    shared = {f"cluster-{run}-two-{n:03d}": script for n, script in enumerate(scripts)}
    alone = {f"cluster-{run}-one-{n:03d}": script for n, script in enumerate(scripts)}
    async with session() as http:
        through_proxy, single = await asyncio.gather(
            _talk(http, proxy_url, shared, THROUGH_PROXY_AT_ONCE, doubled=True),
            _talk(http, cluster.instances[0].gateway_url, alone, SINGLE_AT_ONCE, doubled=False),
        )

        sent = sum(len(copies) for messages in through_proxy.values() for copies in messages)
        assert sent == CONVERSATIONS * MESSAGES + CONVERSATIONS * (MESSAGES // DOUBLED_EVERY)
        for sender, messages in through_proxy.items():
            # Consecutive messages went to different gateways (a doubled one to both).
            routes = router.routes[sender]
            assert all(a != b for a, b in itertools.pairwise(routes)), (sender, routes)
            for copies in messages:
                # Every reply arrives, and is the assistant's answer; both copies of a doubled
                # message get the same one.
                assert all(e.answered for e in copies), copies
                assert len({e.replies for e in copies}) == 1, copies
        assert router.refused == []

        for (one_sender, alone_messages), (two_sender, two_messages) in zip(
            single.items(), through_proxy.items(), strict=True
        ):
            assert all(e.answered for [e] in alone_messages), alone_messages
            # In order and none twice: the log holds each message once, followed by its replies.
            expected = [
                item
                for [first, *_] in two_messages
                for item in [("user", first.text), *(("bot", reply) for reply in first.replies)]
            ]
            assert await _history(http, proxy_url, two_sender) == expected
            # Rasa saw the same conversation as the single instance did, each message once.
            assert await _tracker(http, cluster, two_sender) == await _tracker(http, cluster, one_sender)
