"""The dashboard: how the assistant serves, over a date range, with charts and a CSV export.

Numbers come from ``knowledge.metrics``; charts are SVG drawn on the server by
matplotlib (``knowledge.charts``), inlined in the page: nothing is fetched
from elsewhere. Dates are the province's local days (UTC+7).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.console.permissions import Section
from bot.console.render import render
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge import charts
from knowledge.local_days import day_range, local_day
from knowledge.metrics import Dashboard, build_dashboard, to_csv

DEFAULT_DAYS = 30
MAX_DAYS = 366
CHANNEL_LABELS = {"telegram": "Telegram", "web": "Trang web", "api": "API"}


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def requested_days(query: Any) -> tuple[date, date, str | None]:
    """The first and last local day asked for (defaults: the last 30 days), and a note if corrected."""
    today = local_day(datetime.now(UTC))
    last = _day(query.get("to", ""), today)
    first = _day(query.get("from", ""), last - timedelta(days=DEFAULT_DAYS - 1))
    note = None
    if first > last:
        first, last, note = last, first, "Ngày bắt đầu sau ngày kết thúc: đã đổi chỗ hai ngày."
    if (last - first).days >= MAX_DAYS:
        first, note = last - timedelta(days=MAX_DAYS - 1), "Khoảng thời gian tối đa là 366 ngày."
    return first, last, note


def _dashboard(request: web.Request, first: date, last: date) -> Dashboard:
    start, end = day_range(first, last)
    with request.config_dict[SESSIONS]() as session:
        return build_dashboard(session, start, end)


def _charts(dashboard: Dashboard) -> dict[str, str]:
    return {
        "traffic": charts.traffic_chart(dashboard.traffic),
        "procedures": charts.procedures_chart(dashboard.top_procedures),
        "satisfaction": charts.satisfaction_chart(dashboard.satisfaction),
        "response": charts.response_time_chart(dashboard.response_times),
    }


@requires(Section.DASHBOARD)
async def dashboard_page(request: web.Request) -> web.StreamResponse:
    first, last, note = requested_days(request.query)
    dashboard = await asyncio.to_thread(_dashboard, request, first, last)
    svgs = await asyncio.to_thread(_charts, dashboard)
    return render(
        request,
        "dashboard.html",
        first=first,
        last=last,
        note=note,
        d=dashboard,
        svgs=svgs,
        channel_labels=CHANNEL_LABELS,
    )


@requires(Section.DASHBOARD)
async def dashboard_csv(request: web.Request) -> web.StreamResponse:
    first, last, _ = requested_days(request.query)
    dashboard = await asyncio.to_thread(_dashboard, request, first, last)
    return web.Response(
        body=to_csv(dashboard, bom=True).encode("utf-8"),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="tong-quan-{first:%Y%m%d}-{last:%Y%m%d}.csv"',
        },
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/dashboard", dashboard_page)
    app.router.add_get("/dashboard.csv", dashboard_csv)
