"""The staff dashboard's numbers over a time range, from the conversation log.

Every function takes a session and a range ``[start, end)`` of timezone-aware
datetimes. Days are the province's days (``knowledge.local_days``: UTC+7, no
daylight saving time). Rows of the range are read with only the columns
needed and bucketed into days in Python, which works the same on SQLite and
PostgreSQL; counts that need no day are grouped in SQL.

Where each number comes from:

* traffic: incoming ``ConversationMessage`` rows (the citizens' messages); a
  conversation is a distinct sender, counted per day and, in the totals,
  once over the whole range;
* top procedures and top intents: ``knowledge.metrics_asked`` (re-exported
  here), which explains why procedures are counted from the assistant's
  "📄 " answer headings and how intents fall back to the inbox and feedback;
* fallback rate: inbox items of kind ``low_confidence`` or ``unanswered``
  over incoming messages, in the range;
* handoffs: inbox items of kind ``handoff`` per day;
* satisfaction: share of 👍 among ``Feedback`` ratings, overall and per day;
* response time: ``response_ms`` of the assistant's replies (author "bot"),
  once per answered message (a reply of several messages carries the same
  time on each), bucketed by the reply's day.

``build_dashboard`` gathers them all in a :class:`Dashboard`; ``to_csv``
(``knowledge.dashboard_csv``, re-exported here) exports one.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.dashboard_csv import to_csv
from knowledge.local_days import LOCAL_TZ, checked_range, day_range, days_of, last_days, local_day, within
from knowledge.metrics_asked import (
    BOT_AUTHOR,
    TOP_LIMIT,
    IntentCount,
    IntentRanking,
    ProcedureCount,
    procedure_heading,
    top_intents,
    top_procedures,
)
from knowledge.models import ConversationMessage, Direction, Feedback, InboxItem, InboxKind, Rating

__all__ = [
    "CHANNELS",
    "LOCAL_TZ",
    "ChannelTotal",
    "DailyTraffic",
    "Dashboard",
    "DayCount",
    "DayPercentiles",
    "DaySatisfaction",
    "IntentCount",
    "IntentRanking",
    "Percentiles",
    "ProcedureCount",
    "Rate",
    "ResponseTimes",
    "Satisfaction",
    "build_dashboard",
    "channel_totals",
    "day_range",
    "days_of",
    "fallback_rate",
    "handoffs_per_day",
    "last_days",
    "percentile",
    "procedure_heading",
    "response_times",
    "satisfaction",
    "to_csv",
    "top_intents",
    "top_procedures",
    "traffic",
]

logger = logging.getLogger(__name__)

# Channels always shown, in this order (``knowledge.inbox.channel_of``); others follow when seen.
CHANNELS: tuple[str, ...] = ("telegram", "web", "api")
FALLBACK_KINDS: tuple[str, ...] = (InboxKind.LOW_CONFIDENCE.value, InboxKind.UNANSWERED.value)


@dataclass(frozen=True)
class DailyTraffic:
    """One channel on one day: distinct senders and their incoming messages."""

    day: date
    channel: str
    conversations: int
    messages: int


@dataclass(frozen=True)
class ChannelTotal:
    """One channel over the whole range (a sender active on several days counts once)."""

    channel: str
    conversations: int
    messages: int


@dataclass(frozen=True)
class Rate:
    """``part`` out of ``total``."""

    part: int
    total: int

    @property
    def share(self) -> float | None:
        """``part / total`` capped at 1; None when ``total`` is 0."""
        return None if self.total == 0 else min(1.0, self.part / self.total)


@dataclass(frozen=True)
class DayCount:
    """A count on one day."""

    day: date
    count: int


@dataclass(frozen=True)
class DaySatisfaction:
    """👍 and 👎 on one day."""

    day: date
    up: int
    down: int

    @property
    def share(self) -> float | None:
        """Share of 👍 among the day's ratings; None without ratings."""
        return Rate(self.up, self.up + self.down).share


