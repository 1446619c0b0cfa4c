"""The province's calendar days, and time ranges checked for the dashboard's queries.

The province's clock is Indochina Time (Asia/Ho_Chi_Minh): UTC+7 all year,
without daylight saving time since 1975, so a fixed offset is exact and needs
no time-zone database. A range is ``[start, end)`` of timezone-aware
datetimes; the queries compare in UTC, because SQLite stores the UTC time
without its offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

LOCAL_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive value (SQLite gives those back) is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The province's calendar day of ``moment``."""
    return as_utc(moment).astimezone(LOCAL_TZ).date()


def checked_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """``(start, end)`` in UTC; ValueError if either is naive or the range is empty."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise ValueError("end must be after start")
    return start.astimezone(UTC), end.astimezone(UTC)


def within(column: InstrumentedAttribute[datetime], start: datetime, end: datetime) -> tuple[Any, Any]:
    """SQL conditions: ``column`` in ``[start, end)`` (a range from :func:`checked_range`)."""
    return column >= start, column < end


def day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC range ``[start, end)`` covering local days ``first`` to ``last``, both included."""
    if last < first:
        raise ValueError("last day before first day")
    start = datetime.combine(first, time(), LOCAL_TZ)
    end = datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def last_days(count: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The range of the last ``count`` local days, today included."""
    if count < 1:
        raise ValueError("count must be at least 1")
    today = local_day(now or datetime.now(UTC))
    return day_range(today - timedelta(days=count - 1), today)


def days_of(start: datetime, end: datetime) -> tuple[date, ...]:
    """Every local day that ``[start, end)`` touches, in order."""
    start, end = checked_range(start, end)
    first, last = local_day(start), local_day(end - timedelta(microseconds=1))
    return tuple(first + timedelta(days=offset) for offset in range((last - first).days + 1))
