"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from knowledge import cli, lookup_guard
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings
from nlu import engine
from tests.stack import Stack, running_stack

LOGS = engine.VAR / "test-logs"
# Beside the seeded knowledge base: the same, never opened by a server (see seeded_database_url).
PRISTINE = "pristine.db"
# The browser fixture (Debian chromium through Playwright) for tests/widget and tests/console.
pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained first if missing or stale (real `rasa train`).

    ``make test`` has just trained or checked it (``MODEL_CHECKED=1``): not checked again
    in each test session (Rasa's dry run takes tens of seconds).
    """
    if os.environ.get("MODEL_CHECKED") == "1" and engine.model_path().is_file():
        return engine.model_path()
    return engine.train()


@pytest.fixture(scope="session")
def seeded_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite knowledge base with the project's whole seed and the demo dossiers."""
    folder = tmp_path_factory.mktemp("kb")
    url = f"sqlite:///{folder / 'tthc.db'}"
    for command in (["import"], ["seed-demo"]):
        status = cli.main(["--database", url, *command], out=io.StringIO(), report_dir=folder)
        assert status == 0, command
    # Tests that need a private copy copy this one, as seeded, not the shared base others change.
    with (
        contextlib.closing(sqlite3.connect(folder / "tthc.db")) as seeded,
        contextlib.closing(sqlite3.connect(folder / PRISTINE)) as pristine,
    ):
        seeded.backup(pristine)
    return url


@pytest.fixture(scope="session")
def stack(trained_model: Path, seeded_database_url: str) -> Iterator[Stack]:
    """The real Rasa server and action server, started once per test session."""
    with running_stack(trained_model, LOGS, env={"DATABASE_URL": seeded_database_url}) as running:
        yield running


@pytest.fixture
def stack_settings(stack: Stack, seeded_database_url: str) -> Settings:
    """Settings for a gateway in front of the session's real Rasa and action servers."""
    return dataclasses.replace(
        Settings(),
        database_url=seeded_database_url,
        rasa_url=stack.rasa_url,
        rasa_token=stack.rasa_token,
        actions_port=urlsplit(stack.actions_url).port or 0,
        rasa_timeout_s=60.0,
        messages_per_minute=100,
    )


@pytest.fixture(autouse=True)
def _lift_lookup_locks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Failed dossier proofs lock a code for an hour in the shared knowledge base; a test that
    locks one (on purpose or not) must not leave the following tests locked out."""
    yield
    if "seeded_database_url" not in request.fixturenames:
        return
    database = make_engine(request.getfixturevalue("seeded_database_url"))
    with make_session_factory(database)() as session, session.begin():
        lookup_guard.clear(session)
    database.dispose()
