"""Marks that something was already received: a Telegram update, a client's message id.

``first(key, ttl_s)`` is True for the first caller only, until the mark
expires. :class:`SeenMarks` keeps the marks in this process;
:class:`RedisSeenMarks` keeps them in Redis (``SET NX EX``), so that an
update Telegram delivers twice, or a message a client sends again, is taken
once even when the copies reach different gateways. While Redis is
unreachable the marks are kept in this process.
"""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.shared_redis import RedisDownError, SharedRedis

# Marks kept in memory at most (the oldest go first).
MEMORY_CAPACITY = 100_000


class Deduplicator(Protocol):
    """Marks of what was already received."""

    async def first(self, key: str, ttl_s: float) -> bool:
        """Mark ``key`` for ``ttl_s`` seconds; False when it was already marked."""
        ...

    async def forget(self, key: str) -> None:
        """Remove the mark of ``key`` (it may be received again)."""
        ...


class SeenMarks:
    """Marks in this process, bounded, each expiring after its time to live."""

    def __init__(self, capacity: int = MEMORY_CAPACITY, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = capacity
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    async def first(self, key: str, ttl_s: float) -> bool:
        return self.first_now(key, ttl_s)

    async def forget(self, key: str) -> None:
        self._expiry.pop(key, None)

    def first_now(self, key: str, ttl_s: float) -> bool:
        """:meth:`first` without awaiting."""
        now = self._clock()
        while self._expiry and next(iter(self._expiry.values())) <= now:
            self._expiry.popitem(last=False)  # marks expire in about insertion order
        expiry = self._expiry.get(key)
        if expiry is not None and expiry > now:
            return False
        self._expiry[key] = now + ttl_s
        self._expiry.move_to_end(key)
        while len(self._expiry) > self._capacity:
            self._expiry.popitem(last=False)
        return True


class RedisSeenMarks:
    """Marks shared by every gateway: ``SET <prefix>seen:<key> 1 NX EX <ttl>``."""

    def __init__(self, redis: SharedRedis) -> None:
        self._redis = redis
        self._fallback = SeenMarks()

    async def first(self, key: str, ttl_s: float) -> bool:
        name = self._redis.key("seen", key)
        milliseconds = max(1, round(ttl_s * 1000))
        try:
            created = await self._redis.run(lambda client: client.set(name, b"1", nx=True, px=milliseconds))
        except RedisDownError:
            return self._fallback.first_now(key, ttl_s)
        return bool(created)

    async def forget(self, key: str) -> None:
        await self._fallback.forget(key)
        with contextlib.suppress(RedisDownError):  # when Redis is down, the mark expires on its own
            await self._redis.run(lambda client: client.delete(self._redis.key("seen", key)))
