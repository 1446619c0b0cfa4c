"""Talking to a Rasa server directly, and watching what it asks Redis."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis


def say(rasa_url: str, sender: str, text: str) -> list[dict[str, Any]]:
    """A message through Rasa's REST channel, as the gateway sends it."""
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return list(json.loads(response.read()))


def user_texts(rasa_url: str, token: str, sender: str) -> list[str]:
    """What the citizen said, as Rasa's tracker has it."""
    path = f"/conversations/{urllib.parse.quote(sender, safe=':')}/tracker"
    query = urllib.parse.urlencode({"token": token, "include_events": "ALL"})
    with urllib.request.urlopen(f"{rasa_url}{path}?{query}", timeout=30) as response:
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
