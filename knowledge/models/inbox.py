"""What the bot could not handle, kept for staff: the console's inbox.

One row per message the bot did not understand well enough (``unanswered``,
``low_confidence``), per request for a person (``handoff``) and per complaint
(``complaint``, with a reference number the citizen is given). The sender id
(``tg:<chat>``, ``web:<session>``) is kept so staff can answer on the
citizen's channel; it never goes to a log.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, TimestampMixin


class InboxKind(StrEnum):
    """Why the item is in the inbox."""

    UNANSWERED = "unanswered"
    LOW_CONFIDENCE = "low_confidence"
    HANDOFF = "handoff"
    COMPLAINT = "complaint"


class InboxStatus(StrEnum):
    """Where staff are with it."""

    OPEN = "open"
    HANDLED = "handled"


_KIND_CHECK = "kind IN ({})".format(", ".join(f"'{k.value}'" for k in InboxKind))
_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s.value}'" for s in InboxStatus))


class InboxItem(TimestampMixin, Base):
    """A message or request waiting for staff."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), default=InboxStatus.OPEN.value, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender_id: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    # The NLU's answer (intent ranking, entities) and what the bot replied.
    nlu: Mapped[dict[str, Any] | None] = mapped_column()
    bot_reply: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)

    __table_args__ = (
        CheckConstraint(_KIND_CHECK, name="kind"),
        CheckConstraint(_STATUS_CHECK, name="status"),
    )

    def __repr__(self) -> str:
        return f"InboxItem({self.id!r}, {self.kind!r}, {self.status!r})"
