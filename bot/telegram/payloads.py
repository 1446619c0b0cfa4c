"""Button payloads that do not fit in Telegram's 64-byte ``callback_data``.

A long payload is kept here under a short random token and the button carries
``p:<token>``. The map is in memory and bounded (least recently used entries
go first), so a very old button, or one from before a restart, can expire.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

MAX_CALLBACK_BYTES = 64
STORED_PREFIX = "p:"


class PayloadStore:
    """Maps payloads to ``callback_data`` and back."""

    def __init__(self, capacity: int = 10_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._by_token: OrderedDict[str, str] = OrderedDict()
        self._by_payload: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_token)

    def encode(self, payload: str) -> str:
        """The ``callback_data`` for ``payload``: itself when short enough, else a token."""
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES and not payload.startswith(STORED_PREFIX):
            return payload
        token = self._by_payload.get(payload)
        if token is None:
            token = secrets.token_urlsafe(12)
            self._by_token[token] = payload
            self._by_payload[payload] = token
            while len(self._by_token) > self._capacity:
                _, dropped = self._by_token.popitem(last=False)
                del self._by_payload[dropped]
        else:
            self._by_token.move_to_end(token)
        return STORED_PREFIX + token

    def decode(self, data: str) -> str | None:
        """The payload behind ``callback_data``, or None when its token is unknown or expired."""
        if not data.startswith(STORED_PREFIX):
            return data
        token = data[len(STORED_PREFIX) :]
        payload = self._by_token.get(token)
        if payload is not None:
            self._by_token.move_to_end(token)
        return payload
