"""Staff edits of a procedure: the editable values as a snapshot, applied back.

The console shows and saves these values; the audit log keeps the snapshot
before and after each save, so any earlier version can be put back. Every
edited field is marked (``Procedure.mark_edited``) so that a re-import of the
national data does not overwrite it (``channels``, ``documents`` and
``legal_bases`` protect the whole child table). A save also moves
``Procedure.updated_at``, which the servers' search watches: the bot's
answers and its search follow within seconds, without a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from knowledge import audit
from knowledge.directory_edit import InvalidEntryError, is_web_address, one_line
from knowledge.models import Procedure
from knowledge.procedure_rows import KINDS, carry_out, plan_rows, rows_snapshot
from knowledge.queries import procedure_with_details
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE

ENTITY = "procedure"

# Plain text fields staff edit, with the longest value each column takes (None: no limit).
TEXT_LIMITS: dict[str, int | None] = {
    "name": None,
    "sector": 255,
    "procedure_type": 255,
    "competent_agency": None,
    "executing_agency": None,
    "delegated_agency": None,
    "coordinating_agency": None,
    "receiving_address": None,
    "conditions": None,
    "related_procedures": None,
    "decision_number": 255,
    "url": 512,
}
TEXT_FIELDS = tuple(TEXT_LIMITS)
# Lists of lines: one step, one subject per line.
LINE_FIELDS = ("steps", "subjects")
ROW_FIELDS = tuple(KINDS)  # channels, documents, legal_bases
# The fee and time of a channel, as the edit page shows them.
CHANNEL_FIELDS = (
    "fee_text",
    "fee_amount_vnd",
    "fee_free",
    "fee_note",
    "time_value",
    "time_max",
    "time_unit",
    "time_text",
)
# Level label -> the column of its flag.
LEVEL_COLUMNS = {
    LEVEL_MINISTRY: "level_ministry",
    LEVEL_PROVINCE: "level_province",
    LEVEL_COMMUNE: "level_commune",
    LEVEL_OTHER: "level_other",
}
FIELD_LABELS = {
    "name": "Tên thủ tục",
    "sector": "Lĩnh vực",
    "levels": "Cấp thực hiện",
    "procedure_type": "Loại thủ tục",
    "subjects": "Đối tượng thực hiện",
    "competent_agency": "Cơ quan có thẩm quyền",
    "executing_agency": "Cơ quan thực hiện",
    "delegated_agency": "Cơ quan được ủy quyền",
    "coordinating_agency": "Cơ quan phối hợp",
    "receiving_address": "Địa chỉ tiếp nhận",
    "conditions": "Yêu cầu, điều kiện",
    "steps": "Trình tự thực hiện",
    "results": "Kết quả thực hiện",
    "related_procedures": "Thủ tục liên quan",
    "decision_number": "Số quyết định công bố",
    "url": "Trang chính thức",
    "is_active": "Trạng thái",
    "channels": "Cách nộp, thời hạn, phí",
    "documents": "Thành phần hồ sơ",
    "legal_bases": "Căn cứ pháp lý",
}
LINE_MAX = 5000


def snapshot(procedure: Procedure) -> dict[str, Any]:
    """The editable values of ``procedure`` (child rows loaded), JSON-ready."""
    return {
        **{name: getattr(procedure, name) for name in TEXT_FIELDS},
        "levels": list(procedure.levels),
        "subjects": list(procedure.subjects or []),
        "steps": list(procedure.steps or []),
        "results": [{"name": r.get("name"), "code": r.get("code")} for r in procedure.results or []],
        "is_active": procedure.is_active,
        **{kind: rows_snapshot(procedure, kind) for kind in ROW_FIELDS},
    }


def is_snapshot(values: dict[str, Any] | None) -> bool:
    """True for the values ``snapshot`` wrote (an audit entry that can be put back)."""
    return values is not None and "name" in values and "channels" in values


def _text(name: str, value: Any, problems: list[str]) -> str | None:
    text = one_line(value if isinstance(value, str) else "" if value is None else str(value)) or None
    label = FIELD_LABELS[name]
    limit = TEXT_LIMITS[name]
    if name == "name" and not text:
        problems.append("Tên thủ tục không được để trống.")
    elif limit is not None and text is not None and len(text) > limit:
        problems.append(f"{label} dài quá {limit} ký tự (hiện có {len(text)}).")
    elif name == "url" and text and not is_web_address(text):
        problems.append("Đường dẫn trang chính thức phải bắt đầu bằng http:// hoặc https://.")
    return text


def _lines(name: str, value: Any, problems: list[str]) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else list(value or ())
    lines = [line for line in (one_line(str(item)) for item in items) if line]
    for line in lines:
        if len(line) > LINE_MAX:
            problems.append(f"{FIELD_LABELS[name]}: một dòng dài quá {LINE_MAX} ký tự.")
            break
    return lines


def _levels(value: Any, problems: list[str]) -> set[str]:
    levels = {one_line(str(item)) for item in (value or ())} - {""}
    unknown = levels - set(LEVEL_COLUMNS)
    if unknown:
        problems.append("Cấp thực hiện không hợp lệ: " + ", ".join(sorted(unknown)) + ".")
    return levels & set(LEVEL_COLUMNS)


def _results(value: Any, current: Iterable[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    """Result documents from lines (codes kept for names already there) or from a snapshot."""
    codes = {r.get("name"): r.get("code") for r in current}
    results = []
    items = value.splitlines() if isinstance(value, str) else list(value or ())
    for item in items:
        given = item if isinstance(item, dict) else {"name": item}
        name = one_line(str(given.get("name") or ""))
        if not name:
            continue
        if len(name) > LINE_MAX:
            problems.append(f"{FIELD_LABELS['results']}: một dòng dài quá {LINE_MAX} ký tự.")
        code = given["code"] if "code" in given else codes.get(name)
        results.append({"name": name, "code": code})
    return results


def _current(procedure: Procedure, name: str) -> Any:
    if name == "levels":
        return list(procedure.levels)
    if name in ROW_FIELDS:
        return None  # rows are compared one by one (procedure_rows.plan_rows)
    return getattr(procedure, name, None)


def apply(procedure: Procedure, values: dict[str, Any]) -> list[str]:
    """Set the values given (a snapshot, or part of one); returns the fields that changed.

    Every value is checked first; ``InvalidEntryError`` lists the problems,
    in Vietnamese, and then nothing is changed.
    """
    problems: list[str] = []
    # Only what differs is checked and set: a stored value given back as it is stays untouched.
    given = {name: value for name, value in values.items() if value != _current(procedure, name)}
    texts = {name: _text(name, given[name], problems) for name in TEXT_FIELDS if name in given}
    lines = {name: _lines(name, given[name], problems) for name in LINE_FIELDS if name in given}
    levels = _levels(given["levels"], problems) if "levels" in given else None
    results = _results(given["results"], procedure.results or (), problems) if "results" in given else None
    plans = {kind: plan_rows(procedure, kind, given[kind], problems) for kind in ROW_FIELDS if kind in given}
    if problems:
        raise InvalidEntryError(problems)

    changed: list[str] = []
    for name, text in texts.items():
        if text != getattr(procedure, name):
            setattr(procedure, name, text)
            changed.append(name)
    for name, new_lines in lines.items():
        if new_lines != list(getattr(procedure, name) or []):
            setattr(procedure, name, new_lines)
            changed.append(name)
    if levels is not None and levels != set(procedure.levels):
        for label, column in LEVEL_COLUMNS.items():
            setattr(procedure, column, label in levels)
        changed.append("levels")
    if results is not None and results != list(procedure.results or []):
        procedure.results = results
        changed.append("results")
    if "is_active" in given and bool(given["is_active"]) != procedure.is_active:
        procedure.is_active = bool(given["is_active"])
        changed.append("is_active")
    for kind, plan in plans.items():
        if carry_out(procedure, kind, plan):
            changed.append(kind)
    if changed:
        procedure.mark_edited(*changed)
        procedure.updated_at = datetime.now(UTC)  # the search index and answers follow at once
    return changed


def load(session: Session, code: str) -> Procedure:
    """The procedure ``code`` with its child rows; raises ``LookupError``."""
    procedure = procedure_with_details(session, code)
    if procedure is None:
        raise LookupError(code)
    return procedure


def save(session: Session, code: str, values: dict[str, Any], actor: str, action: str = "edit") -> list[str]:
    """Apply ``values`` to the procedure ``code`` and audit the change as ``action``.

    Returns the fields that changed (nothing is written when none did).
    Raises ``LookupError`` for an unknown code, ``InvalidEntryError`` for bad values.
    """
    procedure = load(session, code)
    before = snapshot(procedure)
    changed = apply(procedure, values)
    if changed:
        session.flush()  # new rows get their ids before the snapshot
        audit.record(session, actor, action, ENTITY, code, before=before, after=snapshot(procedure))
    return changed


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The fields two snapshots differ in (for the history), in the order of ``FIELD_LABELS``."""
    if before is None or after is None or not is_snapshot(before) or not is_snapshot(after):
        return []
    return [name for name in FIELD_LABELS if name in before and name in after and before[name] != after[name]]
