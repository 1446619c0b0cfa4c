"""Conversations behind inbox items: handoff requests waiting for a person, and what was said.

A handoff pauses the assistant for one sender until staff give the
conversation back; several requests of the same sender are one open
conversation. What was said comes from the gateway's log
(``ConversationMessage``), or, when the log holds nothing for the sender,
from the turns the action server stored with the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import audit
from knowledge.models import ConversationMessage, Direction, InboxItem, InboxKind, InboxStatus

logger = logging.getLogger(__name__)

CONVERSATION_LIMIT = 50
CITIZEN = "citizen"


@dataclass(frozen=True)
class Turn:
    """One message of a conversation: who wrote it (citizen, bot, staff, system), and when if known."""

    author: str
    text: str
    created_at: datetime | None = None


def open_handoffs(session: Session, limit: int = 200) -> list[InboxItem]:
    """The newest open handoff request of each sender, newest first."""
    items = session.scalars(
        select(InboxItem)
        .where(InboxItem.kind == InboxKind.HANDOFF.value, InboxItem.status == InboxStatus.OPEN.value)
        .order_by(InboxItem.id.desc())
    )
    newest: dict[str, InboxItem] = {}
    for item in items:
        newest.setdefault(item.sender_id, item)
        if len(newest) == limit:
            break
    return list(newest.values())


def conversation(session: Session, item: InboxItem, limit: int = CONVERSATION_LIMIT) -> list[Turn]:
    """The last ``limit`` messages with the item's sender, oldest first."""
    rows = list(
        session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.sender_id == item.sender_id)
            .order_by(ConversationMessage.id.desc())
            .limit(limit)
        )
    )
    if rows:
        return [
            Turn(
                CITIZEN if row.direction == Direction.IN.value else row.author,
                row.text,
                row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC),
            )
            for row in reversed(rows)
        ]
    stored = (item.nlu or {}).get("conversation") or []
    turns = [
        Turn(CITIZEN if turn.get("from") == CITIZEN else "bot", str(turn.get("text") or ""))
        for turn in stored
        if isinstance(turn, dict) and turn.get("text")
    ]
    return turns[-limit:]


def release(session: Session, sender_id: str, actor: str) -> int:
    """Mark every open handoff of ``sender_id`` handled (the assistant answers again); how many."""
    items = list(
        session.scalars(
            select(InboxItem).where(
                InboxItem.sender_id == sender_id,
                InboxItem.kind == InboxKind.HANDOFF.value,
                InboxItem.status == InboxStatus.OPEN.value,
            )
        )
    )
    for item in items:
        item.status = InboxStatus.HANDLED.value
        audit.record(
            session,
            actor,
            "release",
            "inbox_item",
            item.id,
            before={"status": InboxStatus.OPEN.value},
            after={"status": InboxStatus.HANDLED.value},
        )
    return len(items)
