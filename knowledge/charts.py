"""The dashboard's charts, drawn on the server as SVG text to inline in a page.

matplotlib draws them (``Figure`` objects, never pyplot; the Agg backend, so
nothing ever opens a window) and lays text out with the DejaVu Sans font it
ships, which covers Vietnamese. Text stays text in the SVG, in
"'DejaVu Sans', sans-serif", so the browser draws it with a font it has:
nothing is fetched from anywhere. The SVG is then made safe and fit to
inline in the staff console by ``knowledge.svg_inline.finish_svg`` (no
prolog, script or inline style; ``width="100%"`` and the ``viewBox``; a
``<title>`` and a ``<desc>`` giving the numbers in words; ids prefixed per
chart). Text is kept as ``<text>`` (``svg.fonttype = none``), which screen
readers and the tests read.

Colours: text is near black on white (15.8:1), axes dark grey (6.4:1); every
data colour has at least 4.5:1 against white, and series also differ by
marker and line style, so they do not rely on colour alone. Empty data gives
a chart saying "Chưa có dữ liệu".
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from knowledge import dashboard_texts as texts
from knowledge.metrics import (
    DailyTraffic,
    ProcedureCount,
    ResponseTimes,
    Satisfaction,
)
from knowledge.svg_inline import finish_svg

logger = logging.getLogger(__name__)


INK = "#1f2328"  # text: 15.8:1 on white
AXIS = "#57606a"  # axes and ticks: 6.4:1
GRID = "#d0d7de"  # light guide lines (decoration)
# Data colours, each at least 4.5:1 on white; other channels take the later ones.
SERIES_COLOURS = ("#0b5cad", "#a34700", "#1e7a34", "#6f3fb5", "#8a5a00", "#ab2d57")
CHANNEL_ORDER = ("telegram", "web", "api")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINE_STYLES = ("-", "--", ":", "-.", "-", "--")

WIDTH_IN = 8.0
HEIGHT_IN = 3.6
EMPTY_HEIGHT_IN = 2.0
LABEL_WIDTH = 44  # characters per line of a procedure's name
LABEL_LINES = 2
MAX_DAY_TICKS = 12

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "tthc-dashboard",
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": AXIS,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlecolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": AXIS,
    "ytick.color": AXIS,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "grid.color": GRID,
    "legend.frameon": False,
}
# matplotlib's state (rcParams, font cache) is global: one chart at a time.
_LOCK = threading.Lock()


def nfc(text: str) -> str:
    """``text`` in NFC with its whitespace collapsed."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def wrap_label(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """A long name on at most ``lines`` lines of ``width`` characters, cut with "…"."""
    wrapped = textwrap.wrap(nfc(text), width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        wrapped = [*wrapped[: lines - 1], (last[: width - 1].rstrip() if len(last) >= width else last) + "…"]
    return "\n".join(wrapped)


def _decimal(value: float, digits: int = 1) -> str:
    """A number the Vietnamese way: decimal comma, no useless zeros ("0,7", "12")."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _day_label(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


# ------------------------------------------------------------------ drawing


@contextmanager
def _figure(height: float = HEIGHT_IN) -> Iterator[tuple[Figure, Axes]]:
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
        yield figure, figure.add_subplot()


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _empty(axes: Axes, title: str) -> None:
    axes.set_title(title)
    axes.set_axis_off()
    axes.text(
        0.5, 0.5, texts.NO_DATA, ha="center", va="center", fontsize=14, color=INK, transform=axes.transAxes
    )


def _day_axis(axes: Axes, days: Sequence[date]) -> None:
    step = max(1, math.ceil(len(days) / MAX_DAY_TICKS))
    positions = list(range(0, len(days), step))
    axes.set_xticks(positions, [_day_label(days[index]) for index in positions])
    axes.set_xlim(-0.5, len(days) - 0.5)
    axes.set_xlabel(texts.CHART_DAY_X)


def _chart(
    title: str, desc: str, id_prefix: str, draw: Callable[[Axes], None], height: float = HEIGHT_IN
) -> str:
    with _figure(height) as (figure, axes):
        draw(axes)
        raw = _svg(figure)
    return finish_svg(raw, title=title, desc=desc, id_prefix=id_prefix)


def _empty_chart(title: str, id_prefix: str) -> str:
    return _chart(title, texts.NO_DATA, id_prefix, lambda axes: _empty(axes, title), height=EMPTY_HEIGHT_IN)


