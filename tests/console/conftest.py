"""The console's fixtures: a private copy of the seeded knowledge base with one account per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory
from knowledge.models import StaffRole, StaffSession
from knowledge.staff import create_user, find_user, reset_user
from tests.conftest import PRISTINE
from tests.console.wiring import wired_console

PASSWORD = "mật khẩu thử 2026"
ROLES = {role.value: f"thu.{role.value}" for role in StaffRole}


def add_accounts(database_url: str) -> None:
    """One usable account per role. The shared seeded base may have them already (the console's
    browser tests add them to it, and lock one on purpose): those are reset, sessions ended."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session, session.begin():
        for role, username in ROLES.items():
            user = find_user(session, username)
            if user is None:
                create_user(session, username, PASSWORD, role)
            else:
                reset_user(user, PASSWORD, role)
                session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    engine.dispose()


@pytest.fixture
def console_database_url(seeded_database_url: str, tmp_path: Path) -> str:
    """A copy of the seeded knowledge base as seeded (the console writes to it), with the accounts."""
    source = Path(str(make_url(seeded_database_url).database)).with_name(PRISTINE)
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
