"""Actions run in-process on the seeded knowledge base, with trackers built as Rasa sends them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions import db, procedures, resolution
from knowledge.catalog import Catalog
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import get_settings


@pytest.fixture(scope="session")
def action_sessions(seeded_database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(seeded_database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def action_catalog(action_sessions: sessionmaker[Session]) -> Catalog:
    catalog = Catalog(action_sessions, get_settings().province_levels)
    catalog.refresh_now()
    return catalog


@pytest.fixture
def kb(
    action_sessions: sessionmaker[Session], action_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    """Point the actions at the seeded knowledge base; returns its session factory."""
    monkeypatch.setattr(db, "sessions", lambda: action_sessions)
    monkeypatch.setattr(procedures, "get_catalog", lambda: action_catalog)
    monkeypatch.setattr(resolution, "get_catalog", lambda: action_catalog)
    return action_sessions


def user(
    text: str, intent: str, entities: list[dict[str, Any]] | None = None, confidence: float = 0.95
) -> dict[str, Any]:
    """A user event as Rasa puts it in the tracker."""
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": entities or [],
    }
    return {"event": "user", "text": text, "parse_data": parse}


def bot(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text}


def tracker(sender: str, events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    """A tracker whose latest message is the last user event of ``events``."""
    latest = next(e["parse_data"] for e in reversed(events) if e["event"] == "user")
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": slots or {},
            "latest_message": latest,
            "events": events,
            "active_loop": {},
        }
    )


async def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages the action sent and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, state, {})
    return dispatcher.messages, events


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
