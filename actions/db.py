"""The action server's database sessions."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine, make_session_factory
from knowledge.settings import get_settings


@lru_cache(maxsize=1)
def sessions() -> sessionmaker[Session]:
    """The session factory over ``settings.database_url``, made on first use."""
    return make_session_factory(make_engine(get_settings().database_url))
