"""Fixtures of the knowledge-base tests.

Tests run on SQLite by default. With ``TEST_POSTGRES_URL`` set (for example
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) they run on PostgreSQL
instead: each test session creates fresh databases next to the one named in
the URL and drops them at the end.

Two databases per session:

* ``engine``: migrated, emptied before every test that uses it;
* ``seeded_engine``: the project's whole seed imported once (with the
  aliases); tests only read it (``seeded_session`` rolls back).
"""

from __future__ import annotations

import json
import lzma
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from knowledge import aliases
from knowledge.db import make_engine, make_session_factory
from knowledge.importer import import_files
from knowledge.migrate import upgrade
from knowledge.models import Base
from knowledge.report import ImportReport
from knowledge.sources import SEED_FILES, read_records

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "").strip()


@contextmanager
def fresh_database(name: str, tmp_dir: Path) -> Iterator[str]:
    """The URL of a new, empty database, removed afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_dir / f'{name}.db'}"
        return
    base = make_url(POSTGRES_URL)
    database = f"tthc_test_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        yield base.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def make_database(tmp_path: Path) -> Callable[[str], AbstractContextManager[str]]:
    """``with make_database("name") as url:`` a fresh, empty database (not migrated)."""

    def make(name: str) -> AbstractContextManager[str]:
        return fresh_database(name, tmp_path)

    return make


@pytest.fixture(scope="session")
def database_kind() -> str:
    """ "postgresql" or "sqlite": what this session tests against."""
    return "postgresql" if POSTGRES_URL else "sqlite"


@pytest.fixture(scope="session")
def empty_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database for the tests that write."""
    with fresh_database("empty", tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """The writable database, emptied of every row."""
    with empty_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    return empty_engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the (emptied) writable database."""
    return make_session_factory(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session on the (emptied) writable database."""
    with sessions() as opened:
        yield opened


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, ImportReport]]:
    """The whole seed imported once (procedures and aliases), with its report."""
    with fresh_database("seeded", tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        upgrade(engine)
        with make_session_factory(engine)() as opened:
            report = import_files(opened, SEED_FILES)
            aliases.seed(opened)
            opened.commit()
        yield engine, report
        engine.dispose()


@pytest.fixture(scope="session")
def seeded_engine(seeded: tuple[Engine, ImportReport]) -> Engine:
    """The database holding the whole seed (read it only)."""
    return seeded[0]


@pytest.fixture(scope="session")
def seed_report(seeded: tuple[Engine, ImportReport]) -> ImportReport:
    """The report of importing the whole seed."""
    return seeded[1]


@pytest.fixture
def seeded_session(seeded_engine: Engine) -> Iterator[Session]:
    """A session on the seeded database; whatever a test changes is rolled back."""
    with make_session_factory(seeded_engine)() as opened:
        yield opened
        opened.rollback()


@pytest.fixture(scope="session")
def seed_records() -> dict[str, dict[str, Any]]:
    """Every published record of the project's seed, by procedure code."""
    records: dict[str, dict[str, Any]] = {}
    for path in SEED_FILES:
        for _, record in read_records(path):
            records[str(record.get("ma_thu_tuc") or record.get("thu_tuc_id"))] = record
    return records


WriteJsonl = Callable[..., Path]


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    """Write records to a JSON Lines file (``xz=True``: compressed) and return its path."""

    def write(records: list[dict[str, Any]], name: str = "records.jsonl", xz: bool = False) -> Path:
        lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        if xz:
            path = tmp_path / f"{name}.xz"
            path.write_bytes(lzma.compress(lines.encode("utf-8")))
        else:
            path = tmp_path / name
            path.write_text(lines, encoding="utf-8")
        return path

    return write
