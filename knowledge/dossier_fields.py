"""Dossier values as staff and one-stop systems write them, checked and tidied.

Receipt codes, statuses (codes, our labels, common one-stop labels), phone
numbers, dates and free text. Every function raises ``DossierError``, whose
message is Vietnamese and tells staff (or the sending system) what to fix;
no message repeats an applicant's name or phone number.

Times are returned in UTC. A time written without a zone is Vietnam time
(UTC+7, no daylight saving).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta, timezone

from knowledge import messages
from knowledge.models import DossierStatus
from knowledge.receipt_codes import normalize_receipt_code
from nlu.textnorm import fold

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
# A date without a time: the start of the office day for a receipt, its end for a deadline.
# Both fall on the same calendar day in Vietnam and in UTC.
DAY_START = time(7, 0)
DAY_END = time(17, 0)

MAX_NAME = 255
MAX_STEP = 500
MAX_NOTE = 2000
MAX_PICKUP_PLACE = 500
MAX_SUPPLEMENTS = 30
MAX_SUPPLEMENT = 500
PHONE_DIGITS = (9, 11)

# Labels one-stop systems use besides ours (STATUS_LABELS), folded (no diacritics, lower case).
STATUS_SYNONYMS: dict[str, DossierStatus] = {
    "moi tiep nhan": DossierStatus.RECEIVED,
    "tiep nhan": DossierStatus.RECEIVED,
    "dang xu ly": DossierStatus.IN_PROGRESS,
    "dang tham dinh": DossierStatus.IN_PROGRESS,
    "cho bo sung": DossierStatus.NEEDS_SUPPLEMENT,
    "yeu cau bo sung": DossierStatus.NEEDS_SUPPLEMENT,
    "bo sung ho so": DossierStatus.NEEDS_SUPPLEMENT,
    "da co ket qua": DossierStatus.READY,
    "cho tra ket qua": DossierStatus.READY,
    "da tra": DossierStatus.RETURNED,
    "tu choi": DossierStatus.REJECTED,
    "qua han": DossierStatus.OVERDUE,
}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")


class DossierError(ValueError):
    """A request staff (or the sending system) can correct; ``str()`` is a Vietnamese message."""


def fold_key(text: str) -> str:
    """Lower case, no diacritics, single spaces between words ("Đang  giải-quyết" -> "dang giai quyet")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _status_lookup() -> dict[str, DossierStatus]:
    lookup = dict(STATUS_SYNONYMS)
    for status in DossierStatus:
        lookup[fold_key(status.value)] = status
        lookup[fold_key(messages.STATUS_LABELS[status.value])] = status
    return lookup


_STATUSES = _status_lookup()


def status_label(status: str) -> str:
    """The Vietnamese label of a status code."""
    return messages.STATUS_LABELS.get(status, status)


def parse_status(value: str | DossierStatus) -> DossierStatus:
    """A status from its code ("in_progress"), our label ("Đang giải quyết", with or without
    diacritics) or a common one-stop label ("Đang xử lý"); ``DossierError`` otherwise."""
    if isinstance(value, DossierStatus):
        return value
    status = _STATUSES.get(fold_key(str(value)))
    if status is None:
        labels = ", ".join(messages.STATUS_LABELS.values())
        raise DossierError(messages.DOSSIER_BAD_STATUS.format(status=str(value).strip()[:80], labels=labels))
    return status


def receipt_code(text: str, pattern: str | None = None) -> str:
    """The normalised receipt code, or ``DossierError`` if ``text`` is not one."""
    if not text or not text.strip():
        raise DossierError(messages.DOSSIER_NO_CODE)
    code = normalize_receipt_code(text, pattern)
    if code is None:
        raise DossierError(messages.DOSSIER_BAD_CODE.format(code=text.strip()[:64]))
    return code


def clean_phone(phone: str) -> str:
    """The phone's digits ("+84 900 000 001" -> "0900000001"); ``DossierError`` if not a phone."""
    digits = re.sub(r"\D", "", phone or "")
    if phone.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    if not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
        raise DossierError(messages.DOSSIER_BAD_PHONE)
    return digits


