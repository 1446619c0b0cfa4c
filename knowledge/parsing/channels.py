"""Submission channels ("Cách thức thực hiện"): channel, time, fee, note.

Published as one glued string: the header, then per row the channel name,
the processing time (number + unit, a bare number, or text), the fee cell,
an optional ``(note)`` and an optional description::

    Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việc2,000 Việt Nam Đồng(2.000 đồng/thẻ)

A bare time glued to an amount ("Trực tiếp1100 VNĐ(... 100.000 đồng)") is
split as the shortest time before a well-formed amount (1 + 100), checked
against the note when it can be; the row is flagged ``time_amount_split``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.models.procedure import ChannelKind, TimeUnit
from knowledge.parsing import fees
from knowledge.parsing.fees import Fee
from knowledge.parsing.text import NO_INFORMATION, balanced_end, clean

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"

CHANNEL_NAMES: dict[str, ChannelKind] = {
    "Trực tiếp": ChannelKind.IN_PERSON,
    "Trực tuyến": ChannelKind.ONLINE,
    "Dịch vụ bưu chính": ChannelKind.POSTAL,
}
UNITS: dict[str, TimeUnit] = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.DAYS,
    "giờ": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
}

FLAG_SPLIT = "time_amount_split"
FLAG_NOTE_CUT = "note_cut"
FLAG_NOTE_UNBALANCED = "note_unbalanced"
FLAG_NO_FEE = "fee_not_found"

_CHANNEL_RE = re.compile("|".join(CHANNEL_NAMES))
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIMED_RE = re.compile(
    rf"(?P<value>{_NUMBER})(?:\s*-\s*(?P<max>{_NUMBER}))?\s*(?P<unit>Ngày làm việc|Ngày|Giờ|Tháng)",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d[\d,.]*")
_AMOUNT_RE = re.compile(r"[1-9]\d{0,2}(?:,\d{3})*|0")
_FEE_START_RE = re.compile(r"Miễn phí|Không có thông tin|(?:\d[\d,.]*\s*)?(?:Việt Nam Đồng|VNĐ|USD)")


@dataclass
class Channel:
    """One submission channel row; ``*_text`` are the published cells."""

    kind: ChannelKind
    channel_text: str
    time_value: float | None = None
    time_max: float | None = None
    time_unit: TimeUnit | None = None
    time_text: str | None = None
    fee: Fee = field(default_factory=Fee)
    description: str | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def time_parsed(self) -> bool:
        """True when the processing time is a number (with or without unit)."""
        return self.time_value is not None

    def as_row(self) -> dict[str, Any]:
        """The column values of a ``SubmissionChannel``."""
        return {
            "channel": self.kind.value,
            "channel_text": self.channel_text,
            "time_value": self.time_value,
            "time_max": self.time_max,
            "time_unit": self.time_unit.value if self.time_unit else None,
            "time_text": self.time_text,
            "fee_text": self.fee.text,
            "fee_free": self.fee.free,
            "fee_amount": self.fee.amount,
            "fee_currency": self.fee.currency,
            "fee_amount_vnd": self.fee.amount_vnd,
            "fee_note": self.fee.note,
            "fee_flags": [*self.fee.flags, *self.flags],
            "description": self.description,
        }


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_time(text: str | None) -> tuple[float | None, float | None, TimeUnit | None]:
    """A processing time: "7 Ngày làm việc" -> (7, None, WORKING_DAYS); "1" -> (1, None, None)."""
    text = clean(text)
    match = _TIMED_RE.fullmatch(text)
    if match:
        maximum = _number(match.group("max")) if match.group("max") else None
        return _number(match.group("value")), maximum, UNITS[match.group("unit").lower()]
    match = re.fullmatch(rf"(?P<value>{_NUMBER})(?:\s*-\s*(?P<max>{_NUMBER}))?", text)
    if match:
        maximum = _number(match.group("max")) if match.group("max") else None
        return _number(match.group("value")), maximum, None
    return None, None, None


def _split_time_and_amount(digits: str, note: str | None) -> tuple[str, str] | None:
    """Split glued digits "1100" into a bare time and a fee amount ("1", "100")."""
    candidates = [
        (digits[:k], digits[k:])
        for k in range(1, len(digits))
        if digits[:k].isdigit() and _AMOUNT_RE.fullmatch(digits[k:])
    ]
    if not candidates:
        return None
    stated = set(fees.note_amounts(note))
    for time, amount in candidates:
        value = int(amount.replace(",", ""))
        if value in stated or value * 1000 in stated:
            return time, amount
    return candidates[0]


def _note_after(body: str, index: int) -> tuple[str | None, int, str | None]:
    """The bracketed note starting at ``body[index]``: (note, end, problem).

    A bracket never closed ends at the next row (``note_unbalanced``), or at
    the end of the text, which the source then cut short (``note_cut``).
    """
    if index >= len(body) or body[index] != "(":
        return None, index, None
    end = balanced_end(body, index)
    if end is not None:
        return body[index + 1 : end - 1], end, None
    following = [m.start() for m in _row_starts(body) if m.start() > index]
    if following:
        return body[index + 1 : following[0]], following[0], FLAG_NOTE_UNBALANCED
    rest = body[index + 1 :]
    return rest, len(body), (FLAG_NOTE_UNBALANCED if rest.strip() else FLAG_NOTE_CUT)


def _row_starts(body: str) -> list[re.Match[str]]:
    """Channel names that open a row: at the start, or glued to a number or capital."""
    starts = []
    for match in _CHANNEL_RE.finditer(body):
        following = body[match.end() : match.end() + 1]
        if match.start() == 0 or (following and (following.isdigit() or following.isupper())):
            starts.append(match)
    return starts


def _parse_row(kind: ChannelKind, name: str, body: str, start: int) -> tuple[Channel, int]:
    """Parse the row whose cells begin at ``body[start]``; returns it and where it ends."""
    row = Channel(kind=kind, channel_text=name)
    rest = body[start:]
    fee_at: int | None = None
    timed = _TIMED_RE.match(rest)
    digits = _DIGITS_RE.match(rest)
    if timed:
        row.time_text = clean(timed.group(0))
        fee_at = timed.end()
    elif digits and re.match(r"\s*(?:Miễn phí|Không có thông tin)", rest[digits.end() :]):
        row.time_text = digits.group(0)
        fee_at = digits.end()
    elif digits and re.match(r"\s*(?:Việt Nam Đồng|VNĐ|USD)", rest[digits.end() :]):
        currency = re.match(r"\s*(?:Việt Nam Đồng|VNĐ|USD)", rest[digits.end() :])
        assert currency is not None
        after = digits.end() + currency.end()
        glued_note, _, _ = _note_after(rest, after)
        split = _split_time_and_amount(digits.group(0), glued_note)
        if split is not None:
            row.time_text = split[0]
            row.flags.append(FLAG_SPLIT)
            fee_at = len(split[0])
    elif rest.startswith(NO_INFORMATION):
        row.time_text = NO_INFORMATION
        fee_at = len(NO_INFORMATION)
    else:
        found = _FEE_START_RE.search(rest)
        if found:
            row.time_text = clean(rest[: found.start()]) or None
            fee_at = found.start()
    row.time_value, row.time_max, row.time_unit = parse_time(row.time_text)

    end = start + (fee_at or 0)
    cell = fees.CELL_RE.match(body, end) if fee_at is not None else None
    note: str | None = None
    if cell is not None and cell.group(0):
        end = cell.end()
        note, end, problem = _note_after(body, end)
        if problem:
            row.flags.append(problem)
        row.fee = fees.parse_cell(cell.group(0), note)
    else:
        row.flags.append(FLAG_NO_FEE)
    following = [m.start() for m in _row_starts(body) if m.start() >= end]
    stop = following[0] if following else len(body)
    row.description = clean(body[end:stop]) or None
    return row, stop


def parse_glued(text: str | None) -> list[Channel]:
    """Parse the published "Cách thức thực hiện" string into rows."""
    body = clean(text).replace("\n", " ")
    if body.startswith(HEADER):
        body = body[len(HEADER) :]
    rows: list[Channel] = []
    position = 0
    while True:
        starts = [m for m in _row_starts(body) if m.start() >= position]
        if not starts:
            break
        match = starts[0]
        row, position = _parse_row(CHANNEL_NAMES[match.group(0)], match.group(0), body, match.end())
        rows.append(row)
    return rows


def channel_kind(name: str) -> ChannelKind | None:
    """The kind of a channel name as the structured file writes it."""
    folded = clean(name).lower()
    for label, kind in CHANNEL_NAMES.items():
        if label.lower() in folded:
            return kind
    return None


def parse_structured(rows: list[dict[str, Any]]) -> list[Channel]:
    """Rows of ``tables.hinh_thuc_nop`` of the structured file."""
    channels: list[Channel] = []
    for item in rows:
        name = clean(item.get("hinh_thuc"))
        kind = channel_kind(name)
        if kind is None:
            continue
        row = Channel(kind=kind, channel_text=name)
        row.time_text = clean(item.get("thoi_han_giai_quyet")) or None
        row.time_value, row.time_max, row.time_unit = parse_time(row.time_text)
        row.fee = fees.parse_structured(item.get("phi_le_phi"))
        row.description = clean(item.get("mo_ta")) or None
        channels.append(row)
    return channels
