"""Helpers of the inbox tests: the inbox routes on a gateway, rows put straight in the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy.orm import Session

import bot.app
from bot.console import create_console, inbox_pages
from knowledge.db import make_engine, make_session_factory
from knowledge.inbox import channel_of
from knowledge.models import ConversationMessage, Feedback, InboxItem
from knowledge.settings import Settings


def _console_with_inbox() -> web.Application:
    console = create_console()
    if not any(resource.canonical == "/inbox" for resource in console.router.resources()):
        inbox_pages.add_routes(console)
    return console


def gateway_with_inbox(settings: Settings) -> web.Application:
    """The gateway of ``settings`` with the inbox pages, whether or not the console adds them yet.

    ``add_subapp`` freezes the console's router, so the pages are added while
    ``create_app`` builds the console rather than afterwards.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.app, "create_console", _console_with_inbox)
        return bot.app.create_app(settings, notify=False)


@contextmanager
def database(url: str) -> Iterator[Session]:
    """A session on ``url``, committed at the end of the block."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def item(session: Session, kind: str, text: str, minutes: float = 1, **values: Any) -> InboxItem:
    sender = values.pop("sender_id", "web:inbox-test-session-0001")
    row = InboxItem(
        kind=kind,
        channel=channel_of(sender),
        sender_id=sender,
        text=text,
        created_at=ago(minutes),
        **values,
    )
    session.add(row)
    session.flush()
    return row


def feedback(
    session: Session, question: str, rating: str = "down", minutes: float = 1, **values: Any
) -> Feedback:
    sender = values.pop("sender_id", "web:inbox-test-session-0002")
    row = Feedback(
        sender_id=sender,
        channel=channel_of(sender),
        rating=rating,
        question=question,
        answer=values.pop("answer", "📄 Một câu trả lời của trợ lý ảo"),
        created_at=ago(minutes),
        **values,
    )
    session.add(row)
    session.flush()
    return row


def message(session: Session, sender_id: str, direction: str, text: str, author: str, minutes: float) -> None:
    session.add(
        ConversationMessage(
            sender_id=sender_id,
            channel=channel_of(sender_id),
            direction=direction,
            text=text,
            author=author,
            created_at=ago(minutes),
        )
    )