def traffic_chart(rows: Sequence[DailyTraffic], *, id_prefix: str = "chart-traffic") -> str:
    """Incoming messages per day, one line per channel (``knowledge.metrics.traffic``)."""
    title = texts.CHART_TRAFFIC_TITLE
    if sum(row.messages for row in rows) == 0:
        return _empty_chart(title, id_prefix)
    days = sorted({row.day for row in rows})
    channels = sorted({row.channel for row in rows}, key=_channel_rank)
    counts = {(row.day, row.channel): row.messages for row in rows}
    totals = {channel: sum(counts.get((day, channel), 0) for day in days) for channel in channels}

    def draw(axes: Axes) -> None:
        for index, channel in enumerate(channels):
            axes.plot(
                range(len(days)),
                [counts.get((day, channel), 0) for day in days],
                label=texts.CHANNEL_LABELS.get(channel, channel),
                color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                marker=MARKERS[index % len(MARKERS)],
                linestyle=LINE_STYLES[index % len(LINE_STYLES)],
                linewidth=2,
            )
        axes.set_title(title)
        axes.set_ylabel(texts.CHART_TRAFFIC_Y)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y")
        _day_axis(axes, days)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))

    parts = ", ".join(f"{texts.CHANNEL_LABELS.get(c, c)} {totals[c]}" for c in channels)
    desc = texts.DESC_TRAFFIC.format(total=sum(totals.values()), parts=parts)
    return _chart(title, desc, id_prefix, draw)


def _channel_rank(channel: str) -> tuple[int, str]:
    return (CHANNEL_ORDER.index(channel), "") if channel in CHANNEL_ORDER else (len(CHANNEL_ORDER), channel)


def procedures_chart(items: Sequence[ProcedureCount], *, id_prefix: str = "chart-procedures") -> str:
    """Horizontal bars of the most asked procedures, the most asked on top."""
    title = texts.CHART_PROCEDURES_TITLE
    if not items:
        return _empty_chart(title, id_prefix)
    names = [nfc(item.name) for item in items]
    # Two procedures of the same name differ by their levels.
    labels = [
        wrap_label(f"{name} ({item.levels})" if names.count(name) > 1 and item.levels else name)
        for name, item in zip(names, items, strict=True)
    ]

    def draw(axes: Axes) -> None:
        bars = axes.barh(
            range(len(items)), [item.answers for item in items], color=SERIES_COLOURS[0], height=0.6
        )
        axes.set_yticks(range(len(items)), labels)
        axes.invert_yaxis()
        axes.bar_label(bars, padding=3, color=INK)
        axes.set_title(title)
        axes.set_xlabel(texts.CHART_PROCEDURES_X)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x")
        axes.set_axisbelow(True)
        axes.margins(x=0.08)

    desc = texts.DESC_PROCEDURES.format(count=len(items), top=names[0], answers=items[0].answers)
    return _chart(title, desc, id_prefix, draw, height=max(HEIGHT_IN, 1.0 + 0.55 * len(items)))


def satisfaction_chart(data: Satisfaction, *, id_prefix: str = "chart-satisfaction") -> str:
    """Share of 👍 among the day's ratings, per day; days without ratings leave a gap."""
    title = texts.CHART_SATISFACTION_TITLE
    share = data.share
    if share is None or not data.daily:
        return _empty_chart(title, id_prefix)
    days = [row.day for row in data.daily]
    values = [math.nan if row.share is None else 100 * row.share for row in data.daily]

    def draw(axes: Axes) -> None:
        axes.plot(range(len(days)), values, color=SERIES_COLOURS[2], marker="o", linewidth=2)
        axes.set_title(title)
        axes.set_ylabel(texts.CHART_SATISFACTION_Y)
        axes.set_ylim(0, 105)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
        axes.grid(axis="y")
        _day_axis(axes, days)

    desc = texts.DESC_SATISFACTION.format(
        up=data.up, total=data.up + data.down, share=f"{_decimal(100 * share)}%"
    )
    return _chart(title, desc, id_prefix, draw)


def response_time_chart(data: ResponseTimes, *, id_prefix: str = "chart-response") -> str:
    """Median and p95 of the assistant's response time per day, in seconds."""
    title = texts.CHART_RESPONSE_TITLE
    overall = data.overall
    if overall.count == 0 or overall.median_ms is None or overall.p95_ms is None or not data.daily:
        return _empty_chart(title, id_prefix)
    days = [row.day for row in data.daily]
    series = (
        (texts.CHART_RESPONSE_MEDIAN, [row.median_ms for row in data.daily]),
        (texts.CHART_RESPONSE_P95, [row.p95_ms for row in data.daily]),
    )

    def draw(axes: Axes) -> None:
        for index, (label, values) in enumerate(series):
            axes.plot(
                range(len(days)),
                [math.nan if value is None else value / 1000 for value in values],
                label=label,
                color=SERIES_COLOURS[index],
                marker=MARKERS[index],
                linestyle=LINE_STYLES[index],
                linewidth=2,
            )
        axes.set_title(title)
        axes.set_ylabel(texts.CHART_RESPONSE_Y)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _decimal(value, 2)))
        axes.grid(axis="y")
        _day_axis(axes, days)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))

    desc = texts.DESC_RESPONSE.format(
        count=overall.count,
        median=_decimal(overall.median_ms / 1000, 2),
        p95=_decimal(overall.p95_ms / 1000, 2),
    )
    return _chart(title, desc, id_prefix, draw)
