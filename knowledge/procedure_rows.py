"""The child rows of a procedure as staff edit them: submission channels, required documents, legal bases.

A row is kept as a JSON-ready dict of every stored column plus its ``id``
(``row_snapshot``). ``plan_rows`` checks a list of such dicts (whole ones from
a snapshot, or partial ones from a form) against the procedure's rows and
``carry_out`` makes the rows what the list says:

* a dict whose ``id`` is one of the procedure's rows updates that row (only
  the keys it has);
* a dict without an ``id``, or with the id of a row that is gone (an older
  snapshot, being put back), becomes a new row;
* rows the list does not name are deleted;
* positions follow the list's order.

Every value is checked before anything changes: the problems come back as
Vietnamese sentences, all of them, and the rows stay as they were.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from knowledge.directory_edit import InvalidEntryError, one_line
from knowledge.export import CHANNEL_COLUMNS, DOCUMENT_COLUMNS, LEGAL_COLUMNS
from knowledge.messages import CHANNEL_LABELS
from knowledge.models import (
    ChannelKind,
    DocumentGroup,
    LegalBasis,
    Procedure,
    RequiredDocument,
    SubmissionChannel,
    TimeUnit,
)

# The columns of each kind of row: the same as the export writes (knowledge/export.py).

CHANNEL_KINDS = tuple(kind.value for kind in ChannelKind)
TIME_UNITS = tuple(unit.value for unit in TimeUnit)
DOCUMENT_GROUPS = tuple(group.value for group in DocumentGroup)

TEXT_MAX = 5000  # a long free text (a document's name, a note)
SHORT_MAX = 255  # the String(255) columns
COUNT_MAX = 1000
_MONEY_UNIT = re.compile(r"(?i)(vnđ|vnd|đồng|đ)$")
_DATE_VN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return one_line(value if isinstance(value, str) else str(value)) or None


def _number(value: Any, label: str, *, money: bool = False) -> float | None:
    """A number typed the Vietnamese way: "150.000" or "150.000 đồng" (money: dots group thousands), "1,5"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} phải là một số.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if money:
            text = _MONEY_UNIT.sub("", text).replace(".", "").replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{label} phải là một số.") from None
    if not math.isfinite(number):
        raise ValueError(f"{label} phải là một số.")
    if number < 0:
        raise ValueError(f"{label} không được âm.")
    return number


def _count(value: Any, label: str) -> int | None:
    number = _number(value, label)
    if number is None:
        return None
    if not number.is_integer() or number > COUNT_MAX:
        raise ValueError(f"{label} phải là số nguyên từ 0 đến {COUNT_MAX}.")
    return int(number)


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("on", "1", "true", "yes")
    return bool(value)


