"""What citizens and the assistant said, and what citizens thought of it.

``ConversationMessage`` is the gateway's log of every message in and out, per
sender (``tg:<chat>``, ``web:<session>``): the widget's history, the
dashboard's counts and response times, and the de-duplication of a message a
client sent twice (``client_message_id``). ``Feedback`` is a 👍/👎 on an
answer, with the question and the answer it is about.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, TimestampMixin


class Direction(StrEnum):
    """Who wrote the message."""

    IN = "in"  # the citizen
    OUT = "out"  # the assistant, or staff answering a handoff


class ConversationMessage(TimestampMixin, Base):
    """One message of a conversation, as the gateway saw it."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # The client's id of an incoming message: the same id twice is one message.
    client_message_id: Mapped[str | None] = mapped_column(String(64))
    # For a reply: the incoming message it answers, and how long that took.
    reply_to_id: Mapped[int | None] = mapped_column(Integer, index=True)
    response_ms: Mapped[float | None] = mapped_column(Float)
    # "bot", "staff" or "system" (gateway notices such as "busy").
    author: Mapped[str] = mapped_column(String(16), default="bot")

    __table_args__ = (
        UniqueConstraint("sender_id", "client_message_id"),
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        Index("ix_conversation_messages_created_at", "created_at"),
    )

    def __repr__(self) -> str:
        return f"ConversationMessage({self.id!r}, {self.direction!r})"


class Rating(StrEnum):
    """A citizen's verdict on an answer."""

    UP = "up"
    DOWN = "down"


class Feedback(TimestampMixin, Base):
    """👍 or 👎 on one answer; a 👎 may carry what was wrong."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16), index=True)
    rating: Mapped[str] = mapped_column(String(8), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    # Staff marked it as seen in the inbox.
    handled: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (CheckConstraint("rating IN ('up', 'down')", name="rating"),)

    def __repr__(self) -> str:
        return f"Feedback({self.id!r}, {self.rating!r})"
