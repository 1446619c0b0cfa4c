"""The gateway's app factory: ``create_app(settings)``.

One aiohttp application owns every channel: the JSON API and the web widget,
Telegram (when a token is set), health checks, and the dossier notifier.
What several gateways must share (rate limits, de-duplication, per-sender
order) is in Redis when ``REDIS_URL`` is set (:mod:`bot.coordination`).
Each resource is opened and closed in a ``cleanup_ctx``; tests build the app
with their own settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot import api, dossier_events, health, notifier, static_files
from bot.actions_probe import actions_up
from bot.console import create_console
from bot.conversations import Conversations
from bot.coordination import coordination_for
from bot.delivery import Delivery
from bot.message_log import MessageLog
from bot.middlewares import api_origins, clean_errors, security_headers
from bot.rasa_client import RasaClient
from bot.replies import Reply
from bot.state import (
    CATALOG,
    CONVERSATIONS,
    COORDINATION,
    DELIVERY,
    HTTP,
    LOG,
    RASA,
    SESSIONS,
    SETTINGS,
)
from bot.telegram import setup_telegram
from knowledge.catalog import Catalog
from knowledge.db import make_engine, make_session_factory
from knowledge.settings import Settings

logger = logging.getLogger(__name__)


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = make_engine(app[SETTINGS].database_url)
    app[SESSIONS] = make_session_factory(engine)
    app[LOG] = MessageLog(app[SESSIONS])
    app[DELIVERY] = Delivery(app[LOG])
    # The same search the bot uses, for the console (built on first use, follows edits).
    app[CATALOG] = Catalog(app[SESSIONS], app[SETTINGS].province_levels)
    yield
    engine.dispose()


async def _rasa(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    async with aiohttp.ClientSession() as http:
        app[HTTP] = http
        app[RASA] = RasaClient(http, settings.rasa_url, settings.rasa_token, settings.rasa_timeout_s)
        app[CONVERSATIONS] = Conversations(
            app[RASA],
            app[LOG],
            settings.max_message_chars,
            app[COORDINATION],
            actions_up=functools.partial(actions_up, http, settings),
        )
        yield


async def _coordination(app: web.Application) -> AsyncIterator[None]:
    await app[COORDINATION].start()
    yield
    await app[COORDINATION].close()


async def _notifier(app: web.Application) -> AsyncIterator[None]:
    rounds = app[COORDINATION].seen if app[COORDINATION].redis is not None else None
    task = asyncio.create_task(
        notifier.run_forever(app[SESSIONS], app[DELIVERY], rounds=rounds), name="dossier-notifier"
    )
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings, *, notify: bool = True) -> web.Application:
    """The gateway for ``settings``; ``notify=False`` leaves the dossier notifier off (tests)."""
    app = web.Application(
        middlewares=[
            clean_errors,
            security_headers,
            api_origins((*settings.allowed_origins, *([settings.public_url] if settings.public_url else []))),
        ],
        client_max_size=api.MAX_BODY_BYTES,
    )
    app[SETTINGS] = settings
    # Rate limits, de-duplication and per-sender order: in Redis when REDIS_URL is set.
    app[COORDINATION] = coordination_for(settings)
    app.cleanup_ctx.append(_coordination)
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_rasa)

    async def converse(sender_id: str, text: str) -> list[Reply]:
        return await app[CONVERSATIONS].converse(sender_id, text)

    telegram = setup_telegram(app, settings, converse, app[COORDINATION].seen)  # adds its own cleanup_ctx
    if telegram is not None:

        async def connect_delivery(app: web.Application) -> AsyncIterator[None]:
            app[DELIVERY].telegram = lambda chat_id, reply: telegram.notify(
                chat_id, reply.text, reply.buttons
            )
            yield

        app.cleanup_ctx.append(connect_delivery)
    if notify:
        app.cleanup_ctx.append(_notifier)
    api.add_routes(app)
    dossier_events.add_routes(app)
    health.add_routes(app)
    static_files.add_routes(app)
    app.add_subapp("/console", create_console())
    return app
