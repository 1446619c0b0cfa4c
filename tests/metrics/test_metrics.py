"""The dashboard's numbers on the hand-made conversations of ``conftest.py``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from knowledge import metrics, metrics_asked
from knowledge.models import ConversationMessage
from tests.metrics.conftest import CAN_CUOC, DAYS, END, KHAI_SINH, START


def test_range_of_local_days_starts_at_midnight_in_vietnam() -> None:
    assert datetime(2026, 2, 28, 17, tzinfo=UTC) == START
    assert datetime(2026, 3, 3, 17, tzinfo=UTC) == END
    assert metrics.days_of(START, END) == DAYS
    # 23:30 UTC on the 1st is 06:30 on the 2nd in Vietnam: the last two days are the 1st and the 2nd.
    assert metrics.last_days(2, now=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == (
        datetime(2026, 2, 28, 17, tzinfo=UTC),
        datetime(2026, 3, 2, 17, tzinfo=UTC),
    )


def test_range_given_in_another_offset_means_the_same_instants(session: Session) -> None:
    hanoi = timezone(timedelta(hours=7))
    local = metrics.traffic(session, START.astimezone(hanoi), END.astimezone(hanoi))
    assert local == metrics.traffic(session, START, END)


@pytest.mark.parametrize(
    ("start", "end"),
    [(datetime(2026, 3, 1), datetime(2026, 3, 2, tzinfo=UTC)), (END, START), (START, START)],
)
def test_a_naive_or_empty_range_is_refused(session: Session, start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError):
        metrics.build_dashboard(session, start, end)


def test_messages_and_conversations_per_day_and_channel(session: Session) -> None:
    rows = {
        (row.day, row.channel): (row.conversations, row.messages)
        for row in metrics.traffic(session, START, END)
    }
    assert rows == {
        # tg:1 at 00:00:00 local (17:00 UTC the day before) and at 09:00; web:a at 23:59:59.
        (date(2026, 3, 1), "telegram"): (1, 2),
        (date(2026, 3, 1), "web"): (1, 1),
        (date(2026, 3, 1), "api"): (0, 0),
        # web:a again at 00:00:00 local, and web:b.
        (date(2026, 3, 2), "telegram"): (0, 0),
        (date(2026, 3, 2), "web"): (2, 2),
        (date(2026, 3, 2), "api"): (0, 0),
        # tg:2 at 23:59:59 local counts; its next message, a second later, is on the 4th.
        (date(2026, 3, 3), "telegram"): (1, 1),
        (date(2026, 3, 3), "web"): (0, 0),
        (date(2026, 3, 3), "api"): (1, 1),
    }


def test_channel_totals_count_a_sender_once_over_the_range(session: Session) -> None:
    totals = [
        (row.channel, row.conversations, row.messages) for row in metrics.channel_totals(session, START, END)
    ]
    # web:a wrote on the 1st and the 2nd: one conversation, though the days add up to 3.
    assert totals == [("telegram", 2, 3), ("web", 2, 3), ("api", 1, 1)]


def test_a_new_channel_gets_its_own_rows(session: Session) -> None:
    session.add(
        ConversationMessage(
            sender_id="zalo:1",
            channel="zalo",
            direction="in",
            text="hi",
            created_at=START + timedelta(hours=1),
        )
    )
    session.commit()
    totals = [row.channel for row in metrics.channel_totals(session, START, END)]
    assert totals == ["telegram", "web", "api", "zalo"]
    assert len(metrics.traffic(session, START, END)) == 3 * 4


def test_top_procedures_from_the_assistants_answer_headings(session: Session) -> None:
    top = metrics.top_procedures(session, START, END)
    assert top == [
        # Answers to m1, m4, m6; the "(tiếp)" page of m2 continues m1's question.
        metrics.ProcedureCount(KHAI_SINH, "Cấp xã", "1.001193", 3),
        # m3's answer; m0's is before the range, m7's after it; no procedure of that name is stored.
        metrics.ProcedureCount(CAN_CUOC, "Cấp tỉnh", None, 1),
    ]
    assert metrics.top_procedures(session, START, END, limit=1) == top[:1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("📄 Đăng ký kết hôn (Cấp xã)\nHồ sơ", ("Đăng ký kết hôn", "Cấp xã")),
        ("📄 Cấp phép (Cấp bộ, Cấp tỉnh, Cấp xã)", ("Cấp phép", "Cấp bộ, Cấp tỉnh, Cấp xã")),
        (
            "📄 Cấp lại thẻ căn cước (thực hiện tại cấp trung ương)",
            ("Cấp lại thẻ căn cước (thực hiện tại cấp trung ương)", ""),
        ),
        ("📄 Đăng ký kết hôn", ("Đăng ký kết hôn", "")),
        ("📄 Đăng ký kết hôn (Cấp xã) (tiếp)\n9. Giấy", None),
        ("Đăng ký kết hôn (Cấp xã)", None),
        ("📄 ", None),
    ],
)
def test_procedure_heading(text: str, expected: tuple[str, str] | None) -> None:
    assert metrics.procedure_heading(text) == expected


def test_top_intents_fall_back_to_the_inbox_and_feedback(session: Session) -> None:
    ranking = metrics.top_intents(session, START, END)
    assert ranking.source == "inbox_and_feedback"
    assert [(item.intent, item.count) for item in ranking.items] == [
        ("ask_fee", 3),  # one unanswered message, two ratings
        ("ask_documents", 2),
        ("human_handoff", 2),
        ("complaint", 1),
        ("nlu_fallback", 1),
    ]
    assert len(metrics.top_intents(session, START, END, limit=2).items) == 2


def test_top_intents_use_the_log_once_it_records_intents(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand in for a future ConversationMessage.intent column with an existing column.
    monkeypatch.setattr(metrics_asked, "_message_intent_column", lambda: ConversationMessage.sender_id)
    ranking = metrics.top_intents(session, START, END)
    assert ranking.source == "messages"
    # Incoming messages of the range only: no replies, nothing outside the range.
    assert [(item.intent, item.count) for item in ranking.items] == [
        ("tg:1", 2),
        ("web:a", 2),
        ("k3y-session", 1),
        ("tg:2", 1),
        ("web:b", 1),
    ]


def test_fallback_rate(session: Session) -> None:
    rate = metrics.fallback_rate(session, START, END)
    # One unanswered and one low-confidence item of the range, over 7 incoming messages.
    assert (rate.part, rate.total) == (2, 7)
    assert rate.share == pytest.approx(2 / 7)


def test_fallback_rate_without_messages_has_no_share(empty_session: Session) -> None:
    rate = metrics.fallback_rate(empty_session, START, END)
    assert (rate.part, rate.total, rate.share) == (0, 0, None)


def test_handoffs_per_day(session: Session) -> None:
    handoffs = metrics.handoffs_per_day(session, START, END)
    assert [(row.day, row.count) for row in handoffs] == [(DAYS[0], 0), (DAYS[1], 1), (DAYS[2], 1)]


def test_satisfaction_overall_and_per_day(session: Session) -> None:
    rated = metrics.satisfaction(session, START, END)
    assert (rated.up, rated.down, rated.share) == (3, 1, 0.75)
    assert [(row.day, row.up, row.down) for row in rated.daily] == [
        (DAYS[0], 2, 1),
        (DAYS[1], 0, 0),
        (DAYS[2], 1, 0),
    ]
    assert [row.share for row in rated.daily] == [pytest.approx(2 / 3), None, 1.0]


def test_response_times_once_per_answered_message(session: Session) -> None:
    times = metrics.response_times(session, START, END)
    # 300, 400, 600, 800, 1200, 2000 ms: m2's two-message reply counts once; staff, the
    # gateway's notices and the replies outside the range do not count.
    overall = times.overall
    assert (overall.count, overall.median_ms, overall.p95_ms) == (6, 700.0, pytest.approx(1800.0))
    assert [(row.day, row.count, row.median_ms, row.p95_ms) for row in times.daily] == [
        (DAYS[0], 3, 800.0, pytest.approx(1160.0)),  # 400, 800, 1200
        (DAYS[1], 2, 1300.0, pytest.approx(1930.0)),  # 2000 (at 00:00:02 local), 600
        (DAYS[2], 1, 300.0, 300.0),
    ]


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 0.95, None),
        ([5.0], 0.95, 5.0),
        ([float(v) for v in range(100, 2001, 100)], 0.95, 1905.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 1.0, 4.0),
    ],
)
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert metrics.percentile(values, q) == (None if expected is None else pytest.approx(expected))


def test_dashboard_gathers_everything(session: Session) -> None:
    dashboard = metrics.build_dashboard(session, START, END)
    assert (dashboard.start, dashboard.end, dashboard.days) == (START, END, DAYS)
    assert dashboard.traffic == tuple(metrics.traffic(session, START, END))
    assert dashboard.top_procedures[0].answers == 3
    assert dashboard.fallback == metrics.Rate(2, 7)
    assert [row.count for row in dashboard.handoffs] == [0, 1, 1]
    assert dashboard.satisfaction.share == 0.75
    assert dashboard.response_times.overall.count == 6


def test_empty_range_gives_zeros_not_errors(empty_session: Session) -> None:
    dashboard = metrics.build_dashboard(empty_session, START, END)
    assert {row.messages for row in dashboard.traffic} == {0}
    assert dashboard.top_procedures == ()
    assert dashboard.top_intents.items == ()
    assert dashboard.satisfaction.share is None
    assert dashboard.response_times.overall == metrics.Percentiles(0, None, None)