@dataclass(frozen=True)
class Satisfaction:
    """👍 and 👎 over the range, and per day (the trend)."""

    up: int
    down: int
    daily: tuple[DaySatisfaction, ...]

    @property
    def share(self) -> float | None:
        """Share of 👍 among all ratings; None without ratings."""
        return Rate(self.up, self.up + self.down).share


@dataclass(frozen=True)
class Percentiles:
    """Median and 95th percentile of ``count`` response times, in milliseconds (None if no time)."""

    count: int
    median_ms: float | None
    p95_ms: float | None


@dataclass(frozen=True)
class DayPercentiles:
    """Median and 95th percentile of one day's response times, in milliseconds."""

    day: date
    count: int
    median_ms: float | None
    p95_ms: float | None


@dataclass(frozen=True)
class ResponseTimes:
    """Response times over the range and per day."""

    overall: Percentiles
    daily: tuple[DayPercentiles, ...]


@dataclass(frozen=True)
class Dashboard:
    """Every number of the dashboard for the range ``[start, end)`` (UTC)."""

    start: datetime
    end: datetime
    days: tuple[date, ...]
    traffic: tuple[DailyTraffic, ...]
    channel_totals: tuple[ChannelTotal, ...]
    top_procedures: tuple[ProcedureCount, ...]
    top_intents: IntentRanking
    fallback: Rate
    handoffs: tuple[DayCount, ...]
    satisfaction: Satisfaction
    response_times: ResponseTimes


# ------------------------------------------------------------------ traffic


def _incoming(session: Session, start: datetime, end: datetime) -> list[tuple[datetime, str, str]]:
    rows = session.execute(
        select(
            ConversationMessage.created_at, ConversationMessage.channel, ConversationMessage.sender_id
        ).where(
            ConversationMessage.direction == Direction.IN.value,
            *within(ConversationMessage.created_at, start, end),
        )
    )
    return [(created, channel, sender) for created, channel, sender in rows]


def _channels(seen: Iterable[str]) -> list[str]:
    return [*CHANNELS, *sorted(set(seen) - set(CHANNELS))]


def traffic(session: Session, start: datetime, end: datetime) -> list[DailyTraffic]:
    """Conversations (distinct senders) and incoming messages per day and channel.

    Every day of the range has a row for every channel of ``CHANNELS``, zero
    when nothing happened; another channel gets rows when it was seen.
    """
    start, end = checked_range(start, end)
    senders: defaultdict[tuple[date, str], set[str]] = defaultdict(set)
    messages: Counter[tuple[date, str]] = Counter()
    for created, channel, sender in _incoming(session, start, end):
        key = (local_day(created), channel)
        senders[key].add(sender)
        messages[key] += 1
    channels = _channels(channel for _, channel in messages)
    return [
        DailyTraffic(day, channel, len(senders.get((day, channel), ())), messages[(day, channel)])
        for day in days_of(start, end)
        for channel in channels
    ]


def channel_totals(session: Session, start: datetime, end: datetime) -> list[ChannelTotal]:
    """Conversations (distinct senders) and incoming messages per channel over the range."""
    start, end = checked_range(start, end)
    senders: defaultdict[str, set[str]] = defaultdict(set)
    messages: Counter[str] = Counter()
    for _, channel, sender in _incoming(session, start, end):
        senders[channel].add(sender)
        messages[channel] += 1
    return [
        ChannelTotal(channel, len(senders[channel]), messages[channel]) for channel in _channels(messages)
    ]


# ------------------------------------------------------------------ how it went


def fallback_rate(session: Session, start: datetime, end: datetime) -> Rate:
    """Incoming messages the bot did not understand or could not answer, out of all incoming ones.

    An inbox item does not point at the message it came from, so this is the
    number of ``low_confidence`` and ``unanswered`` items of the range over the
    number of incoming messages of the range.
    """
    start, end = checked_range(start, end)
    part = session.scalar(
        select(func.count())
        .select_from(InboxItem)
        .where(InboxItem.kind.in_(FALLBACK_KINDS), *within(InboxItem.created_at, start, end))
    )
    total = session.scalar(
        select(func.count())
        .select_from(ConversationMessage)
        .where(
            ConversationMessage.direction == Direction.IN.value,
            *within(ConversationMessage.created_at, start, end),
        )
    )
    return Rate(int(part or 0), int(total or 0))


