"""Fixtures of the hostile-input suite: one real gateway for the whole suite, in front of the
session's real Rasa and action servers, with the Telegram channel polling the Bot API stand-in.

The gateway listens on a real loopback port (``web.AppRunner``), stores its conversation log
in the session's knowledge base (where the action server puts inbox items), and answers every
case of ``cases.py``; the cases run once, in parallel, and the tests read the outcomes.
Everything this suite stored is deleted at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy import Engine, delete, func, or_, select

from bot.app import create_app
from knowledge.db import make_engine
from knowledge.models import Base, Dossier, Procedure
from knowledge.settings import Settings
from nlu.engine import free_port
from tests.hostile import cases
from tests.hostile.exchanges import (
    Exchange,
    Hostile,
    run_raw_cases,
    run_telegram_cases,
    run_text_cases,
)
from tests.stack import Stack
from tests.telegram_api import TelegramAPIStandIn

# Telegram chat ids of this suite: 42000000000000 + run * 10000 + case number.
CHAT_BASE = 42_000_000_000_000


@pytest.fixture(scope="session")
def hostile_db(seeded_database_url: str) -> Iterator[Engine]:
    """An engine on the session's knowledge base, to read what was stored."""
    engine = make_engine(seeded_database_url)
    yield engine
    engine.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (Procedure, Dossier)
        }


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def hostile(stack: Stack, seeded_database_url: str, hostile_db: Engine) -> AsyncIterator[Hostile]:
    """The gateway on a free port, its Telegram bot polling the stand-in."""
    run = secrets.token_hex(2)
    async with TelegramAPIStandIn() as telegram:
        settings = dataclasses.replace(
            Settings(),
            database_url=seeded_database_url,
            rasa_url=stack.rasa_url,
            rasa_token=stack.rasa_token,
            actions_port=urlsplit(stack.actions_url).port or 0,
            rasa_timeout_s=60.0,
            telegram_token=telegram.token,
            telegram_api_url=telegram.base_url,
            allowed_origins=(cases.WIDGET_ORIGIN,),
            max_message_chars=cases.MAX_CHARS,
            messages_per_minute=cases.RATE_LIMIT,
        )
        app = create_app(settings, notify=False)
        runner = web.AppRunner(app, shutdown_timeout=2.0)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
            state = Hostile(
                base_url=f"http://127.0.0.1:{port}",
                widget_origin=cases.WIDGET_ORIGIN,
                http=http,
                telegram=telegram,
                app=app,
                stack=stack,
                run=run,
                chat_base=CHAT_BASE + int(run, 16) * 10_000,
                counts_before=_counts(hostile_db),
            )
            try:
                yield state
            finally:
                await runner.cleanup()
                _forget(hostile_db, state)


def _forget(engine: Engine, state: Hostile) -> None:
    """Delete every row this suite's senders left (log, inbox, feedback, subscriptions)."""
    patterns = (f"web:hostile-{state.run}-%", f"tg:{state.chat_base // 10_000}%")
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if "sender_id" in table.c:
                column = table.c.sender_id
                connection.execute(delete(table).where(or_(*(column.like(p) for p in patterns))))


@pytest.fixture(scope="session")
def counts_after(hostile: Hostile, hostile_db: Engine) -> dict[str, int]:
    return _counts(hostile_db)


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def text_results(hostile: Hostile) -> dict[tuple[str, str], Exchange]:
    """Every text case through every channel it names, all at once; keyed by (channel, case)."""
    by_http, by_telegram, by_update = await asyncio.gather(
        run_text_cases(hostile),
        run_text_cases(hostile, telegram=True),
        run_telegram_cases(hostile),
    )
    return {**by_http, **by_telegram, **by_update}


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def raw_results(hostile: Hostile) -> dict[tuple[str, str], Exchange]:
    """Every raw request, sent as is and from the widget's page; keyed by (channel, case)."""
    return await run_raw_cases(hostile)
