"""The gateways' shared Redis (``REDIS_URL``), and what to do while it is unreachable.

Several gateway processes keep their rate limits, de-duplication marks and
per-sender locks in one Redis (see :mod:`bot.coordination`). Every call goes
through :meth:`SharedRedis.run`, which never waits long: one deadline for the
whole call, connecting included, and no hidden retries. (redis-py's own socket
timeouts are left off on purpose: with them, a task cancelled during a call
may go on as if it had not been, which would keep a gateway from stopping.) When Redis fails, the call raises
:class:`RedisDownError` and the caller falls back to this process's own memory;
further calls skip Redis for :data:`RETRY_AFTER_S` instead of waiting on it
again. The outage is logged once when it starts and once when it ends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Every gateway key starts with this (Rasa's lock store uses "rasa:lock:").
KEY_PREFIX = "tthc:"
# The longest a call to Redis may take, connecting included.
CALL_TIMEOUT_S = 2.0
# After a failure, Redis is tried again on the first call this long after it.
RETRY_AFTER_S = 2.0


class RedisDownError(Exception):
    """Redis did not answer; the caller uses its in-process fallback."""


class SharedRedis:
    """One Redis connection pool, its key names, and whether Redis is reachable."""

    def __init__(
        self,
        client: Redis,
        prefix: str = KEY_PREFIX,
        retry_after_s: float = RETRY_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._down_since: float | None = None
        self._last_failure = 0.0

    @classmethod
    def from_url(
        cls, url: str, prefix: str = KEY_PREFIX, retry_after_s: float = RETRY_AFTER_S
    ) -> SharedRedis:
        """A client for ``redis://[:password@]host[:port][/db]`` (or ``rediss://``); connects lazily."""
        client = Redis.from_url(
            url, socket_connect_timeout=None, socket_timeout=None, retry=Retry(NoBackoff(), 0)
        )
        return cls(client, prefix, retry_after_s)

    @property
    def where(self) -> str:
        """Host, port and database, for logs (never the password)."""
        kwargs = self.client.connection_pool.connection_kwargs
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    @property
    def is_down(self) -> bool:
        """Whether the last call failed (the gateway is on its per-process fallback)."""
        return self._down_since is not None

    def key(self, *parts: str) -> str:
        """A key of the gateway: the prefix, then ``parts`` joined by ``:``."""
        return self.prefix + ":".join(parts)

    async def run(self, operation: Callable[[Redis], Awaitable[T]]) -> T:
        """``operation(client)``, or :class:`RedisDownError` quickly when Redis fails or is known down."""
        if self._down_since is not None and self._clock() - self._last_failure < self._retry_after_s:
            raise RedisDownError("Redis is unreachable")
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                result = await operation(self.client)
        except (RedisError, OSError, TimeoutError) as error:
            self._failed(error)
            raise RedisDownError(type(error).__name__) from error
        if self._down_since is not None:
            logger.warning(
                "Redis at %s is reachable again after %.1f s: limits, de-duplication and "
                "conversation order are shared by the gateways again",
                self.where,
                self._clock() - self._down_since,
            )
            self._down_since = None
        return result

    async def ping(self) -> bool:
        """Whether Redis answers now."""
        try:
            return bool(await self.run(lambda client: _ping(client)))
        except RedisDownError:
            return False

    async def close(self) -> None:
        await self.client.aclose()

    def _failed(self, error: BaseException) -> None:
        now = self._clock()
        self._last_failure = now
        if self._down_since is None:
            self._down_since = now
            logger.warning(
                "Redis at %s is unreachable (%s): until it is back, rate limits, de-duplication "
                "and conversation order hold within each gateway process only",
                self.where,
                type(error).__name__,
            )


async def _ping(client: Redis) -> Any:
    return await client.ping()
