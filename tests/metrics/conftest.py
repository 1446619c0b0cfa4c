"""A migrated database with a handful of hand-made conversations over three days.

SQLite by default, PostgreSQL with ``TEST_POSTGRES_URL`` (as in
``tests/knowledge``). The dashboard's range is the province's days 1 to 3
March 2026, that is ``[2026-02-28 17:00 UTC, 2026-03-03 17:00 UTC)``: rows
just before and just after those instants check the UTC+7 day boundaries.
The expected numbers are worked out in the tests, row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory
from knowledge.local_days import day_range
from knowledge.migrate import upgrade
from knowledge.models import ConversationMessage, Feedback, InboxItem, Procedure
from tests.knowledge.conftest import fresh_database

FIRST_DAY, LAST_DAY = date(2026, 3, 1), date(2026, 3, 3)
START, END = day_range(FIRST_DAY, LAST_DAY)
DAYS = (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3))

KHAI_SINH = "Thủ tục đăng ký khai sinh"
CAN_CUOC = "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)"


def utc(day: int, hour: int, minute: int = 0, second: int = 0, ms: int = 0, month: int = 3) -> datetime:
    """A moment of 2026 in UTC (March unless told)."""
    return datetime(2026, month, day, hour, minute, second, ms * 1000, tzinfo=UTC)


@pytest.fixture(scope="session")
def metrics_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database for the dashboard's tests."""
    with fresh_database("metrics", tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def empty_session(metrics_engine: Engine) -> Iterator[Session]:
    """A session on the database emptied of the rows the dashboard reads."""
    with metrics_engine.begin() as connection:
        for model in (ConversationMessage, InboxItem, Feedback, Procedure):
            connection.execute(delete(model))
    with make_session_factory(metrics_engine)() as opened:
        yield opened


def _incoming(session: Session, sender: str, channel: str, at: datetime, text: str) -> int:
    row = ConversationMessage(
        sender_id=sender, channel=channel, direction="in", text=text, author="citizen", created_at=at
    )
    session.add(row)
    session.flush()
    return row.id


def _reply(
    session: Session,
    to: int | None,
    sender: str,
    channel: str,
    at: datetime,
    text: str,
    response_ms: float | None,
    author: str = "bot",
) -> None:
    session.add(
        ConversationMessage(
            sender_id=sender,
            channel=channel,
            direction="out",
            text=text,
            reply_to_id=to,
            response_ms=response_ms,
            author=author,
            created_at=at,
        )
    )


@pytest.fixture
def session(empty_session: Session) -> Session:
    """The database filled with the hand-made rows below (committed)."""
    s = empty_session
    s.add_all(
        [
            Procedure(code="1.001193", name=KHAI_SINH, level_commune=True),
            # Same name at another level: the heading's levels tell them apart.
            Procedure(code="9.000001", name=KHAI_SINH, level_province=True),
        ]
    )
    khai_sinh = f"📄 {KHAI_SINH} (Cấp xã)\nGiấy tờ phải nộp:\n1. Tờ khai đăng ký khai sinh"
    can_cuoc = f"📄 {CAN_CUOC} (Cấp tỉnh)\nLệ phí: 50.000 đồng"

    # Incoming messages (local day in brackets).
    m0 = _incoming(s, "web:before", "web", utc(28, 16, 59, 59, month=2), "làm căn cước")  # [02-28] out
    m1 = _incoming(s, "tg:1", "telegram", utc(28, 17, month=2), "khai sinh cần gì")  # [03-01 00:00]
    m2 = _incoming(s, "tg:1", "telegram", utc(1, 2), "xem thêm")  # [03-01]
    m3 = _incoming(s, "web:a", "web", utc(1, 16, 59, 59), "lệ phí căn cước")  # [03-01 23:59:59]
    m4 = _incoming(s, "web:a", "web", utc(1, 17), "còn khai sinh?")  # [03-02 00:00]
    m5 = _incoming(s, "web:b", "web", utc(2, 3), "abc xyz")  # [03-02]
    m6 = _incoming(s, "k3y-session", "api", utc(3, 10), "khai sinh")  # [03-03]
    m7 = _incoming(s, "tg:2", "telegram", utc(3, 16, 59, 59), "gặp cán bộ")  # [03-03 23:59:59]
    _incoming(s, "tg:2", "telegram", utc(3, 17), "alo")  # [03-04] out

    # Replies: the assistant's, with their response times.
    _reply(s, m0, "web:before", "web", utc(28, 16, 59, 59, 500, month=2), can_cuoc, 250)  # out
    _reply(s, m1, "tg:1", "telegram", utc(28, 17, 0, 0, 400, month=2), khai_sinh, 400)
    _reply(s, m2, "tg:1", "telegram", utc(1, 2, 0, 1, 200), f"📄 {KHAI_SINH} (Cấp xã) (tiếp)\n9. Giấy", 1200)
    _reply(s, m2, "tg:1", "telegram", utc(1, 2, 0, 1, 200), "Bạn thấy câu trả lời thế nào?", 1200)
    _reply(s, m3, "web:a", "web", utc(1, 16, 59, 59, 800), can_cuoc, 800)
    _reply(s, m4, "web:a", "web", utc(1, 17, 0, 2), khai_sinh, 2000)  # [03-02]
    _reply(s, m5, "web:b", "web", utc(2, 3, 0, 0, 600), "Xin lỗi, tôi chưa hiểu rõ câu hỏi.", 600)
    _reply(s, m6, "k3y-session", "api", utc(3, 10, 0, 0, 300), khai_sinh, 300)
    _reply(s, m7, "tg:2", "telegram", utc(3, 17, 0, 4), can_cuoc, 5000)  # [03-04] out
    # Not the assistant's answers: staff, a gateway notice, a notification.
    _reply(s, m5, "web:b", "web", utc(2, 4), "📄 Thủ tục giả (Cấp xã)", 3_600_000, author="staff")
    _reply(s, m7, "tg:2", "telegram", utc(3, 16, 59, 59, 900), "Hệ thống đang bận.", 15_000, author="system")
    _reply(s, None, "tg:1", "telegram", utc(2, 5), "🔔 Hồ sơ của bạn đã thay đổi.", None)

    inbox = [
        ("unanswered", "tg:1", "telegram", utc(1, 2, 0, 1), "ask_fee"),
        ("low_confidence", "web:b", "web", utc(2, 3, 0, 0, 500), "nlu_fallback"),
        ("handoff", "web:b", "web", utc(2, 3, 5), "human_handoff"),
        ("handoff", "tg:2", "telegram", utc(3, 16, 59, 59), "human_handoff"),
        ("complaint", "k3y-session", "api", utc(3, 10), "complaint"),
        ("handoff", "web:before", "web", utc(28, 16, 59, month=2), "human_handoff"),  # out
        ("low_confidence", "tg:2", "telegram", utc(3, 17), "nlu_fallback"),  # out
    ]
    s.add_all(
        InboxItem(kind=kind, sender_id=sender, channel=channel, text="...", intent=intent, created_at=at)
        for kind, sender, channel, at, intent in inbox
    )
    ratings = [
        ("up", "tg:1", "telegram", utc(1, 3), "ask_documents"),
        ("up", "web:a", "web", utc(1, 10), "ask_documents"),
        ("down", "web:a", "web", utc(1, 16, 30), "ask_fee"),
        ("up", "k3y-session", "api", utc(3, 16, 59, 59), "ask_fee"),
        ("up", "tg:2", "telegram", utc(3, 17), "ask_where"),  # out
        ("down", "web:before", "web", utc(28, 16, 59, 59, month=2), "ask_where"),  # out
    ]
    s.add_all(
        Feedback(
            rating=rating,
            sender_id=sender,
            channel=channel,
            question="?",
            answer="!",
            intent=intent,
            created_at=at,
        )
        for rating, sender, channel, at, intent in ratings
    )
    s.commit()
    return s
