"""The searchable catalog of procedures: the knowledge base behind a live index.

Servers (action server, gateway) search through one :class:`Catalog` per
process. It loads the active procedures with their aliases and document names
into a :class:`knowledge.search.LiveIndex`, and checks at most twice a second
whether the knowledge base changed (procedure or alias rows added, edited or
removed, by any process); a change triggers a background rebuild, so an edit
is searchable within about two seconds without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine, make_session_factory
from knowledge.models import Alias, Procedure, RequiredDocument, alias_procedures
from knowledge.search import Candidate, LiveIndex, SearchDoc, SearchResult
from knowledge.settings import (
    LEVEL_COMMUNE,
    LEVEL_MINISTRY,
    LEVEL_OTHER,
    LEVEL_PROVINCE,
    Settings,
    get_settings,
)

logger = logging.getLogger(__name__)

# How often, at most, a search asks the database whether anything changed.
CHECK_INTERVAL_S = 0.5


def load_search_docs(session: Session) -> list[SearchDoc]:
    """Every active procedure as a :class:`SearchDoc`.

    Plain column queries rather than ORM objects: the index is rebuilt after
    every change, and building ~20,000 document objects would be most of it.
    """
    aliases: dict[int, list[str]] = defaultdict(list)
    alias_rows = session.execute(
        select(alias_procedures.c.procedure_id, Alias.text)
        .join(Alias, Alias.id == alias_procedures.c.alias_id)
        .where(Alias.is_active.is_(True))
        .order_by(Alias.text)
    )
    for procedure_id, text in alias_rows:
        aliases[procedure_id].append(text)
    documents: dict[int, list[str]] = defaultdict(list)
    document_rows = session.execute(
        select(RequiredDocument.procedure_id, RequiredDocument.name).order_by(
            RequiredDocument.procedure_id, RequiredDocument.position
        )
    )
    for procedure_id, name in document_rows:
        documents[procedure_id].append(name)
    procedures = session.execute(
        select(
            Procedure.id,
            Procedure.code,
            Procedure.name,
            Procedure.sector,
            Procedure.level_ministry,
            Procedure.level_province,
            Procedure.level_commune,
            Procedure.level_other,
        )
        .where(Procedure.is_active.is_(True))
        .order_by(Procedure.code)
    )
    docs = []
    for row in procedures:
        flags = (
            (row.level_ministry, LEVEL_MINISTRY),
            (row.level_province, LEVEL_PROVINCE),
            (row.level_commune, LEVEL_COMMUNE),
            (row.level_other, LEVEL_OTHER),
        )
        docs.append(
            SearchDoc(
                code=row.code,
                name=row.name,
                levels=tuple(label for present, label in flags if present),
                sector=row.sector or "",
                aliases=tuple(aliases[row.id]),
                documents=tuple(documents[row.id]),
            )
        )
    return docs


def knowledge_version(session: Session) -> tuple[Any, ...]:
    """Changes whenever a procedure or alias is added, edited or removed."""
    procedures = session.execute(select(func.count(Procedure.id), func.max(Procedure.updated_at))).one()
    aliases = session.execute(select(func.count(Alias.id), func.max(Alias.updated_at))).one()
    return (*procedures, *aliases)


class Catalog:
    """Search over the knowledge base that follows its changes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        province_levels: tuple[str, ...],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._index = LiveIndex(self._load, province_levels)
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._checked_at = float("-inf")

    def _load(self) -> list[SearchDoc]:
        with self._sessions() as session:
            self._version = knowledge_version(session)
            docs = load_search_docs(session)
        logger.info("search index built from %d procedures", len(docs))
        return docs

    def _check_for_changes(self) -> None:
        now = self._clock()
        with self._lock:
            if now - self._checked_at < CHECK_INTERVAL_S:
                return
            self._checked_at = now
        with self._sessions() as session:
            version = knowledge_version(session)
        if self._version is not None and version != self._version:
            logger.info("knowledge base changed; rebuilding the search index")
            self._version = version
            self._index.refresh()

    def search(self, query: str, limit: int = 10) -> SearchResult:
        """Ranked procedures for ``query`` (see :mod:`knowledge.search`)."""
        try:
            self._check_for_changes()
        except Exception:  # a database hiccup must not stop answers from the last index
            logger.exception("could not check the knowledge base for changes")
        return self._index.search(query, limit)

    def candidates_by_code(self, codes: list[str]) -> list[Candidate]:
        """The active procedures among ``codes`` (for buttons offered again)."""
        return self._index.index.candidates(codes)

    def refresh_now(self) -> None:
        """Rebuild the index in this thread (tests, after bulk imports)."""
        self._index.refresh_now()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild to finish."""
        return self._index.wait(timeout)


def catalog_for(settings: Settings) -> Catalog:
    """A catalog over the database of ``settings``."""
    return Catalog(make_session_factory(make_engine(settings.database_url)), settings.province_levels)


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The process's catalog, over ``settings.database_url``."""
    return catalog_for(get_settings())
