"""The console's fixtures: a private copy of the seeded knowledge base with one account per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory
from knowledge.models import StaffRole
from knowledge.staff import create_user
from tests.console.wiring import wired_console

PASSWORD = "mật khẩu thử 2026"
ROLES = {role.value: f"thu.{role.value}" for role in StaffRole}


def add_accounts(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session, session.begin():
        for role, username in ROLES.items():
            create_user(session, username, PASSWORD, role)
    engine.dispose()


@pytest.fixture
def console_database_url(seeded_database_url: str, tmp_path: Path) -> str:
    """A copy of the seeded knowledge base (the console writes to it), with the accounts."""
    source = Path(str(make_url(seeded_database_url).database))
    target = tmp_path / "console.db"
    shutil.copyfile(source, target)
    url = f"sqlite:///{target}"
    add_accounts(url)
    return url


@pytest.fixture
async def console(
    console_database_url: str, aiohttp_client: AiohttpClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    """The gateway on the console's database; uploads kept in the test's own folder."""
    client, _ = await wired_console(console_database_url, tmp_path, aiohttp_client, monkeypatch)
    return client


@pytest.fixture
def db(console_database_url: str) -> Iterator[Session]:
    """A session on the console's database, to check what the pages wrote."""
    engine = make_engine(console_database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()
