"""The console's first page: what needs attention, in numbers."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy import func, select

from bot.console.permissions import Section
from bot.console.render import render
from bot.console.security import requires
from bot.state import SESSIONS
from knowledge.models import Dossier, Feedback, InboxItem, InboxStatus, Procedure


def _counts(request: web.Request) -> dict[str, Any]:
    with request.config_dict[SESSIONS]() as session:
        ratings = dict(session.execute(select(Feedback.rating, func.count()).group_by(Feedback.rating)).all())
        rated = sum(ratings.values())
        return {
            "procedures": session.scalar(select(func.count()).where(Procedure.is_active.is_(True))) or 0,
            "open_inbox": session.scalar(
                select(func.count()).where(InboxItem.status == InboxStatus.OPEN.value)
            )
            or 0,
            "dossiers": session.scalar(select(func.count(Dossier.id))) or 0,
            "satisfaction": round(100 * ratings.get("up", 0) / rated) if rated else None,
            "rated": rated,
        }


@requires(Section.DASHBOARD)
async def home(request: web.Request) -> web.StreamResponse:
    counts = await asyncio.to_thread(_counts, request)
    return render(request, "home.html", **counts)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", home)
