"""Put messages and requests in the staff inbox (``knowledge.models.InboxItem``)."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from knowledge.models import InboxItem, InboxKind

logger = logging.getLogger(__name__)

_CHANNELS = {"tg": "telegram", "web": "web"}
# Unambiguous characters for reference numbers read out on the phone.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def channel_of(sender_id: str) -> str:
    """ "tg:123" -> "telegram", "web:abc" -> "web", anything else -> "api"."""
    prefix, _, _ = sender_id.partition(":")
    return _CHANNELS.get(prefix, "api")


def new_reference(now: datetime | None = None) -> str:
    """A complaint's reference number, e.g. "PA-261129-7KQ4"."""
    now = now or datetime.now(UTC)
    return f"PA-{now:%y%m%d}-" + "".join(secrets.choice(_ALPHABET) for _ in range(4))


def record(
    session: Session,
    kind: InboxKind,
    sender_id: str,
    text: str,
    *,
    nlu: dict[str, Any] | None = None,
    bot_reply: str | None = None,
) -> InboxItem:
    """Store one inbox item; complaints get a reference number."""
    intent = (nlu or {}).get("intent") or {}
    item = InboxItem(
        kind=kind.value,
        channel=channel_of(sender_id),
        sender_id=sender_id[:128],
        text=text[:5000],
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        nlu=nlu,
        bot_reply=bot_reply,
        reference=new_reference() if kind is InboxKind.COMPLAINT else None,
    )
    session.add(item)
    session.flush()
    logger.info("inbox item %s (%s) recorded", item.id, kind.value)
    return item
