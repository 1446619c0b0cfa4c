"""Reads shared by the action server, the command line and the tests."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.models import Procedure


def procedure_with_details(session: Session, code: str, *, active_only: bool = False) -> Procedure | None:
    """The procedure ``code`` with its channels, documents and legal bases loaded."""
    statement = (
        select(Procedure)
        .where(Procedure.code == code)
        .options(
            selectinload(Procedure.channels),
            selectinload(Procedure.documents),
            selectinload(Procedure.legal_bases),
        )
    )
    if active_only:
        statement = statement.where(Procedure.is_active.is_(True))
    return session.scalars(statement).first()
