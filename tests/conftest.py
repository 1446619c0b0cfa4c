"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nlu import engine
from tests.stack import Stack, running_stack

LOGS = engine.VAR / "test-logs"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained first if missing or stale (real `rasa train`)."""
    return engine.train()


@pytest.fixture(scope="session")
def stack(trained_model: Path) -> Iterator[Stack]:
    """The real Rasa server and action server, started once per test session."""
    with running_stack(trained_model, LOGS) as running:
        yield running
