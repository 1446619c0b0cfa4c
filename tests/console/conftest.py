"""The console's fixtures: a private copy of the seeded knowledge base with one account per role."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy.engine import make_url

from bot.app import create_app
from knowledge.db import make_engine, make_session_factory
from knowledge.models import StaffRole
from knowledge.settings import Settings
from knowledge.staff import create_user
from nlu.engine import free_port

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
async def console(console_database_url: str, aiohttp_client: AiohttpClient) -> TestClient:
    settings = dataclasses.replace(
        Settings(),
        database_url=console_database_url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_port=free_port(),
    )
    return await aiohttp_client(create_app(settings, notify=False))
