"""Simulated citizens for the multi-instance and fault tests, through the gateway's JSON API.

A citizen sends one message, waits for the answer, sends the next (as the
widget does, with a session id and a message id). Their conversations are
those of ``bench/loadgen.py``, strung together to the length asked.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.loadgen import DEGRADED, SCRIPTS

REQUEST_TIMEOUT_S = 120.0


def conversation(number: int, length: int) -> tuple[str, ...]:
    """The ``number``-th conversation: scripts taken in a stride so neighbours differ."""
    texts: list[str] = []
    for step in itertools.count():
        texts += SCRIPTS[(number + 3 * step) % len(SCRIPTS)]
        if len(texts) >= length:
            return tuple(texts[:length])
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Exchange:
    """One message and what came back."""

    sender: str
    number: int  # 1, 2, ... within the conversation
    text: str
    status: int  # 0: no HTTP answer at all
    replies: tuple[str, ...]
    sent_at: float
    answered_at: float

    @property
    def answered(self) -> bool:
        """The assistant's own answer (not a notice that it is busy or did not understand)."""
        return self.status == 200 and bool(self.replies) and not set(self.replies) & DEGRADED

    @property
    def clear(self) -> bool:
        """A reply a citizen can read: the answer, or a notice in Vietnamese; never silence or an error."""
        return self.status == 200 and bool(self.replies) and all(r.strip() for r in self.replies)


async def send(http: aiohttp.ClientSession, url: str, sender: str, number: int, text: str) -> Exchange:
    started = time.monotonic()
    status, replies = 0, ()
    try:
        body = {"sender": sender, "text": text, "message_id": f"m{number}"}
        async with http.post(f"{url}/api/v1/messages", json=body) as response:
            status = response.status
            payload: Any = await response.json(content_type=None)
            if isinstance(payload, dict) and isinstance(payload.get("replies"), list):
                replies = tuple(str(r.get("text", "")) for r in payload["replies"] if isinstance(r, dict))
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        pass
    return Exchange(sender, number, text, status, replies, started, time.monotonic())


def session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    )


@dataclass
class Traffic:
    """Citizens talking to ``url`` until stopped; every exchange is kept."""

    url: str
    citizens: int
    think_s: float = 0.2
    exchanges: list[Exchange] = field(default_factory=list)
    run: str = field(default_factory=lambda: secrets.token_hex(4))
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Traffic:
        self._task = asyncio.create_task(self._all())
        return self

    async def __aexit__(self, *_: object) -> None:
        self._stopping.set()
        assert self._task is not None
        await self._task

    def since(self, moment: float) -> list[Exchange]:
        return [e for e in self.exchanges if e.sent_at >= moment]

    async def wait_for(self, count: int, moment: float, timeout_s: float) -> None:
        """Until ``count`` messages sent after ``moment`` were answered by the assistant itself."""
        deadline = time.monotonic() + timeout_s
        while sum(e.answered for e in self.since(moment)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} answers in {timeout_s} s after the part came back")
            await asyncio.sleep(0.5)

    async def _all(self) -> None:
        async with session() as http:
            await asyncio.gather(*(self._citizen(http, index) for index in range(self.citizens)))

    async def _citizen(self, http: aiohttp.ClientSession, index: int) -> None:
        for number in itertools.count():
            sender = f"fault{self.run}c{index:02d}n{number:04d}"
            for step, text in enumerate(conversation(index + number, 6), start=1):
                if self._stopping.is_set():
                    return
                self.exchanges.append(await send(http, self.url, sender, step, text))
                await asyncio.sleep(self.think_s)
