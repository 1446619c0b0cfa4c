"""Messages per sender per minute: a sliding window kept in memory.

One gateway process keeps its own counts; the production issue moves them to
Redis so that several gateways share them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
# Senders idle this long are forgotten, so the table does not grow forever.
_FORGET_AFTER_S = 10 * WINDOW_S


class RateLimiter:
    """At most ``limit`` messages per sender within any ``window_s`` seconds."""

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_s
        self._clock = clock
        self._stamps: dict[str, deque[float]] = {}
        self._swept_at = clock()

    def allow(self, sender_id: str) -> bool:
        """Count one message of ``sender_id``; False when over the limit (not counted)."""
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
