"""The dashboard as CSV, for a spreadsheet (re-exported by ``knowledge.metrics``).

One section per metric: a title line, a line of Vietnamese column headers,
the rows, then an empty line. Days are ISO dates (``2026-03-01``) of the
province's calendar, shares are fractions with four decimals (``0.7500``),
times are whole milliseconds; a share or time that does not exist (no rating,
no reply) is an empty cell. Lines end in CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from knowledge import dashboard_texts as texts
from knowledge.local_days import LOCAL_TZ

if TYPE_CHECKING:
    from _csv import Writer

    from knowledge.metrics import Dashboard

# Excel recognises UTF-8 only with a byte order mark; other tools do not need one.
BOM = "\ufeff"

Row = Sequence[object]


def channel_label(channel: str) -> str:
    """A channel's Vietnamese name ("web" -> "Trang web")."""
    return texts.CHANNEL_LABELS.get(channel, channel)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _section(writer: Writer, title: str, headers: Row, rows: Iterable[Row]) -> None:
    writer.writerow([title])
    writer.writerow(headers)
    writer.writerows(rows)
    writer.writerow([])


def to_csv(dashboard: Dashboard, *, bom: bool = False) -> str:
    """The dashboard as CSV text (UTF-8 when encoded; ``bom=True`` starts it with a byte order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    local = "%Y-%m-%d %H:%M"
    _section(
        writer,
        texts.CSV_RANGE,
        texts.CSV_RANGE_HEADERS,
        [
            [
                dashboard.start.astimezone(LOCAL_TZ).strftime(local),
                dashboard.end.astimezone(LOCAL_TZ).strftime(local),
            ]
        ],
    )
    _section(
        writer,
        texts.CSV_TRAFFIC,
        texts.CSV_TRAFFIC_HEADERS,
        (
            [row.day.isoformat(), channel_label(row.channel), row.conversations, row.messages]
            for row in dashboard.traffic
        ),
    )
    _section(
        writer,
        texts.CSV_CHANNELS,
        texts.CSV_CHANNELS_HEADERS,
        ([channel_label(row.channel), row.conversations, row.messages] for row in dashboard.channel_totals),
    )
    _section(
        writer,
        texts.CSV_PROCEDURES,
        texts.CSV_PROCEDURES_HEADERS,
        (
            [rank, row.code or "", row.name, row.levels, row.answers]
            for rank, row in enumerate(dashboard.top_procedures, start=1)
        ),
    )
    ranking = dashboard.top_intents
    writer.writerow([texts.CSV_INTENTS])
    writer.writerow(
        [texts.CSV_INTENTS_SOURCE, texts.INTENT_SOURCE_LABELS.get(ranking.source, ranking.source)]
    )
    writer.writerow(texts.CSV_INTENTS_HEADERS)
    writer.writerows([rank, row.intent, row.count] for rank, row in enumerate(ranking.items, start=1))
    writer.writerow([])
    fallback = dashboard.fallback
    _section(
        writer,
        texts.CSV_FALLBACK,
        texts.CSV_FALLBACK_HEADERS,
        [[fallback.total, fallback.part, _share(fallback.share)]],
    )
    _section(
        writer,
        texts.CSV_HANDOFFS,
        texts.CSV_HANDOFFS_HEADERS,
        [
            *([row.day.isoformat(), row.count] for row in dashboard.handoffs),
            [texts.CSV_TOTAL, sum(row.count for row in dashboard.handoffs)],
        ],
    )
    rated = dashboard.satisfaction
    _section(
        writer,
        texts.CSV_SATISFACTION,
        texts.CSV_SATISFACTION_HEADERS,
        [
            *([row.day.isoformat(), row.up, row.down, _share(row.share)] for row in rated.daily),
            [texts.CSV_TOTAL, rated.up, rated.down, _share(rated.share)],
        ],
    )
    times = dashboard.response_times
    _section(
        writer,
        texts.CSV_RESPONSE,
        texts.CSV_RESPONSE_HEADERS,
        [
            *([row.day.isoformat(), row.count, _ms(row.median_ms), _ms(row.p95_ms)] for row in times.daily),
            [texts.CSV_TOTAL, times.overall.count, _ms(times.overall.median_ms), _ms(times.overall.p95_ms)],
        ],
    )
    return (BOM if bom else "") + out.getvalue()
