"""Rasa in the production configuration: conversations in PostgreSQL, ticket locks in Redis.

A real Rasa server (the project's model, a real action server) runs with
``DATABASE_URL`` on a fresh PostgreSQL database and ``REDIS_URL`` set, as
``python -m nlu.engine serve`` would. A conversation started before a
restart of Rasa goes on after it: its events were in PostgreSQL
(``<database>_tracker``, created by Rasa). While Rasa handles a message it
takes the conversation's lock in Redis (``rasa:lock:<sender>``).
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from nlu import engine
from tests.production.conftest import libpq, with_database
from tests.stack import action_server

pytestmark = pytest.mark.timeout(900)
# The production stores, and room for a loaded machine (loading the model takes 40 s or more).
SLOW_START: dict[str, Any] = {"stores": True, "timeout": 300}


def say(rasa: engine.RasaServer, sender: str, text: str) -> list[dict[str, Any]]:
    """A message through Rasa's REST channel, as the gateway sends it."""
    request = urllib.request.Request(
        f"{rasa.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return list(json.loads(response.read()))


def user_texts(rasa: engine.RasaServer, sender: str) -> list[str]:
    """What the citizen said, as Rasa's tracker has it."""
    path = f"/conversations/{urllib.parse.quote(sender, safe=':')}/tracker"
    query = urllib.parse.urlencode({"token": rasa.token, "include_events": "ALL"})
    with urllib.request.urlopen(f"{rasa.url}{path}?{query}", timeout=30) as response:
        tracker = json.loads(response.read())
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


@contextmanager
def redis_commands(url: str) -> Iterator[list[str]]:
    """Every command Redis executes during the block (``MONITOR``), as text."""
    seen: list[str] = []
    stop = threading.Event()
    client = redis.Redis.from_url(url)

    def watch() -> None:
        with client.monitor() as monitor:
            ready.set()
            while not stop.is_set():
                seen.append(str(monitor.next_command().get("command", "")))

    ready = threading.Event()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert ready.wait(10)
    try:
        yield seen
    finally:
        stop.set()
        client.ping()  # one more command wakes the watcher up
        watcher.join(10)
        client.close()


def test_a_conversation_survives_a_rasa_restart_with_the_production_stores(
    trained_model: Path, production_database_url: str, redis_url: str
) -> None:
    env = {"DATABASE_URL": production_database_url, "REDIS_URL": redis_url}
    logs = engine.VAR / "test-logs" / "production"
    logs.mkdir(parents=True, exist_ok=True)
    sender = f"web:prod-{secrets.token_hex(8)}"
    actions_port = engine.free_port()
    actions_env = {**env, "ACTIONS_PORT": str(actions_port)}
    with action_server(actions_port, actions_env, logs / "actions.log") as actions_url:
        rasa_env = {**env, "ACTION_ENDPOINT_URL": f"{actions_url}/webhook"}
        with engine.rasa_server(trained_model, env=rasa_env, log=logs / "rasa-1.log", **SLOW_START) as rasa:
            with redis_commands(redis_url) as commands:
                assert say(rasa, sender, "xin chào")
            assert say(rasa, sender, "đăng ký khai sinh cần giấy tờ gì")
            before = user_texts(rasa, sender)
        assert before == ["xin chào", "đăng ký khai sinh cần giấy tờ gì"]
        assert any(f"rasa:lock:{sender}" in command for command in commands), "no lock taken in Redis"

        with engine.rasa_server(trained_model, env=rasa_env, log=logs / "rasa-2.log", **SLOW_START) as rasa:
            assert user_texts(rasa, sender) == before  # the restarted server knows the conversation
            assert say(rasa, sender, "cảm ơn")
            after = user_texts(rasa, sender)
        assert after == [*before, "cảm ơn"]

    tracker_url = with_database(
        production_database_url, production_database_url.rsplit("/", 1)[1] + "_tracker"
    )
    with psycopg.connect(libpq(tracker_url)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (sender,)
        ).fetchone()
    assert row is not None and row[0] == 3
