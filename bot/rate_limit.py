"""Messages per sender per minute: a sliding window, per process or shared in Redis.

:class:`RateLimiter` keeps the counts in this process (development, one
gateway). :class:`RedisRateLimiter` keeps them in Redis so that several
gateways share one limit per sender; while Redis is unreachable it counts in
this process instead.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from bot.shared_redis import RedisDownError, SharedRedis

WINDOW_S = 60.0
# Senders idle this long are forgotten, so the table does not grow forever.
_FORGET_AFTER_S = 10 * WINDOW_S

# One atomic step on a sorted set of arrival times (microseconds, Redis's clock,
# so the gateways' clocks need not agree): drop the old, count, add if under the limit.
_SLIDING_WINDOW = """
redis.replicate_commands()
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window_us = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_us - window_us)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now_us, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window_us / 1000))
return 1
"""


class SenderRateLimit(Protocol):
    """At most so many messages per sender within a sliding window."""

    async def allow(self, sender_id: str) -> bool:
        """Count one message of ``sender_id``; False when over the limit (not counted)."""
        ...


class RateLimiter:
    """At most ``limit`` messages per sender within any ``window_s`` seconds, in this process."""

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_s
        self._clock = clock
        self._stamps: dict[str, deque[float]] = {}
        self._swept_at = clock()

    async def allow(self, sender_id: str) -> bool:
        """Count one message of ``sender_id``; False when over the limit (not counted)."""
        return self.allow_now(sender_id)

    def allow_now(self, sender_id: str) -> bool:
        """:meth:`allow` without awaiting."""
        now = self._clock()
        self._sweep(now)
        stamps = self._stamps.setdefault(sender_id, deque())
        while stamps and now - stamps[0] >= self._window:
            stamps.popleft()
        if len(stamps) >= self._limit:
            return False
        stamps.append(now)
        return True

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < _FORGET_AFTER_S:
            return
        self._swept_at = now
        idle = [s for s, stamps in self._stamps.items() if not stamps or now - stamps[-1] > _FORGET_AFTER_S]
        for sender in idle:
            del self._stamps[sender]


class RedisRateLimiter:
    """The same limit, shared by every gateway through Redis (``<prefix>rate:<sender>``)."""

    def __init__(self, redis: SharedRedis, limit: int, window_s: float = WINDOW_S) -> None:
        self._redis = redis
        self._limit = limit
        self._window_us = round(window_s * 1_000_000)
        self._script = redis.client.register_script(_SLIDING_WINDOW)
        self._fallback = RateLimiter(limit, window_s)

    async def allow(self, sender_id: str) -> bool:
        """Count one message of ``sender_id``; False when over the limit (not counted)."""
        key = self._redis.key("rate", sender_id)
        member = secrets.token_hex(8)
        try:
            allowed = await self._redis.run(
                lambda _: self._script(keys=[key], args=[self._window_us, self._limit, member])
            )
        except RedisDownError:
            return self._fallback.allow_now(sender_id)
        return bool(allowed)
