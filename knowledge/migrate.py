"""Run the Alembic migrations programmatically (no alembic.ini needed).

``upgrade(engine)`` brings the database to the latest revision. Every
command of ``python -m knowledge`` calls it first.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration for ``knowledge/migrations`` and ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (default: the latest)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    logger.debug("Database at revision %s", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert the migrations down to ``revision`` ("base" removes every table)."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
