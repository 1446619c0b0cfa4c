"""Fixtures of the dossier tests: a migrated database emptied before each test, a few procedures.

Like ``tests/knowledge``, this runs on SQLite, or on PostgreSQL when
``TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine, make_session_factory
from knowledge.dossiers import create_dossier
from knowledge.migrate import upgrade
from knowledge.models import Base, Dossier, Procedure
from knowledge.settings import Settings
from nlu.engine import free_port
from tests.knowledge.conftest import fresh_database

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_CSV = DATA / "dossiers_sample.csv"
# The procedures the sample CSV and the tests refer to (names shortened).
PROCEDURES = {
    "1.001193": "Thủ tục đăng ký khai sinh",
    "1.000894": "Thủ tục đăng ký kết hôn",
    "1.004222": "Đăng ký thường trú",
}
SECRET = "kiem-thu-bi-mat-chung-0123456789"
CODE = "000.22.31.H51-251201-0201"


@pytest.fixture(scope="session")
def migrated_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with fresh_database("dossiers", tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    """The database, emptied of every row, with the procedures of ``PROCEDURES``."""
    with migrated_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    with make_session_factory(migrated_engine)() as session:
        session.add_all(Procedure(code=code, name=name) for code, name in PROCEDURES.items())
        session.commit()
    return migrated_engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as opened:
        yield opened


@pytest.fixture
def dossier(session: Session) -> Dossier:
    """One stored dossier, received on 1 December 2025, now in progress."""
    stored = create_dossier(
        session,
        CODE,
        "1.001193",
        "Nguyễn Văn Thử",
        "0900 000 201",
        datetime(2025, 12, 1, 1, 30, tzinfo=UTC),
        datetime(2025, 12, 4, 10, 0, tzinfo=UTC),
        status="in_progress",
        step="Thẩm định hồ sơ",
        status_at=datetime(2025, 12, 1, 2, 0, tzinfo=UTC),
    )
    session.commit()
    return stored


@pytest.fixture
def events_settings(engine: Engine) -> Settings:
    """Gateway settings on the test database, a dead Rasa, and the shared secret set."""
    return dataclasses.replace(
        Settings(),
        database_url=engine.url.render_as_string(hide_password=False),
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_port=free_port(),
        rasa_timeout_s=2.0,
        dossier_events_secret=SECRET,
    )
