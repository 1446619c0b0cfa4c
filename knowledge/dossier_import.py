"""Import dossiers from a CSV exported by the one-stop (một cửa) system.

The columns are described in ``docs/dossier-csv.md``. Each row creates a
dossier or updates the one with its receipt code; a status change goes
through ``knowledge.dossiers`` and becomes a ``DossierEvent``, so subscribed
citizens are told. An empty cell leaves the stored value as it is, so a file
with only ``ma_ho_so`` and ``trang_thai`` updates statuses.

Every row is planned first (every check, no write), then the plans are
applied. A dry run stops after planning: its report is the one the real run
would give. Rows with errors are reported and skipped; the others are
applied. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from knowledge import messages
from knowledge.dossier_csv import (
    CODE,
    DUE,
    NAME,
    NOTE,
    PHONE,
    PICKUP,
    PROCEDURE,
    RECEIVED,
    REQUIRED_FOR_NEW,
    STATUS,
    STEP,
    SUPPLEMENT_SEPARATORS,
    SUPPLEMENTS,
    CsvRow,
    DossierImportError,
    read_table,
)
from knowledge.dossier_fields import (
    MAX_PICKUP_PLACE,
    DossierError,
    applicant_name,
    check_deadline,
    clean_note,
    clean_phone,
    clean_text,
    parse_status,
    parse_when,
    receipt_code,
    status_label,
    stored_utc,
)
from knowledge.dossiers import (
    add_dossier,
    apply_status_change,
    find_dossiers,
    find_procedures,
    latest_event,
    phone_matches,
    plan_new_dossier,
    plan_status_change,
    set_phone,
)
from knowledge.models import Dossier, DossierStatus, EventSource, Procedure
from knowledge.models.base import utcnow

logger = logging.getLogger(__name__)

__all__ = [
    "DossierImportError",
    "DossierImportReport",
    "RowOutcome",
    "RowResult",
    "import_dossier_file",
    "import_dossiers",
]


class RowOutcome(StrEnum):
    """What the import did (or, in a dry run, would do) with a row."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class RowResult:
    """One row's outcome. ``detail`` is Vietnamese: an error's reason or what changed."""

    line: int
    receipt_code: str
    outcome: RowOutcome
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "receipt_code": self.receipt_code,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass
class DossierImportReport:
    """Every row's outcome, in file order; the same for a dry run and the real run."""

    dry_run: bool
    delimiter: str
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in RowOutcome}

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome is RowOutcome.ERROR]

    def summary(self, *, all_rows: bool = False) -> str:
        """Readable lines: the counts, then the errors and updates (every row with ``all_rows``)."""
        counts = self.counts
        lines = [
            messages.CSV_SUMMARY.format(
                rows=len(self.rows),
                created=counts["created"],
                updated=counts["updated"],
                unchanged=counts["unchanged"],
                errors=counts["error"],
            )
        ]
        if self.dry_run:
            lines.append(messages.CSV_DRY_RUN)
        if self.ignored_columns:
            lines.append(messages.CSV_IGNORED_COLUMNS.format(columns=", ".join(self.ignored_columns)))
        shown = {RowOutcome.ERROR, RowOutcome.UPDATED}
        for row in self.rows:
            if all_rows or row.outcome in shown:
                lines.append(
                    messages.CSV_ROW.format(
                        line=row.line,
                        code=row.receipt_code or "-",
                        outcome=messages.CSV_OUTCOME_LABELS[row.outcome.value],
                        detail=f": {row.detail}" if row.detail else "",
                    )
                )
        if self.errors and not self.dry_run and len(self.errors) < len(self.rows):
            lines.append(messages.CSV_ERRORS_KEPT_OTHERS)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": self.counts,
            "ignored_columns": self.ignored_columns,
            "rows": [row.to_json() for row in self.rows],
        }


# --------------------------------------------------------------------- planning

Apply = Callable[[Session], None]