def clean_text(value: str | None, field: str, limit: int) -> str | None:
    """``value`` NFC with runs of white space made single; None when empty."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if len(text) > limit:
        raise DossierError(messages.DOSSIER_TEXT_TOO_LONG.format(field=field, limit=limit))
    return text or None


def clean_note(value: str | None) -> str | None:
    """A note keeps its line breaks; other white space is tidied."""
    if value is None:
        return None
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", value).splitlines()]
    text = "\n".join(lines).strip()
    if len(text) > MAX_NOTE:
        raise DossierError(messages.DOSSIER_TEXT_TOO_LONG.format(field=messages.FIELD_NOTE, limit=MAX_NOTE))
    return text or None


def clean_supplements(items: Iterable[str]) -> list[str]:
    """The documents to add, tidied, empty ones dropped, in order, without repeats."""
    cleaned: list[str] = []
    for item in items:
        text = clean_text(str(item), messages.FIELD_SUPPLEMENT, MAX_SUPPLEMENT)
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_SUPPLEMENTS:
        raise DossierError(messages.DOSSIER_TOO_MANY_SUPPLEMENTS.format(limit=MAX_SUPPLEMENTS))
    return cleaned


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC; a time without a zone is Vietnam time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=VIETNAM_TZ)
    return value.astimezone(UTC)


def stored_utc(value: datetime) -> datetime:
    """A time read back from the database, timezone-aware (SQLite returns it naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_when(text: str, field: str, *, end_of_day: bool = False) -> datetime:
    """A date or date-time as one-stop exports write it, in UTC.

    Accepts ``dd/mm/yyyy`` (also with ``-`` or ``.``), optionally followed or
    preceded by ``HH:MM[:SS]``, and ISO 8601 (``2025-11-20``,
    ``2025-11-20T08:30:00+07:00``). A date alone is the start of the office
    day (07:00), or its end (17:00) with ``end_of_day``.
    """
    raw = " ".join(text.split())
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = _parse_local(raw)
    if parsed is None:
        raise DossierError(messages.DOSSIER_BAD_DATE.format(field=field, value=raw[:40]))
    if ":" not in raw:  # a date alone
        parsed = datetime.combine(parsed.date(), DAY_END if end_of_day else DAY_START)
    return to_utc(parsed)


def _parse_local(raw: str) -> datetime | None:
    parts = raw.replace("T", " ").split(" ")
    if len(parts) == 1:
        for date_format in _DATE_FORMATS:
            try:
                return datetime.strptime(raw, date_format)
            except ValueError:
                continue
        return None
    if len(parts) != 2:
        return None
    for date_part, time_part in (parts, parts[::-1]):
        for date_format in _DATE_FORMATS:
            for time_format in _TIME_FORMATS:
                try:
                    return datetime.strptime(f"{date_part} {time_part}", f"{date_format} {time_format}")
                except ValueError:
                    continue
    return None


def supplements_for(status: DossierStatus, supplements: Sequence[str] | None) -> list[str] | None:
    """The cleaned list, refused unless the status asks for documents."""
    if supplements is None:
        return None
    cleaned = clean_supplements(supplements)
    if cleaned and status is not DossierStatus.NEEDS_SUPPLEMENT:
        label = status_label(DossierStatus.NEEDS_SUPPLEMENT.value)
        raise DossierError(messages.DOSSIER_SUPPLEMENTS_NEED_STATUS.format(label=label))
    return cleaned


def applicant_name(value: str | None) -> str:
    """The applicant's name, tidied; ``DossierError`` if empty or too long."""
    name = clean_text(value, messages.FIELD_NAME, MAX_NAME)
    if name is None:
        raise DossierError(messages.DOSSIER_NO_NAME)
    return name


def check_deadline(received_at: datetime, due_at: datetime | None) -> None:
    """``DossierError`` if the deadline comes before the receipt."""
    if due_at is not None and stored_utc(due_at) < stored_utc(received_at):
        raise DossierError(messages.DOSSIER_DUE_BEFORE_RECEIVED)