def handoffs_per_day(session: Session, start: datetime, end: datetime) -> list[DayCount]:
    """Requests for a person (inbox items of kind ``handoff``) on every day of the range."""
    start, end = checked_range(start, end)
    created = session.scalars(
        select(InboxItem.created_at).where(
            InboxItem.kind == InboxKind.HANDOFF.value, *within(InboxItem.created_at, start, end)
        )
    )
    counts = Counter(local_day(moment) for moment in created)
    return [DayCount(day, counts[day]) for day in days_of(start, end)]


def satisfaction(session: Session, start: datetime, end: datetime) -> Satisfaction:
    """👍 and 👎 over the range and on every day of it (zero on a day without ratings)."""
    start, end = checked_range(start, end)
    rows = session.execute(
        select(Feedback.created_at, Feedback.rating).where(*within(Feedback.created_at, start, end))
    )
    up: Counter[date] = Counter()
    down: Counter[date] = Counter()
    for created, rating in rows:
        (up if rating == Rating.UP.value else down)[local_day(created)] += 1
    daily = tuple(DaySatisfaction(day, up[day], down[day]) for day in days_of(start, end))
    return Satisfaction(sum(up.values()), sum(down.values()), daily)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0 to 1) of ``values``, interpolating linearly between the closest ranks.

    The definition of NumPy's default and of ``statistics.quantiles(method="inclusive")``;
    ``percentile(values, 0.5)`` is the median. None for no values.
    """
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _percentiles(values: Sequence[float]) -> Percentiles:
    return Percentiles(len(values), percentile(values, 0.5), percentile(values, 0.95))


def response_times(session: Session, start: datetime, end: datetime) -> ResponseTimes:
    """Median and p95 of the assistant's response times, over the range and on every day of it."""
    start, end = checked_range(start, end)
    rows = session.execute(
        select(
            ConversationMessage.created_at, ConversationMessage.reply_to_id, ConversationMessage.response_ms
        )
        .where(
            ConversationMessage.direction == Direction.OUT.value,
            ConversationMessage.author == BOT_AUTHOR,
            ConversationMessage.response_ms.is_not(None),
            *within(ConversationMessage.created_at, start, end),
        )
        .order_by(ConversationMessage.id)
    )
    answered: set[int] = set()
    by_day: defaultdict[date, list[float]] = defaultdict(list)
    for created, reply_to, response_ms in rows:
        if response_ms is None:
            continue
        if reply_to is not None:
            if reply_to in answered:
                continue
            answered.add(reply_to)
        by_day[local_day(created)].append(response_ms)
    daily = []
    for day in days_of(start, end):
        times = _percentiles(by_day.get(day, []))
        daily.append(DayPercentiles(day, times.count, times.median_ms, times.p95_ms))
    every = [value for values in by_day.values() for value in values]
    return ResponseTimes(_percentiles(every), tuple(daily))


# ------------------------------------------------------------------ all together


def build_dashboard(session: Session, start: datetime, end: datetime, limit: int = TOP_LIMIT) -> Dashboard:
    """Every number of the dashboard for ``[start, end)``; ``limit`` caps the top lists."""
    start, end = checked_range(start, end)
    dashboard = Dashboard(
        start=start,
        end=end,
        days=days_of(start, end),
        traffic=tuple(traffic(session, start, end)),
        channel_totals=tuple(channel_totals(session, start, end)),
        top_procedures=tuple(top_procedures(session, start, end, limit)),
        top_intents=top_intents(session, start, end, limit),
        fallback=fallback_rate(session, start, end),
        handoffs=tuple(handoffs_per_day(session, start, end)),
        satisfaction=satisfaction(session, start, end),
        response_times=response_times(session, start, end),
    )
    logger.debug("Dashboard computed for %s days", len(dashboard.days))
    return dashboard
