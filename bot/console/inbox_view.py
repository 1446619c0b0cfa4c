"""What the inbox pages share: database work in a thread, citizen text masked, times, labels."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import inbox_texts
from bot.state import SESSIONS, SETTINGS
from knowledge.inbox_conversations import CITIZEN, Turn
from knowledge.inbox_review import Entry
from knowledge.masking import mask_digits
from knowledge.models import InboxItem, InboxKind, InboxStatus

T = TypeVar("T")
VIETNAM = timezone(timedelta(hours=7))


def _in_session(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    with request.config_dict[SESSIONS]() as session, session.begin():
        return function(session, *args)


async def run(request: web.Request, function: Callable[..., T], *args: Any) -> T:
    """``function(session, *args)`` in a worker thread, in one transaction."""
    return await asyncio.to_thread(_in_session, request, function, *args)


def when(moment: datetime | None) -> str:
    """A stored time as staff read it: Vietnam's local time."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


class Masker:
    """Masks long digit runs in citizen text, keeping the province's receipt codes readable."""

    def __init__(self, request: web.Request) -> None:
        self._keep = request.config_dict[SETTINGS].receipt_code_pattern

    def text(self, text: str | None) -> str:
        return mask_digits(text or "", self._keep)

    def entry(self, entry: Entry) -> Entry:
        return dataclasses.replace(
            entry,
            text=self.text(entry.text),
            comment=self.text(entry.comment) if entry.comment else entry.comment,
        )

    def turns(self, turns: list[Turn]) -> list[Turn]:
        return [dataclasses.replace(t, text=self.text(t.text)) if t.author == CITIZEN else t for t in turns]


def open_handoff_count(session: Session) -> int:
    """How many conversations wait for a person (senders with an open handoff)."""
    return (
        session.scalar(
            select(func.count(func.distinct(InboxItem.sender_id))).where(
                InboxItem.kind == InboxKind.HANDOFF.value, InboxItem.status == InboxStatus.OPEN.value
            )
        )
        or 0
    )


def labels() -> dict[str, Any]:
    """The labels and helpers every inbox template uses."""
    return {
        "kind_labels": inbox_texts.KIND_LABELS,
        "channel_labels": inbox_texts.CHANNEL_LABELS,
        "author_labels": inbox_texts.AUTHOR_LABELS,
        "when": when,
    }