@dataclass
class _Planner:
    """Plans rows against the database as it is before the import."""

    existing: dict[str, Dossier]
    procedures: dict[str, Procedure]
    update_phones: bool
    pattern: str | None
    now: datetime
    seen: dict[str, int] = field(default_factory=dict)

    def plan(self, row: CsvRow) -> tuple[RowResult, Apply | None]:
        written = row.cells.get(CODE, "")
        try:
            if row.overflow:
                raise DossierError(messages.CSV_TOO_MANY_CELLS)
            code = receipt_code(written, self.pattern)
            if code in self.seen:
                raise DossierError(messages.CSV_DUPLICATE_ROW.format(line=self.seen[code]))
            self.seen[code] = row.line
            dossier = self.existing.get(code)
            if dossier is None:
                return self._new(row, code)
            return self._update(row, code, dossier)
        except DossierError as error:
            return RowResult(row.line, written[:64], RowOutcome.ERROR, str(error)), None

    def _supplements(self, cells: dict[str, str]) -> list[str] | None:
        raw = cells.get(SUPPLEMENTS)
        if raw is None:
            return None
        for separator in SUPPLEMENT_SEPARATORS[1:]:
            raw = raw.replace(separator, SUPPLEMENT_SEPARATORS[0])
        return raw.split(SUPPLEMENT_SEPARATORS[0])

    def _new(self, row: CsvRow, code: str) -> tuple[RowResult, Apply | None]:
        cells = row.cells
        missing = [messages.CSV_FIELD_NAMES[name] for name in REQUIRED_FOR_NEW if name not in cells]
        if missing:
            raise DossierError(messages.CSV_MISSING_FOR_NEW.format(fields=", ".join(missing)))
        status = parse_status(cells[STATUS]) if STATUS in cells else DossierStatus.RECEIVED
        due = parse_when(cells[DUE], messages.FIELD_DUE_AT, end_of_day=True) if DUE in cells else None
        new = plan_new_dossier(
            code,
            self.procedures.get(cells[PROCEDURE]),
            cells[PROCEDURE],
            cells[NAME],
            cells[PHONE],
            parse_when(cells[RECEIVED], messages.FIELD_RECEIVED_AT),
            due,
            step=cells.get(STEP),
            note=cells.get(NOTE),
            status=status,
            supplements=self._supplements(cells) if status is DossierStatus.NEEDS_SUPPLEMENT else None,
            pickup_place=cells.get(PICKUP),
            pattern=self.pattern,
        )

        def apply(session: Session) -> None:
            add_dossier(session, new, status_at=self.now, source=EventSource.IMPORT)

        detail = status_label(new.status.value)
        return RowResult(row.line, code, RowOutcome.CREATED, detail), apply

    def _update(self, row: CsvRow, code: str, dossier: Dossier) -> tuple[RowResult, Apply | None]:
        cells = row.cells
        fields: dict[str, Any] = {}
        if NAME in cells:
            name = applicant_name(cells[NAME])
            if name != dossier.applicant_name:
                fields["applicant_name"] = name
        if PROCEDURE in cells and cells[PROCEDURE] != dossier.procedure.code:
            procedure = self.procedures.get(cells[PROCEDURE])
            if procedure is None:
                raise DossierError(messages.DOSSIER_UNKNOWN_PROCEDURE.format(code=cells[PROCEDURE][:32]))
            fields["procedure"] = procedure
        received = stored_utc(dossier.received_at)
        if RECEIVED in cells:
            new_received = parse_when(cells[RECEIVED], messages.FIELD_RECEIVED_AT)
            if new_received != received:
                fields["received_at"] = received = new_received
        due = stored_utc(dossier.due_at) if dossier.due_at is not None else None
        if DUE in cells:
            new_due = parse_when(cells[DUE], messages.FIELD_DUE_AT, end_of_day=True)
            if new_due != due:
                fields["due_at"] = due = new_due
        check_deadline(received, due)
        if PICKUP in cells:
            pickup = clean_text(cells[PICKUP], messages.FIELD_PICKUP_PLACE, MAX_PICKUP_PLACE)
            if pickup != dossier.pickup_place:
                fields["pickup_place"] = pickup
        phone: str | None = None
        if PHONE in cells and self.update_phones:
            phone = clean_phone(cells[PHONE])
            if phone_matches(dossier, phone):
                phone = None
        status = parse_status(cells[STATUS]) if STATUS in cells else parse_status(dossier.status)
        note = clean_note(cells.get(NOTE))
        last = latest_event(dossier)
        if note is not None and last is not None and last.note == note:
            note = None  # the note of the last change again: not news
        change = plan_status_change(
            dossier,
            status,
            note=note,
            step=cells.get(STEP),
            supplements=self._supplements(cells) if status is DossierStatus.NEEDS_SUPPLEMENT else None,
            occurred_at=self.now,
            source=EventSource.IMPORT,
        )

        changed = [messages.CHANGE_LABELS[name] for name in fields]
        if phone is not None:
            changed.append(messages.CHANGE_LABELS["phone"])
        if change is not None:
            for name in change.changes:
                if name == "status":
                    old, new = status_label(dossier.status), status_label(change.status.value)
                    changed.insert(0, messages.CHANGE_STATUS.format(old=old, new=new))
                else:
                    changed.append(messages.CHANGE_LABELS[name])
        if not changed:
            return RowResult(row.line, code, RowOutcome.UNCHANGED), None

        def apply(session: Session) -> None:
            if change is not None:
                apply_status_change(session, dossier, change)
            for name, value in fields.items():  # after the change, which keeps the old pickup place
                setattr(dossier, name, value)
            if phone is not None:
                set_phone(dossier, phone)

        return RowResult(row.line, code, RowOutcome.UPDATED, "; ".join(changed)), apply


def import_dossiers(
    session: Session,
    data: bytes | str,
    *,
    dry_run: bool = False,
    update_phones: bool = False,
    pattern: str | None = None,
    now: datetime | None = None,
) -> DossierImportReport:
    """Import a one-stop CSV export; with ``dry_run`` only report what it would do.

    Writes through ``session`` (flushed, not committed: the caller commits).
    ``update_phones`` also compares the phone numbers of existing dossiers
    (about 50 ms a row) and replaces the proof when the last 4 digits differ.
    Raises ``DossierImportError`` when the file itself cannot be read.
    """
    table = read_table(data)
    codes = []
    for row in table.rows:
        try:
            codes.append(receipt_code(row.cells.get(CODE, ""), pattern))
        except DossierError:
            continue
    planner = _Planner(
        existing=find_dossiers(session, codes),
        procedures=find_procedures(session, (row.cells.get(PROCEDURE, "") for row in table.rows)),
        update_phones=update_phones,
        pattern=pattern,
        now=now or utcnow(),
    )
    report = DossierImportReport(dry_run=dry_run, delimiter=table.delimiter, ignored_columns=table.ignored)
    applies: list[Apply] = []
    for row in table.rows:
        result, apply = planner.plan(row)
        report.rows.append(result)
        if apply is not None:
            applies.append(apply)
    if not dry_run:
        for apply in applies:
            apply(session)
        session.flush()
    counts = ", ".join(f"{name} {number}" for name, number in report.counts.items())
    logger.info("dossier import%s: %s", " (dry run)" if dry_run else "", counts)
    return report


def import_dossier_file(session: Session, path: Path, **options: Any) -> DossierImportReport:
    """``import_dossiers`` on a file."""
    return import_dossiers(session, path.read_bytes(), **options)
