"""After the whole catalogue: the tables intact, nothing invisible or oversized stored, refused
input nowhere (log, inbox, Rasa), hostile markup shown as text by the console, the widget and
Telegram, and the gateway still healthy."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.static_files import STATIC_DIR
from knowledge.db import make_engine, make_session_factory
from knowledge.models import ConversationMessage
from knowledge.settings import Settings
from knowledge.staff import create_user
from nlu.engine import free_port
from tests.hostile import cases
from tests.hostile.cases import MAX_CHARS, TEXT_CASES, Expect
from tests.hostile.checks import inbox_texts, invisible
from tests.hostile.exchanges import Exchange, Hostile

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.timeout(600)]

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
OPERATOR, PASSWORD = "kiem.thu.dau.vao", "mật khẩu kiểm thử 2026"
MARKUP = ("<script", "<img", "<svg", "<a href", "<iframe", "</textarea")


def patterns(hostile: Hostile) -> tuple[str, ...]:
    return (f"web:hostile-{hostile.run}-%", f"tg:{hostile.chat_base // 10_000}%")


async def test_the_tables_are_intact(
    hostile: Hostile,
    text_results: dict[tuple[str, str], Exchange],
    raw_results: dict[tuple[str, str], Exchange],
    hostile_db: Engine,
    counts_after: dict[str, int],
) -> None:
    assert counts_after == hostile.counts_before
    with Session(hostile_db) as session:
        stored = set(
            session.scalars(select(ConversationMessage.text).where(ConversationMessage.direction == "in"))
        )
    for case in TEXT_CASES:
        if case.category == "sql":
            assert case.text in stored, "an SQL fragment is stored as the text it is"


async def test_nothing_invisible_or_oversized_is_stored(
    hostile: Hostile, text_results: dict[tuple[str, str], Exchange], hostile_db: Engine
) -> None:
    like = patterns(hostile)
    with Session(hostile_db) as session:
        rows = list(session.scalars(select(ConversationMessage).where(ConversationMessage.direction == "in")))
    ours = [row for row in rows if any(row.sender_id.startswith(p.rstrip("%")) for p in like)]
    assert len(ours) > 100
    for row in ours:
        assert row.text and not invisible(row.text) and len(row.text) <= MAX_CHARS, (
            row.sender_id,
            row.text[:80],
        )
    items = inbox_texts(hostile_db, like)
    assert items, "low-confidence questions reach the staff inbox"
    for sender, text in items:
        assert text and not invisible(text) and len(text) <= MAX_CHARS, (sender, text[:80])


async def test_refused_input_reaches_neither_the_inbox_nor_rasa(
    hostile: Hostile, text_results: dict[tuple[str, str], Exchange], hostile_db: Engine
) -> None:
    senders = {sender for sender, _ in inbox_texts(hostile_db, patterns(hostile))}
    for case in TEXT_CASES:
        if case.expect.refused and not case.before:
            for channel in case.channels:
                exchange = text_results[(channel, case.name)]
                assert exchange.sender_id not in senders and exchange.rasa_texts == [], (channel, case.name)


async def test_the_console_shows_hostile_markup_as_text(
    hostile: Hostile,
    text_results: dict[tuple[str, str], Exchange],
    seeded_database_url: str,
    tmp_path: Path,
) -> None:
    """Staff read the inbox and the handoff conversations on a copy of the knowledge base."""
    copy = tmp_path / "console.db"
    with (
        sqlite3.connect(str(make_url(seeded_database_url).database)) as source,
        sqlite3.connect(copy) as target,
    ):
        source.backup(target)
    url = f"sqlite:///{copy}"
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        create_user(session, OPERATOR, PASSWORD, "operator")
    engine.dispose()
    settings = Settings(
        database_url=url, rasa_url=f"http://127.0.0.1:{free_port()}", actions_port=free_port()
    )
    async with TestClient(TestServer(create_app(settings, notify=False))) as console:
        login = await console.get("/console/login")
        token = CSRF.search(await login.text())
        assert token
        signed_in = await console.post(
            "/console/login",
            data={"csrf": token.group(1), "username": OPERATOR, "password": PASSWORD, "next": "/console/"},
            allow_redirects=False,
        )
        assert signed_in.status == 303
        handoffs = await (await console.get("/console/inbox/handoffs")).text()
        inbox = await (await console.get("/console/inbox")).text()
    assert "&lt;script&gt;alert(&#39;hostile-handoff&#39;)&lt;/script&gt;" in handoffs
    markup = [text for case in TEXT_CASES for text in (*case.before, case.text) if "<" in text]
    for page in (handoffs, inbox):
        for text in markup:
            assert text not in page, text
        assert "alert('hostile" not in page


async def test_the_widget_renders_text_only() -> None:
    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    assert "textContent" in source
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


async def test_telegram_got_only_valid_html(
    hostile: Hostile, text_results: dict[tuple[str, str], Exchange]
) -> None:
    sent = hostile.telegram.calls_to("sendMessage")
    assert sent and all(call.ok for call in sent), [c.status for c in sent if not c.ok]
    for call in sent:
        assert not any(tag in str(call.params.get("text")).lower() for tag in MARKUP), call.params


async def test_the_gateway_is_healthy_afterwards(
    hostile: Hostile,
    text_results: dict[tuple[str, str], Exchange],
    raw_results: dict[tuple[str, str], Exchange],
) -> None:
    for path in ("/healthz", "/readyz"):
        async with hostile.http.get(hostile.base_url + path) as response:
            assert response.status == 200, (path, await response.text())


async def test_the_catalogue_covers_the_issue() -> None:
    assert cases.count_inputs() >= 60
    categories = {c.category for c in cases.TEXT_CASES} | {c.category for c in cases.RAW_CASES}
    assert categories >= {
        "empty",
        "whitespace",
        "long",
        "control",
        "rtl",
        "emoji",
        "html",
        "sql",
        "format",
        "receipt_code",
        "invalid_utf8",
        "malformed_json",
        "oversized",
        "content_type",
        "fields",
    }
    assert any(c.expect is Expect.TOO_LONG and len(c.text) >= 20_000 for c in cases.TEXT_CASES)
