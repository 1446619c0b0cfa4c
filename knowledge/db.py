"""Database engine and sessions, from ``settings.database_url``.

SQLite (the default, ``var/tthc.db``) gets its folder created, foreign keys
switched on and write-ahead logging. PostgreSQL (production) connections are
checked before use (``pool_pre_ping``): after a restart of the server, the
pool reconnects instead of failing each stale connection once.
Sessions are short: one per command, request or action.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


def _prepare_sqlite(engine: Engine) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")
    if not in_memory and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: ``settings.database_url``)."""
    url = url or get_settings().database_url
    sqlite = make_url(url).get_backend_name() == "sqlite"
    # Errors name the statement but never its parameters (citizens' texts, names, phone numbers).
    options: dict[str, Any] = {"hide_parameters": True} | ({} if sqlite else {"pool_pre_ping": True})
    engine = create_engine(url, **(options | kwargs))
    if sqlite:
        _prepare_sqlite(engine)
    logger.debug("Engine for %s", engine.url.render_as_string(hide_password=True))
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session committed at the end of the block, rolled back on error."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
