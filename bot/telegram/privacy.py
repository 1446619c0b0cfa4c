"""Chat ids in log lines: hashed, so logs can correlate events without naming anyone."""

from __future__ import annotations

import hashlib


def chat_ref(chat_id: int | str) -> str:
    """A short stable digest of ``chat_id`` for log lines."""
    return hashlib.sha256(str(chat_id).encode()).hexdigest()[:10]
