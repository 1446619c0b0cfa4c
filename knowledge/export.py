"""Export the knowledge base as JSON Lines that import reads back.

One line per procedure: every stored column (staff edits included), its
child rows, its aliases, the published record and the list of fields staff
edited. Importing an export into an empty database gives the same
procedures; importing it into a database that has staff edits keeps those
edits, as every import does.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.models import (
    Alias,
    AliasOrigin,
    LegalBasis,
    Procedure,
    RequiredDocument,
    SubmissionChannel,
)
from knowledge.models.base import utcnow
from nlu.textnorm import normalize

logger = logging.getLogger(__name__)

FORMAT = "tthc-knowledge/1"

PROCEDURE_COLUMNS: tuple[str, ...] = (
    "name",
    "sector",
    "level_ministry",
    "level_province",
    "level_commune",
    "level_other",
    "levels_text",
    "procedure_type",
    "subjects",
    "subjects_text",
    "competent_agency",
    "executing_agency",
    "delegated_agency",
    "coordinating_agency",
    "receiving_address",
    "steps",
    "steps_text",
    "conditions",
    "results",
    "results_text",
    "related_procedures",
    "decision_number",
    "url",
    "portal_id",
    "channels_text",
    "documents_text",
    "legal_bases_text",
    "source",
    "ministry",
    "raw_record",
    "parse_issues",
    "is_active",
)
CHANNEL_COLUMNS: tuple[str, ...] = (
    "channel",
    "channel_text",
    "time_value",
    "time_max",
    "time_unit",
    "time_text",
    "fee_text",
    "fee_free",
    "fee_amount",
    "fee_currency",
    "fee_amount_vnd",
    "fee_note",
    "fee_flags",
    "description",
)
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "group",
    "case_title",
    "name",
    "originals",
    "copies",
    "quantity_text",
    "template",
    "note",
)
LEGAL_COLUMNS: tuple[str, ...] = ("code", "title", "issued_on", "issuer")


def is_export(record: dict[str, Any]) -> bool:
    """True for a line written by ``export_procedures``."""
    return record.get("format") == FORMAT


def _row(obj: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    row = {column: getattr(obj, column) for column in columns}
    for key, value in row.items():
        if isinstance(value, date):
            row[key] = value.isoformat()
    return row


def procedure_record(procedure: Procedure) -> dict[str, Any]:
    """The export line of one procedure."""
    return {
        "format": FORMAT,
        "code": procedure.code,
        **_row(procedure, PROCEDURE_COLUMNS),
        "edited_fields": list(procedure.edited_fields or ()),
        "channels": [_row(c, CHANNEL_COLUMNS) for c in procedure.channels],
        "documents": [_row(d, DOCUMENT_COLUMNS) for d in procedure.documents],
        "legal_bases": [_row(b, LEGAL_COLUMNS) for b in procedure.legal_bases],
        "aliases": [{"text": a.text, "origin": a.origin} for a in procedure.aliases if a.is_active],
    }


def export_procedures(session: Session, out: IO[str], codes: list[str] | None = None) -> int:
    """Write every procedure (or those of ``codes``) to ``out``; returns how many."""
    import json

    statement = (
        select(Procedure)
        .options(
            selectinload(Procedure.channels),
            selectinload(Procedure.documents),
            selectinload(Procedure.legal_bases),
            selectinload(Procedure.aliases),
        )
        .order_by(Procedure.code)
    )
    if codes:
        statement = statement.where(Procedure.code.in_(codes))
    count = 0
    for procedure in session.scalars(statement):
        out.write(json.dumps(procedure_record(procedure), ensure_ascii=False, sort_keys=False))
        out.write("\n")
        count += 1
    logger.info("Exported %s procedures", count)
    return count


def from_export(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, Any]]:
    """Column values, child rows and extras (aliases, edited fields) of an export line."""
    values = {column: record.get(column) for column in PROCEDURE_COLUMNS if column in record}
    legal_rows = []
    for i, row in enumerate(record.get("legal_bases") or ()):
        row = {column: row.get(column) for column in LEGAL_COLUMNS}
        if row["issued_on"]:
            row["issued_on"] = date.fromisoformat(row["issued_on"])
        legal_rows.append(LegalBasis(position=i, **row))
    children: dict[str, list[Any]] = {
        "channels": [
            SubmissionChannel(position=i, **{c: row.get(c) for c in CHANNEL_COLUMNS})
            for i, row in enumerate(record.get("channels") or ())
        ],
        "documents": [
            RequiredDocument(position=i, **{c: row.get(c) for c in DOCUMENT_COLUMNS})
            for i, row in enumerate(record.get("documents") or ())
        ],
        "legal_bases": legal_rows,
    }
    extra = {"aliases": record.get("aliases") or [], "edited_fields": record.get("edited_fields") or []}
    return values, children, extra


def after_import(session: Session, procedure: Procedure, extra: dict[str, Any]) -> None:
    """Merge the export's edited fields and link its aliases to ``procedure``."""
    edited = set(procedure.edited_fields or ()) | set(extra.get("edited_fields") or ())
    if edited != set(procedure.edited_fields or ()):
        procedure.edited_fields = sorted(edited)
    for item in extra.get("aliases") or ():
        text = str(item.get("text") or "").strip()
        if not text:
            continue
        key = normalize(text)
        alias = session.scalar(select(Alias).where(Alias.normalized == key))
        if alias is None:
            alias = Alias(text=text, normalized=key, origin=item.get("origin") or AliasOrigin.STAFF.value)
            session.add(alias)
        if procedure not in alias.procedures:
            alias.procedures.append(procedure)
            alias.updated_at = utcnow()
