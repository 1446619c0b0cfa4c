"""The dashboard page and its CSV export, on data written for the test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient

from knowledge.db import make_engine, make_session_factory
from knowledge.models import ConversationMessage, Feedback
from tests.console.test_console_http import login


def add_traffic(database_url: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session, session.begin():
        for n, channel in enumerate(["telegram", "web", "web"]):
            sender = f"{'tg' if channel == 'telegram' else 'web'}:dash-{n}"
            question = ConversationMessage(
                sender_id=sender,
                channel=channel,
                direction="in",
                text="lệ phí khai sinh",
                author="citizen",
                created_at=now - timedelta(hours=n),
            )
            session.add(question)
            session.flush()
            session.add(
                ConversationMessage(
                    sender_id=sender,
                    channel=channel,
                    direction="out",
                    text="📄 Thủ tục đăng ký khai sinh (Cấp xã)\n...",
                    author="bot",
                    reply_to_id=question.id,
                    response_ms=100.0 * (n + 1),
                    created_at=now - timedelta(hours=n),
                )
            )
        session.add(Feedback(sender_id="web:dash-1", channel="web", rating="up", question="q", answer="a"))
        session.add(Feedback(sender_id="web:dash-2", channel="web", rating="down", question="q", answer="a"))
    engine.dispose()


async def test_every_role_sees_the_dashboard_with_its_charts(
    console: TestClient, console_database_url: str
) -> None:
    add_traffic(console_database_url)
    assert await login(console, "viewer") == 303
    page = await console.get("/console/dashboard")
    html = await page.text()
    assert page.status == 200
    assert html.count("<svg") == 4 and "<script" not in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "50%" in html  # one 👍 of two ratings
    assert "200 ms" in html  # the median response


async def test_the_csv_export_and_a_reversed_range(console: TestClient, console_database_url: str) -> None:
    add_traffic(console_database_url)
    assert await login(console, "viewer") == 303
    today = datetime.now(UTC).date()
    response = await console.get(f"/console/dashboard.csv?from={today}&to={today - timedelta(days=3)}")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    body = (await response.read()).decode("utf-8-sig")
    assert "telegram" in body.lower() or "Telegram" in body
    page = await (await console.get(f"/console/dashboard?from={today}&to={today - timedelta(days=3)}")).text()
    assert "đã đổi chỗ hai ngày" in page