def _date(value: Any) -> date | None:
    """A date as the audit keeps it (ISO) or as staff type it (dd/mm/yyyy)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE_VN.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("Ngày ban hành phải có dạng ngày/tháng/năm, ví dụ 15/11/2015.") from None


def _short(value: Any, label: str, limit: int = SHORT_MAX) -> str | None:
    text = _text(value)
    if text is not None and len(text) > limit:
        raise ValueError(f"{label} dài quá {limit} ký tự (hiện có {len(text)}).")
    return text


def quantity_text(originals: int | None, copies: int | None) -> str | None:
    """ "1 bản chính", "0 bản chính, 1 bản sao": the published way of counting copies."""
    if originals is None and copies is None:
        return None
    parts = [f"{originals or 0} bản chính"]
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts)


# ---------------------------------------------------------------------- checks
# Each returns the columns to set on the row (``row`` is None for a new one).


def _take(
    given: dict[str, Any],
    values: dict[str, Any],
    problems: list[str],
    checks: tuple[tuple[str, Callable[[Any], Any]], ...],
) -> None:
    """Check the values ``given`` has, one by one, into ``values``; collect the problems."""
    for name, check in checks:
        if name in given:
            try:
                values[name] = check(given[name])
            except ValueError as problem:
                problems.append(str(problem))


DOCUMENT_CHECKS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("group", lambda v: _choice(v, DOCUMENT_GROUPS, "Nhóm giấy tờ")),
    ("case_title", lambda v: _short(v, "Trường hợp", TEXT_MAX)),
    ("name", lambda v: _short(v, "Tên giấy tờ", TEXT_MAX)),
    ("originals", lambda v: _count(v, "Số bản chính")),
    ("copies", lambda v: _count(v, "Số bản sao")),
    ("quantity_text", lambda v: _short(v, "Số lượng")),
    ("template", lambda v: _short(v, "Mẫu đơn, tờ khai", TEXT_MAX)),
    ("note", lambda v: _short(v, "Ghi chú", TEXT_MAX)),
)
LEGAL_CHECKS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("code", lambda v: _short(v, "Số hiệu văn bản")),
    ("title", lambda v: _short(v, "Trích yếu", TEXT_MAX)),
    ("issued_on", _date),
    ("issuer", lambda v: _short(v, "Cơ quan ban hành")),
)
CHANNEL_CHECKS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("channel", lambda v: _choice(v, CHANNEL_KINDS, "Cách nộp", optional=True)),
    ("channel_text", lambda v: _short(v, "Tên cách nộp", 64)),
    ("time_value", lambda v: _number(v, "Thời hạn")),
    ("time_max", lambda v: _number(v, "Thời hạn tối đa")),
    ("time_unit", lambda v: _choice(v, TIME_UNITS, "Đơn vị thời hạn", optional=True)),
    ("time_text", lambda v: _short(v, "Thời hạn (văn bản)", TEXT_MAX)),
    ("fee_text", lambda v: _short(v, "Phí, lệ phí (văn bản)", TEXT_MAX)),
    ("fee_free", _flag),
    ("fee_amount", lambda v: _number(v, "Số tiền")),
    ("fee_currency", lambda v: _short(v, "Đơn vị tiền", 8)),
    ("fee_amount_vnd", lambda v: _number(v, "Lệ phí", money=True)),
    ("fee_note", lambda v: _short(v, "Ghi chú về phí", TEXT_MAX)),
    ("fee_flags", lambda v: [str(flag) for flag in v or ()]),
    ("description", lambda v: _short(v, "Mô tả", TEXT_MAX)),
)


def _check_document(given: dict[str, Any], row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    _take(given, values, problems, DOCUMENT_CHECKS)
    name = values.get("name", row.name if row is not None else None)
    if not name:
        problems.append("Hãy nhập tên giấy tờ.")
    if row is None:
        values.setdefault("group", DocumentGroup.SUBMIT.value)
    if "quantity_text" not in given and not problems:
        originals = values.get("originals", row.originals if row is not None else None)
        copies = values.get("copies", row.copies if row is not None else None)
        if row is None or (originals, copies) != (row.originals, row.copies):
            values["quantity_text"] = quantity_text(originals, copies)
    if problems:
        raise InvalidEntryError(problems)
    return values


def _check_legal_basis(given: dict[str, Any], row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    _take(given, values, problems, LEGAL_CHECKS)
    code = values.get("code", row.code if row is not None else None)
    title = values.get("title", row.title if row is not None else None)
    if not code and not title:
        problems.append("Hãy nhập số hiệu hoặc trích yếu của văn bản.")
    if problems:
        raise InvalidEntryError(problems)
    return values


def _check_channel(given: dict[str, Any], row: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    _take(given, values, problems, CHANNEL_CHECKS)
    if values.get("fee_amount_vnd") is not None:
        values["fee_amount_vnd"] = int(values["fee_amount_vnd"])
    kind = values.get("channel", row.channel if row is not None else None)
    if kind is None and not _text(given.get("channel")):
        problems.append("Hãy chọn cách nộp hồ sơ.")
    elif kind is not None and "channel_text" not in given and (row is None or kind != row.channel):
        values["channel_text"] = CHANNEL_LABELS[kind]
    low = values.get("time_value", row.time_value if row is not None else None)
    high = values.get("time_max", row.time_max if row is not None else None)
    checked = "time_value" in values or "time_max" in values
    if checked and low is not None and high is not None and high < low:
        problems.append("Thời hạn tối đa không được nhỏ hơn thời hạn.")
    if values.get("fee_free"):
        values["fee_amount_vnd"] = 0
    if row is None:
        values.setdefault("fee_flags", [])
    if problems:
        raise InvalidEntryError(problems)
    return values


def _choice(value: Any, allowed: tuple[str, ...], label: str, *, optional: bool = False) -> str | None:
    text = _text(value)
    if text is None and optional:
        return None
    if text not in allowed:
        raise ValueError(f"{label} không hợp lệ.")
    return text


# ---------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class RowKind:
    """One kind of child row: the relation, the model, its columns, how a dict is checked."""

    relation: str
    model: type[Any]
    columns: tuple[str, ...]
    label: str  # "Giấy tờ số 3: ..."
    check: Callable[[dict[str, Any], Any], dict[str, Any]]


KINDS: dict[str, RowKind] = {
    "channels": RowKind("channels", SubmissionChannel, CHANNEL_COLUMNS, "Cách nộp", _check_channel),
    "documents": RowKind("documents", RequiredDocument, DOCUMENT_COLUMNS, "Giấy tờ", _check_document),
    "legal_bases": RowKind("legal_bases", LegalBasis, LEGAL_COLUMNS, "Văn bản", _check_legal_basis),
}


def _ready(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def row_snapshot(kind: str, row: Any) -> dict[str, Any]:
    """One child row, JSON-ready, with its id."""
    return {"id": row.id, **{column: _ready(getattr(row, column)) for column in KINDS[kind].columns}}


def rows_snapshot(procedure: Procedure, kind: str) -> list[dict[str, Any]]:
    """The rows of ``kind`` of ``procedure``, in order."""
    return [row_snapshot(kind, row) for row in getattr(procedure, kind)]


Plan = list[tuple[Any, dict[str, Any]]]


def plan_rows(procedure: Procedure, kind: str, given: list[dict[str, Any]], problems: list[str]) -> Plan:
    """The rows ``given`` asks for, checked: (existing row or None, columns to set) each.

    Problems are added to ``problems``, prefixed with the row's number.
    """
    spec = KINDS[kind]
    existing = {row.id: row for row in getattr(procedure, kind)}
    plan: Plan = []
    for number, item in enumerate(given, start=1):
        raw_id = item.get("id")
        row = existing.pop(int(raw_id), None) if raw_id not in (None, "") else None
        if row is not None:
            # Only what differs is checked: a published value the checks would refuse
            # (a time range upside down) must not block an edit of another value.
            current = row_snapshot(kind, row)
            item = {key: value for key, value in item.items() if key != "id" and current.get(key) != value}
            if not item:
                plan.append((row, {}))
                continue
        try:
            plan.append((row, spec.check(item, row)))
        except InvalidEntryError as found:
            problems.extend(f"{spec.label} số {number}: {problem}" for problem in found.problems)
    return plan


def carry_out(procedure: Procedure, kind: str, plan: Plan) -> bool:
    """Make the rows of ``kind`` what ``plan`` says; True when anything changed."""
    spec = KINDS[kind]
    before = [_content(spec, row) for row in getattr(procedure, kind)]
    rows = []
    for position, (row, values) in enumerate(plan):
        target = row if row is not None else spec.model()
        for column, value in values.items():
            setattr(target, column, value)
        target.position = position
        rows.append(target)
    setattr(procedure, kind, rows)
    return before != [_content(spec, row) for row in rows]


def _content(spec: RowKind, row: Any) -> dict[str, Any]:
    return {column: _ready(getattr(row, column)) for column in spec.columns}


def check_row(kind: str, given: dict[str, Any], row: Any = None) -> dict[str, Any]:
    """The columns of one row of ``kind`` (a new one when ``row`` is None) from ``given``.

    Raises ``InvalidEntryError`` listing every problem, in Vietnamese.
    """
    return KINDS[kind].check(given, row)
