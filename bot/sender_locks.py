"""One message of a sender at a time: per process, or across gateways through Redis.

:class:`KeyedLocks` orders a sender's messages within this process (FIFO).
:class:`RedisSenderLocks` does it across gateways, so that consecutive
messages of one sender are processed one at a time, in arrival order, even
when they reach different gateways. In Redis: the lock
``SET <prefix>lock:<sender> <token> NX PX <ttl>``, renewed while held and
released only by its holder (compare-and-delete in Lua); and a queue of the
waiting messages (``<prefix>queue:<sender>``, a sorted set by Redis's clock at
arrival) so that the lock goes to the one that came first. A gateway that dies
holding the lock frees it when its time to live runs out; a message that
stopped waiting leaves the queue (or is dropped from it after the longest wait).

A message waits at most ``wait_s`` for the ones before it, then
:class:`SenderBusyError` is raised (the citizen gets "Hệ thống đang bận").
While Redis is unreachable, the lock of this process alone is taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from bot.shared_redis import CALL_TIMEOUT_S, RedisDownError, SharedRedis
from knowledge.inbox import channel_of

logger = logging.getLogger(__name__)

# The Redis lock lives this long unless its holder renews it (every third of it).
LOCK_TTL_S = 10.0
# Pauses between tries while other messages go first: from the first, doubling up to the last.
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.1

# KEYS: lock, queue; ARGV: token, lock ttl (ms), longest wait (us).
# Join the queue (once), forget waiters older than the longest wait, and take
# the lock if this message is first in the queue and the lock is free.
_ACQUIRE = """
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait_us = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - wait_us)
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], now, ARGV[1])
end
redis.call('PEXPIRE', KEYS[2], math.ceil(wait_us / 1000) + tonumber(ARGV[2]))
local first = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if first == ARGV[1] and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


class SenderBusyError(Exception):
    """The sender's previous message did not finish within the wait: this one was not processed."""


class SenderLocks(Protocol):
    """Per-sender mutual exclusion."""

    def hold(self, sender_id: str) -> AbstractAsyncContextManager[None]:
        """Hold the sender's lock for the ``async with`` block (may raise :class:`SenderBusyError`)."""
        ...


class KeyedLocks:
    """An asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self, wait_s: float | None = None) -> None:
        self._wait_s = wait_s
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str, wait_s: float | None = None) -> AsyncIterator[None]:
        """Hold ``key``'s lock; waiting longer than ``wait_s`` (default: the lock's) raises."""
        wait_s = self._wait_s if wait_s is None else wait_s
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            try:
                async with asyncio.timeout(wait_s):
                    await lock.acquire()
            except TimeoutError:
                raise SenderBusyError from None
            try:
                yield
            finally:
                lock.release()
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class RedisSenderLocks:
    """Per-sender locks shared by every gateway through Redis, taken in arrival order."""

    def __init__(self, redis: SharedRedis, wait_s: float, ttl_s: float = LOCK_TTL_S) -> None:
        self._redis = redis
        self._wait_s = wait_s
        self._ttl_ms = round(ttl_s * 1000)
        self._local = KeyedLocks(wait_s)
        self._acquire_script = redis.client.register_script(_ACQUIRE)
        self._release = redis.client.register_script(_RELEASE)
        self._renew = redis.client.register_script(_RENEW)

    @asynccontextmanager
    async def hold(self, sender_id: str) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait_s
        lock, queue = self._redis.key("lock", sender_id), self._redis.key("queue", sender_id)
        token = await self._acquire(lock, queue, deadline)
        if token is None:  # Redis is down: this process's order only
            async with self._local.hold(sender_id, max(0.0, deadline - loop.time())):
                yield
            return
        done = asyncio.Event()
        renewal = asyncio.create_task(self._keep(lock, token, sender_id, done))
        try:
            yield
        finally:
            done.set()
            renewal.cancel()
            await asyncio.wait({renewal}, timeout=CALL_TIMEOUT_S)
            with contextlib.suppress(RedisDownError):  # when Redis is down, the lock expires on its own
                await self._redis.run(lambda _: self._release(keys=[lock], args=[token]))

    async def _acquire(self, lock: str, queue: str, deadline: float) -> str | None:
        """The token of the lock once held, or None when Redis is down."""
        loop = asyncio.get_running_loop()
        token = secrets.token_hex(16)
        args: list[str | int] = [token, self._ttl_ms, round(self._wait_s * 1_000_000)]
        pause = FIRST_PAUSE_S
        while True:
            try:
                if await self._redis.run(lambda _: self._acquire_script(keys=[lock, queue], args=args)):
                    return token
            except RedisDownError:
                return None
            remaining = deadline - loop.time()
            if remaining <= 0:
                with contextlib.suppress(RedisDownError):
                    await self._redis.run(lambda client: client.zrem(queue, token))
                raise SenderBusyError
            # Jitter, so that gateways waiting for the same sender do not ask in step.
            jittered = pause * (0.5 + secrets.randbelow(500) / 1000)
            await asyncio.sleep(min(jittered, remaining))
            pause = min(pause * 2, LONGEST_PAUSE_S)

    async def _keep(self, lock: str, token: str, sender_id: str, done: asyncio.Event) -> None:
        """Renew the lock every third of its time to live until ``done``."""
        while not done.is_set():
            await asyncio.sleep(self._ttl_ms / 3000)
            if done.is_set():
                return
            try:
                renewed = await self._redis.run(
                    lambda _: self._renew(keys=[lock], args=[token, self._ttl_ms])
                )
            except RedisDownError:
                continue
            if not renewed:
                logger.warning("the lock of a %s conversation expired while held", channel_of(sender_id))
                return
