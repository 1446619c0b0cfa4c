"""The gateway's rate limit, marks and sender locks in the real Redis, shared by two gateways."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.dedup import RedisSeenMarks
from bot.rate_limit import RedisRateLimiter
from bot.sender_locks import RedisSenderLocks, SenderBusyError
from bot.shared_redis import SharedRedis

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def second_gateway(redis_url: str, redis_prefix: str) -> AsyncIterator[SharedRedis]:
    """Another gateway's client (its own connection pool) on the same Redis and prefix."""
    other = SharedRedis.from_url(redis_url, redis_prefix)
    yield other
    await other.close()


async def test_the_rate_limit_is_one_sliding_window_for_all_gateways(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    first, second = RedisRateLimiter(shared_redis, 3, window_s=1.0), RedisRateLimiter(second_gateway, 3, 1.0)
    assert [await first.allow("web:a"), await second.allow("web:a"), await first.allow("web:a")] == [True] * 3
    assert not await second.allow("web:a")
    assert await second.allow("web:b")  # another sender has a limit of its own
    await asyncio.sleep(1.05)
    assert await first.allow("web:a")  # the window slid past the first three


async def test_the_rate_limit_is_atomic_under_concurrent_messages(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    limiters = [RedisRateLimiter(shared_redis, 5), RedisRateLimiter(second_gateway, 5)]
    allowed = await asyncio.gather(*(limiters[n % 2].allow("tg:1") for n in range(40)))
    assert sum(allowed) == 5


async def test_a_mark_is_first_once_across_gateways_until_it_expires_or_is_forgotten(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    first, second = RedisSeenMarks(shared_redis), RedisSeenMarks(second_gateway)
    results = await asyncio.gather(*(m.first("tg-update:1:77", 30) for m in [first, second] * 5))
    assert sorted(results) == [False] * 9 + [True]
    assert await first.first("short", 0.2)
    assert not await second.first("short", 0.2)
    await asyncio.sleep(0.3)
    assert await second.first("short", 0.2)
    await second.forget("tg-update:1:77")
    assert await first.first("tg-update:1:77", 30)
    assert await shared_redis.client.exists(shared_redis.key("seen", "tg-update:1:77")) == 1


async def test_one_senders_messages_hold_the_lock_one_at_a_time_in_arrival_order(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    gateways = [RedisSenderLocks(shared_redis, wait_s=10), RedisSenderLocks(second_gateway, wait_s=10)]
    inside: list[int] = []
    order: list[int] = []
    other_sender_done = asyncio.Event()

    async def message(n: int) -> None:
        await asyncio.sleep(n * 0.03)  # arrivals 30 ms apart, alternating gateways
        async with gateways[n % 2].hold("web:citizen"):
            inside.append(n)
            assert len(inside) == 1, "two messages of one sender at once"
            order.append(n)
            await asyncio.sleep(0.1)
            inside.remove(n)

    async def another_sender() -> None:
        await asyncio.sleep(0.05)
        async with gateways[1].hold("web:someone-else"):
            other_sender_done.set()

    started = time.monotonic()
    await asyncio.gather(*(message(n) for n in range(6)), another_sender())
    assert order == list(range(6))
    assert other_sender_done.is_set()
    assert time.monotonic() - started < 3
    keys = [key async for key in shared_redis.client.scan_iter(match=shared_redis.key("lock", "*"))]
    assert keys == []  # every lock was given back


async def test_a_message_waits_a_bounded_time_then_the_sender_is_busy(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    holder, waiter = RedisSenderLocks(shared_redis, wait_s=5), RedisSenderLocks(second_gateway, wait_s=0.3)
    async with holder.hold("tg:9"):
        started = time.monotonic()
        with pytest.raises(SenderBusyError):
            async with waiter.hold("tg:9"):
                pytest.fail("entered a lock another gateway holds")
        assert 0.3 <= time.monotonic() - started < 1.5
    # The one that gave up left the queue: the next message is not held up by it.
    async with waiter.hold("tg:9"):
        pass


async def test_the_lock_is_renewed_while_held_and_released_only_by_its_holder(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    short = RedisSenderLocks(shared_redis, wait_s=5, ttl_s=0.3)
    other = RedisSenderLocks(second_gateway, wait_s=0.2, ttl_s=0.3)
    key = shared_redis.key("lock", "web:slow")
    async with short.hold("web:slow"):
        await asyncio.sleep(0.8)  # longer than the time to live: renewed meanwhile
        token = await shared_redis.client.get(key)
        assert token is not None
        with pytest.raises(SenderBusyError):
            async with other.hold("web:slow"):
                pass
        # Another holder's token in its place (as after an expiry): releasing must not delete it.
        await shared_redis.client.set(key, b"someone-else", px=5000)
    assert await shared_redis.client.get(key) == b"someone-else"


async def test_a_lock_left_by_a_dead_gateway_expires(
    shared_redis: SharedRedis, second_gateway: SharedRedis
) -> None:
    await shared_redis.client.set(shared_redis.key("lock", "tg:5"), b"dead-gateway", px=300)
    locks = RedisSenderLocks(second_gateway, wait_s=3)
    started = time.monotonic()
    async with locks.hold("tg:5"):
        waited = time.monotonic() - started
    assert 0.2 <= waited < 1.5
