"""``/healthz`` (the process answers) and ``/readyz`` (it can serve citizens)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import text

from bot.actions_probe import actions_up
from bot.state import COORDINATION, HTTP, RASA, SESSIONS, SETTINGS

logger = logging.getLogger(__name__)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _database_ok(request: web.Request) -> bool:
    try:
        with request.app[SESSIONS]() as session:
            session.execute(text("SELECT 1"))
        return True
    except Exception:
        logger.warning("readiness: the database does not answer")
        return False


async def _redis_ok(request: web.Request) -> bool:
    redis = request.app[COORDINATION].redis
    return redis is None or await redis.ping()


async def readyz(request: web.Request) -> web.Response:
    """200 when Rasa (with a model), the action server, the database and Redis (if set) answer."""
    rasa, actions, database, redis = await asyncio.gather(
        request.app[RASA].is_ready(),
        actions_up(request.app[HTTP], request.app[SETTINGS]),
        asyncio.to_thread(_database_ok, request),
        _redis_ok(request),
    )
    checks = {"rasa": rasa, "actions": actions, "database": database}
    if request.app[COORDINATION].redis is not None:
        # Rasa's lock store is in the same Redis: without it Rasa cannot answer.
        checks["redis"] = redis
    ready = all(checks.values())
    return web.json_response(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status=200 if ready else 503
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
