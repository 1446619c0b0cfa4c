"""The engines ``knowledge.db`` makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from knowledge.db import make_engine

PHONE = "0912345678"


def test_a_failed_statement_names_no_parameter(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    with pytest.raises(SQLAlchemyError) as failure, engine.connect() as connection:
        connection.execute(text("INSERT INTO no_such_table (phone) VALUES (:phone)"), {"phone": PHONE})
    assert "no_such_table" in str(failure.value)
    assert PHONE not in str(failure.value)
    engine.dispose()
