"""The import report: what was imported, what was parsed, what stayed text.

Saved as JSON under ``var/`` and printed as a short summary (Vietnamese, for
the staff who run the import).
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from knowledge import messages
from knowledge.models.base import utcnow
from knowledge.parsing.record import EMPTY, PARSED, TEXT_ONLY, ParsedProcedure

logger = logging.getLogger(__name__)

# Codes listed per trap in the report (at most this many each).
MAX_LISTED = 200


@dataclass
class RecordChange:
    """One procedure an import creates or updates, and which of its fields."""

    code: str
    name: str
    # Fields the import changes (``EDITABLE_FIELDS`` names, or column names).
    fields: list[str] = field(default_factory=list)
    # Fields staff edited whose published value differs: the import keeps the staff's.
    kept: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "fields": self.fields, "kept": self.kept}


@dataclass
class ImportReport:
    """Counters filled while importing; ``as_dict`` is the saved JSON."""

    started_at: datetime = field(default_factory=utcnow)
    duration_seconds: float = 0.0
    files: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_records: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reasons: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    channel_rows: Counter[str] = field(default_factory=Counter)
    time_units: Counter[str] = field(default_factory=Counter)
    fee_kinds: Counter[str] = field(default_factory=Counter)
    fee_flags: Counter[str] = field(default_factory=Counter)
    trap_codes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    document_rows: Counter[str] = field(default_factory=Counter)
    legal_rows: Counter[str] = field(default_factory=Counter)
    cuts: Counter[str] = field(default_factory=Counter)
    cut_records: list[dict[str, Any]] = field(default_factory=list)
    kept_edits: Counter[str] = field(default_factory=Counter)
    aliases: dict[str, Any] = field(default_factory=dict)
    created_records: list[RecordChange] = field(default_factory=list)
    updated_records: list[RecordChange] = field(default_factory=list)
    unchanged_codes: list[str] = field(default_factory=list)

    def skip(self, reason: str, path: Path, line: int, code: str | None) -> None:
        """Count a record that was not imported, and why."""
        self.skipped[reason] += 1
        self.skipped_records.append({"file": path.name, "line": line, "code": code, "reason": reason})

    def _trap(self, flag: str, code: str) -> None:
        codes = self.trap_codes[flag]
        if (not codes or codes[-1] != code) and len(codes) < MAX_LISTED:
            codes.append(code)

    def add_parsed(self, parsed: ParsedProcedure) -> None:
        """Count what the parser made of one record."""
        for name, (status, reason) in parsed.status.items():
            self.fields[name][status] += 1
            if reason:
                self.reasons[name][reason] += 1
        for channel in parsed.channels:
            self.channel_rows["rows"] += 1
            if channel.time_unit is not None:
                self.channel_rows["time_with_unit"] += 1
                self.time_units[channel.time_unit.value] += 1
            elif channel.time_value is not None:
                self.channel_rows["time_bare_number"] += 1
                self.time_units["bare_number"] += 1
                self._trap("bare_number_time", parsed.code)
            else:
                self.channel_rows["time_text_only"] += 1
            fee = channel.fee
            if fee.free:
                kind = "free"
            elif fee.amount is not None:
                kind = "amount_vnd" if fee.currency == "VND" else "amount_other_currency"
            elif "no_information" in fee.flags:
                kind = "no_information"
            elif fee.text is None:
                kind = "missing"
            else:
                kind = "text_only"
            self.fee_kinds[kind] += 1
            for flag in [*fee.flags, *channel.flags]:
                self.fee_flags[flag] += 1
                if flag != "no_information":
                    self._trap(flag, parsed.code)
        for document in parsed.documents:
            self.document_rows["rows"] += 1
            self.document_rows[f"group_{document.group.value}"] += 1
            if document.template:
                self.document_rows["with_template"] += 1
            if document.originals is not None or document.copies is not None:
                self.document_rows["with_quantity"] += 1
        for basis in parsed.legal_bases:
            self.legal_rows["rows"] += 1
            if basis.code:
                self.legal_rows["with_code"] += 1
            if not basis.title:
                self.legal_rows["without_title"] += 1
        if parsed.cuts:
            for name in parsed.cuts:
                self.cuts[name] += 1
            self.cut_records.append({"code": parsed.code, "fields": parsed.cuts})

    def field_summary(self) -> dict[str, dict[str, Any]]:
        """Per parsed field: counts by status, share parsed, reasons."""
        out: dict[str, dict[str, Any]] = {}
        for name, counts in self.fields.items():
            total = sum(counts.values())
            with_text = counts[PARSED] + counts[TEXT_ONLY]
            out[name] = {
                PARSED: counts[PARSED],
                TEXT_ONLY: counts[TEXT_ONLY],
                EMPTY: counts[EMPTY],
                "parsed_percent_of_records": round(100 * counts[PARSED] / total, 1) if total else 0.0,
                "parsed_percent_of_non_empty": round(100 * counts[PARSED] / with_text, 1)
                if with_text
                else 0.0,
                "text_only_reasons": dict(self.reasons[name]),
            }
        return out

    def as_dict(self) -> dict[str, Any]:
        """The report as saved."""
        return {
            "started_at": self.started_at.isoformat(),
            "duration_seconds": round(self.duration_seconds, 2),
            "files": self.files,
            "records": {
                "read": self.read,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "imported": self.created + self.updated + self.unchanged,
                "skipped": dict(self.skipped),
            },
            "skipped_records": self.skipped_records,
            "fields": self.field_summary(),
            "channel_rows": {
                **dict(self.channel_rows),
                "time_units": dict(self.time_units),
                "fees": dict(self.fee_kinds),
                "flags": dict(self.fee_flags),
            },
            "fee_and_time_traps": {flag: codes for flag, codes in self.trap_codes.items()},
            "document_rows": dict(self.document_rows),
            "legal_basis_rows": dict(self.legal_rows),
            "section_cuts": {
                "records": len(self.cut_records),
                "by_field": dict(self.cuts),
                "repair": "sections re-cut from raw_text and parsed; published fields kept in raw_record",
                "list": self.cut_records,
            },
            "staff_edits_kept": dict(self.kept_edits),
            "aliases": self.aliases,
            "changes": {
                "created": [change.code for change in self.created_records],
                "updated": [
                    {"code": change.code, "fields": change.fields, "kept": change.kept}
                    for change in self.updated_records
                ],
            },
        }

    def save(self, directory: Path) -> Path:
        """Write the JSON report under ``directory``; returns its path."""
        directory.mkdir(parents=True, exist_ok=True)
        stamp = self.started_at.strftime("%Y%m%d-%H%M%S")
        path = directory / f"import-report-{stamp}.json"
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        logger.info("Import report saved to %s", path)
        return path

    def summary(self) -> str:
        """A readable summary for the console (Vietnamese)."""
        return messages.import_summary(self.as_dict())
