"""The audit log: every change staff make, with the values before and after."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import AuditEntry

logger = logging.getLogger(__name__)


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry (flushed with the change it describes, in the same transaction)."""
    entry = AuditEntry(
        actor=actor, action=action, entity=entity, entity_id=str(entity_id), before=before, after=after
    )
    session.add(entry)
    session.flush()
    logger.info("audit: %s %s %s #%s", actor, action, entity, entity_id)
    return entry


def history(session: Session, entity: str, entity_id: object, limit: int = 50) -> list[AuditEntry]:
    """The changes to one record, newest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
