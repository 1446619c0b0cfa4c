"""Import procedure records into the knowledge base (upsert by code).

``import_files(session, paths)`` reads records of either published format
(``procedures.jsonl``, ``procedures_structured.jsonl``, plain or ``.xz``) or
the knowledge base's own export, parses them and creates or updates one
``Procedure`` per code:

* re-importing the same data changes nothing (``source_hash`` per record);
* a field staff edited (``Procedure.edited_fields``) is never overwritten;
* records whose page belongs to another code (the 17 "mislabeled" ones) and
  unknown lines are skipped and reported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import export
from knowledge.models import LegalBasis, Procedure, RequiredDocument, SubmissionChannel
from knowledge.parsing.record import MislabeledRecordError, ParsedProcedure, parse_record
from knowledge.report import ImportReport
from knowledge.sources import read_records

logger = logging.getLogger(__name__)

# Bump when the parsers change: every record is then re-parsed on the next import.
PARSER_VERSION = "1"

# Editable field -> the columns it covers.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "levels": ("level_ministry", "level_province", "level_commune", "level_other", "levels_text"),
    "subjects": ("subjects", "subjects_text"),
    "steps": ("steps", "steps_text"),
    "results": ("results", "results_text"),
    "channels": ("channels_text",),
    "documents": ("documents_text",),
    "legal_bases": ("legal_bases_text",),
}
CHILDREN = ("channels", "documents", "legal_bases")


def source_hash(record: dict[str, Any]) -> str:
    """A fingerprint of the published record and the parser version."""
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{PARSER_VERSION}\n{canonical}".encode()).hexdigest()


def protected_columns(edited_fields: Iterable[str]) -> set[str]:
    """The columns an import must leave alone, given the fields staff edited."""
    columns: set[str] = set()
    for name in edited_fields:
        columns.update(FIELD_COLUMNS.get(name, (name,)))
    return columns


def _children(parsed: ParsedProcedure) -> dict[str, list[Any]]:
    return {
        "channels": [SubmissionChannel(position=i, **c.as_row()) for i, c in enumerate(parsed.channels)],
        "documents": [RequiredDocument(position=i, **d.as_row()) for i, d in enumerate(parsed.documents)],
        "legal_bases": [LegalBasis(position=i, **b.as_row()) for i, b in enumerate(parsed.legal_bases)],
    }


def apply(
    procedure: Procedure,
    values: dict[str, Any],
    children: dict[str, list[Any]],
    report: ImportReport | None = None,
) -> bool:
    """Set ``values`` and ``children`` on ``procedure`` except staff-edited fields.

    Returns True if anything changed.
    """
    edited = list(procedure.edited_fields or ())
    protected = protected_columns(edited)
    changed = False
    for column, value in values.items():
        if column in protected:
            if report is not None and getattr(procedure, column) != value:
                report.kept_edits[column] += 1
            continue
        if getattr(procedure, column) != value:
            setattr(procedure, column, value)
            changed = True
    for name, rows in children.items():
        if name in edited:
            if report is not None:
                report.kept_edits[name] += 1
            continue
        setattr(procedure, name, rows)
        changed = True
    return changed


def _upsert(
    session: Session,
    existing: dict[str, Procedure],
    code: str,
    values: dict[str, Any],
    make_children: Callable[[], dict[str, list[Any]]],
    digest: str,
    report: ImportReport,
) -> None:
    procedure = existing.get(code)
    if procedure is None:
        procedure = Procedure(code=code, is_active=True, edited_fields=[])
        apply(procedure, values, make_children())
        procedure.source_hash = digest
        session.add(procedure)
        existing[code] = procedure
        report.created += 1
        return
    if procedure.source_hash == digest:
        report.unchanged += 1
        return
    apply(procedure, values, make_children(), report)
    procedure.source_hash = digest
    report.updated += 1


def import_files(session: Session, paths: Iterable[Path], report: ImportReport | None = None) -> ImportReport:
    """Import every record of ``paths`` in one transaction (the caller commits)."""
    report = report or ImportReport()
    started = time.perf_counter()
    existing = {p.code: p for p in session.scalars(select(Procedure))}
    seen: set[str] = set()
    for path in paths:
        count = 0
        for line, record in read_records(path):
            count += 1
            report.read += 1
            if export.is_export(record):
                code = str(record.get("code", ""))
                if code in seen:
                    report.skip("duplicate_code_in_input", path, line, code)
                    continue
                seen.add(code)
                values, children, extra = export.from_export(record)
                _upsert(session, existing, code, values, partial(dict, children), source_hash(record), report)
                export.after_import(session, existing[code], extra)
                continue
            try:
                parsed = parse_record(record)
            except MislabeledRecordError:
                report.skip("mislabeled", path, line, record.get("ma_thu_tuc"))
                continue
            except (ValueError, KeyError, TypeError) as error:
                logger.warning("%s:%s: not imported (%s)", path.name, line, error)
                report.skip("unknown_format", path, line, None)
                continue
            if not parsed.code or not parsed.values.get("name"):
                report.skip("missing_code_or_name", path, line, parsed.code or None)
                continue
            if parsed.code in seen:
                report.skip("duplicate_code_in_input", path, line, parsed.code)
                continue
            seen.add(parsed.code)
            report.add_parsed(parsed)
            values = {**parsed.values, "raw_record": record, "parse_issues": parsed.issues}
            _upsert(
                session,
                existing,
                parsed.code,
                values,
                partial(_children, parsed),
                source_hash(record),
                report,
            )
        report.files.append({"path": str(path), "records": count})
        session.flush()
    report.duration_seconds = time.perf_counter() - started
    logger.info(
        "Imported %s records (%s new, %s updated, %s unchanged, %s skipped) in %.1f s",
        report.created + report.updated + report.unchanged,
        report.created,
        report.updated,
        report.unchanged,
        sum(report.skipped.values()),
        report.duration_seconds,
    )
    return report
