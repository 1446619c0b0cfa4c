"""What gateway processes must agree on: rate limits, de-duplication, one message per sender at a time.

Without ``REDIS_URL`` (development, one gateway) each is kept in this
process. With it, in Redis, so that several gateways behind a load balancer
act as one: a sender's limit is counted once, an update or message
delivered twice is taken once, and a sender's messages are processed one at
a time whichever gateway receives them.

While Redis is unreachable the gateway keeps serving: each gateway falls
back to its own limits, marks and locks (logged once per outage, see
:mod:`bot.shared_redis`), which is exactly the development behaviour. Order
across gateways is then not guaranteed; Rasa's own lock store needs Redis
too, so citizens mostly get "Hệ thống đang bận" until Redis is back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.dedup import Deduplicator, RedisSeenMarks, SeenMarks
from bot.rate_limit import RateLimiter, RedisRateLimiter, SenderRateLimit
from bot.sender_locks import KeyedLocks, RedisSenderLocks, SenderLocks
from bot.shared_redis import KEY_PREFIX, SharedRedis
from knowledge.settings import Settings

logger = logging.getLogger(__name__)

# Beyond Rasa's timeout, how long a message may wait for the sender's previous one.
WAIT_MARGIN_S = 5.0


def lock_wait_s(settings: Settings) -> float:
    """How long a message waits for the sender's previous one: two Rasa timeouts and a margin."""
    return 2 * settings.rasa_timeout_s + WAIT_MARGIN_S


@dataclass(frozen=True)
class Coordination:
    """The rate limit, the marks and the sender locks of one gateway process."""

    limiter: SenderRateLimit
    seen: Deduplicator
    locks: SenderLocks
    redis: SharedRedis | None = None

    @classmethod
    def in_memory(cls, messages_per_minute: int, wait_s: float) -> Coordination:
        """Everything in this process (development, a single gateway)."""
        return cls(RateLimiter(messages_per_minute), SeenMarks(), KeyedLocks(wait_s))

    @classmethod
    def shared(cls, redis: SharedRedis, messages_per_minute: int, wait_s: float) -> Coordination:
        """Everything in Redis, shared with the other gateways that use it."""
        return cls(
            RedisRateLimiter(redis, messages_per_minute),
            RedisSeenMarks(redis),
            RedisSenderLocks(redis, wait_s),
            redis,
        )

    async def start(self) -> None:
        """Check Redis once (the gateway starts either way: see the module's note)."""
        if self.redis is not None and await self.redis.ping():
            logger.info(
                "Redis at %s: limits, de-duplication and order shared by the gateways", self.redis.where
            )

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.close()


def coordination_for(settings: Settings, prefix: str = KEY_PREFIX) -> Coordination:
    """Redis-backed when ``settings.redis_url`` is set, in memory otherwise."""
    wait_s = lock_wait_s(settings)
    if not settings.redis_url:
        return Coordination.in_memory(settings.messages_per_minute, wait_s)
    return Coordination.shared(
        SharedRedis.from_url(settings.redis_url, prefix), settings.messages_per_minute, wait_s
    )
