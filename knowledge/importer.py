"""Import procedure records into the knowledge base (upsert by code).

``import_files(session, paths)`` reads records of either published format
(``procedures.jsonl``, ``procedures_structured.jsonl``, plain or ``.xz``) or
the knowledge base's own export, parses them and creates or updates one
``Procedure`` per code:

* re-importing the same data changes nothing (``source_hash`` per record);
* a field staff edited (``Procedure.edited_fields``) is never overwritten;
* records whose page belongs to another code (the 17 "mislabeled" ones),
  unknown records and lines that are not JSON objects are skipped and
  reported;
* the report names every procedure created or updated, with the fields the
  import changes and the staff-edited fields it keeps.

``preview_files(session, paths)`` tells the same without writing anything.
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
from knowledge.models.base import to_nfc
from knowledge.parsing.record import MislabeledRecordError, ParsedProcedure, parse_record
from knowledge.report import ImportReport, RecordChange
from knowledge.sources import read_lines

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
# Column -> the editable field it belongs to (columns not listed are their own field).
COLUMN_FIELDS: dict[str, str] = {
    column: name for name, columns in FIELD_COLUMNS.items() for column in columns
}
CHILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "channels": export.CHANNEL_COLUMNS,
    "documents": export.DOCUMENT_COLUMNS,
    "legal_bases": export.LEGAL_COLUMNS,
}
# The published record itself changes with every new version: not reported as a changed field.
RECORD_COLUMN = "raw_record"
# Errors a malformed record can raise while it is read; it is then skipped as "unknown_format".
RECORD_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


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


def _comparable(column: str, value: Any) -> Any:
    # Stored text is NFC (normalised on flush), the published record is kept as it came.
    return value if column == RECORD_COLUMN else to_nfc(value)


def _state(procedure: Procedure, columns: Iterable[str]) -> dict[str, Any]:
    """The stored values of ``columns`` and the child rows of ``procedure``, to compare."""
    state = {column: _comparable(column, getattr(procedure, column)) for column in columns}
    for name, child_columns in CHILD_COLUMNS.items():
        state[name] = [
            {c: to_nfc(getattr(row, c)) for c in child_columns} for row in getattr(procedure, name)
        ]
    return state


def _incoming(values: dict[str, Any], children: dict[str, list[Any]]) -> dict[str, Any]:
    """The values an import brings, in the shape of ``_state``."""
    state = {column: _comparable(column, value) for column, value in values.items()}
    for name, child_columns in CHILD_COLUMNS.items():
        state[name] = [{c: to_nfc(getattr(row, c)) for c in child_columns} for row in children.get(name, ())]
    return state


def _fields(keys: Iterable[str]) -> list[str]:
    return sorted({COLUMN_FIELDS.get(key, key) for key in keys if key != RECORD_COLUMN})


def describe_change(
    procedure: Procedure, values: dict[str, Any], children: dict[str, list[Any]]
) -> RecordChange | None:
    """What importing ``values`` and ``children`` into ``procedure`` changes, and keeps.

    None when every stored value would stay the same.
    """
    before = _state(procedure, values)
    after = _incoming(values, children)
    differing = [key for key, value in after.items() if before.get(key) != value]
    if not differing:
        return None
    edited = set(procedure.edited_fields or ())
    protected = protected_columns(edited) | (edited & set(CHILDREN))
    return RecordChange(
        code=procedure.code,
        name=procedure.name,
        fields=_fields(key for key in differing if key not in protected),
        kept=_fields(key for key in differing if key in protected),
    )


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
        report.created_records.append(RecordChange(code=code, name=to_nfc(procedure.name)))
        return
    if procedure.source_hash == digest:
        report.unchanged += 1
        report.unchanged_codes.append(code)
        return
    children = make_children()
    change = describe_change(procedure, values, children)
    procedure.source_hash = digest
    if change is None:  # a new version of the record (or of the parser) that stores the same values
        report.unchanged += 1
        report.unchanged_codes.append(code)
        return
    apply(procedure, values, children, report)
    change.name = to_nfc(procedure.name)
    report.updated += 1
    report.updated_records.append(change)


def import_files(
    session: Session, paths: Iterable[Path], report: ImportReport | None = None, *, flush: bool = True
) -> ImportReport:
    """Import every record of ``paths`` in one transaction (the caller commits).

    ``flush=False`` (for ``preview_files``) keeps every change in the session
    unsent; with autoflush off the database is then never written.
    """
    report = report or ImportReport()
    started = time.perf_counter()
    existing = {p.code: p for p in session.scalars(select(Procedure))}
    seen: set[str] = set()
    for path in paths:
        count = 0
        for line, record in read_lines(path):
            count += 1
            report.read += 1
            if record is None:
                report.skip("invalid_json", path, line, None)
                continue
            if export.is_export(record):
                code = str(record.get("code") or "")
                if not code:
                    report.skip("missing_code_or_name", path, line, None)
                    continue
                if code in seen:
                    report.skip("duplicate_code_in_input", path, line, code)
                    continue
                try:
                    values, children, extra = export.from_export(record)
                except RECORD_ERRORS as error:
                    logger.warning("%s:%s: not imported (%s)", path.name, line, error)
                    report.skip("unknown_format", path, line, code)
                    continue
                seen.add(code)
                _upsert(session, existing, code, values, partial(dict, children), source_hash(record), report)
                export.after_import(session, existing[code], extra)
                continue
            try:
                parsed = parse_record(record)
            except MislabeledRecordError:
                report.skip("mislabeled", path, line, record.get("ma_thu_tuc"))
                continue
            except RECORD_ERRORS as error:
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
        if flush:
            session.flush()
    report.duration_seconds = time.perf_counter() - started
    logger.info(
        "%s %s records (%s new, %s updated, %s unchanged, %s skipped) in %.1f s",
        "Imported" if flush else "Previewed",
        report.created + report.updated + report.unchanged,
        report.created,
        report.updated,
        report.unchanged,
        sum(report.skipped.values()),
        report.duration_seconds,
    )
    return report


def preview_files(session: Session, paths: Iterable[Path]) -> ImportReport:
    """What ``import_files`` would do with ``paths``, without writing anything.

    The import runs in memory (autoflush off, nothing flushed) and the session
    is rolled back at the end, so the database is neither changed nor locked
    for writing. Use a session of its own.
    """
    try:
        with session.no_autoflush:
            return import_files(session, paths, flush=False)
    finally:
        session.rollback()
