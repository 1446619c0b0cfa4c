"""Staff edits of a procedure: the editable values as a snapshot, applied back.

The console shows and saves these values; the audit log keeps the snapshot
before and after each save, so any earlier version can be put back. Every
edited field is marked (``Procedure.mark_edited``) so that a re-import of the
national data does not overwrite it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from knowledge.models import Procedure, SubmissionChannel, TimeUnit

# Plain text fields staff edit; "steps" is a list of lines.
TEXT_FIELDS = (
    "name",
    "sector",
    "competent_agency",
    "executing_agency",
    "receiving_address",
    "conditions",
    "url",
)
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
TIME_UNITS = tuple(unit.value for unit in TimeUnit)


def snapshot(procedure: Procedure) -> dict[str, Any]:
    """The editable values of ``procedure`` (channels loaded), JSON-ready."""
    return {
        **{name: getattr(procedure, name) for name in TEXT_FIELDS},
        "steps": list(procedure.steps or []),
        "is_active": procedure.is_active,
        "channels": [
            {"id": channel.id, **{name: getattr(channel, name) for name in CHANNEL_FIELDS}}
            for channel in procedure.channels
        ],
    }


def _text(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def apply(procedure: Procedure, values: dict[str, Any]) -> list[str]:
    """Set the values given (a snapshot or a form's); returns the fields that changed.

    Raises ``ValueError`` with a Vietnamese message for an invalid value.
    """
    changed: list[str] = []
    for name in TEXT_FIELDS:
        if name in values:
            new = _text(values[name])
            if name == "name" and not new:
                raise ValueError("Tên thủ tục không được để trống.")
            if name == "url" and new and not new.startswith(("https://", "http://")):
                raise ValueError("Đường dẫn trang chính thức phải bắt đầu bằng http:// hoặc https://.")
            if new != getattr(procedure, name):
                setattr(procedure, name, new)
                changed.append(name)
    if "steps" in values:
        steps = [line for line in (_text(s) for s in values["steps"]) if line]
        if steps != list(procedure.steps or []):
            procedure.steps = steps
            changed.append("steps")
    if "is_active" in values and bool(values["is_active"]) != procedure.is_active:
        procedure.is_active = bool(values["is_active"])
        changed.append("is_active")
    by_id = {channel.id: channel for channel in procedure.channels}
    for given in values.get("channels") or []:
        channel = by_id.get(int(given["id"]))
        if channel is not None and _apply_channel(channel, given) and "channels" not in changed:
            changed.append("channels")
    if changed:
        procedure.mark_edited(*changed)
        procedure.updated_at = datetime.now(UTC)  # the search index and answers follow at once
    return changed


def _number(value: Any, label: str, *, money: bool = False) -> float | None:
    """A number typed the Vietnamese way: "150.000" (money: dots group thousands), "1,5"."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace(" ", "")
    text = text.replace(".", "").replace(",", "") if money else text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{label} phải là một số.") from None
    if number < 0:
        raise ValueError(f"{label} không được âm.")
    return number


def _apply_channel(channel: SubmissionChannel, given: dict[str, Any]) -> bool:
    before = {name: getattr(channel, name) for name in CHANNEL_FIELDS}
    if "fee_text" in given:
        channel.fee_text = _text(given["fee_text"])
    if "fee_note" in given:
        channel.fee_note = _text(given["fee_note"])
    if "fee_amount_vnd" in given:
        amount = _number(given["fee_amount_vnd"], "Lệ phí", money=True)
        channel.fee_amount_vnd = int(amount) if amount is not None else None
    if "fee_free" in given:
        channel.fee_free = bool(given["fee_free"]) if given["fee_free"] is not None else None
        if channel.fee_free:
            channel.fee_amount_vnd = 0
    if "time_value" in given:
        channel.time_value = _number(given["time_value"], "Thời hạn")
    if "time_max" in given:
        channel.time_max = _number(given["time_max"], "Thời hạn tối đa")
    if "time_unit" in given:
        unit = _text(given["time_unit"])
        if unit is not None and unit not in TIME_UNITS:
            raise ValueError("Đơn vị thời hạn không hợp lệ.")
        channel.time_unit = unit
    if "time_text" in given:
        channel.time_text = _text(given["time_text"])
    return before != {name: getattr(channel, name) for name in CHANNEL_FIELDS}
