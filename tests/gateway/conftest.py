"""A gateway app per test, on its own database; against a dead Rasa or the real stack."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.db import make_engine
from knowledge.migrate import upgrade
from knowledge.settings import Settings
from nlu.engine import free_port


@pytest.fixture
def empty_database_url(tmp_path: Path) -> str:
    """A migrated, empty knowledge base."""
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def dead_rasa_settings(empty_database_url: str) -> Settings:
    """Settings whose Rasa and action server ports nothing listens on."""
    return dataclasses.replace(
        Settings(),
        database_url=empty_database_url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_port=free_port(),
        rasa_timeout_s=2.0,
        allowed_origins=("https://congdichvu.example.vn",),
        messages_per_minute=5,
    )
