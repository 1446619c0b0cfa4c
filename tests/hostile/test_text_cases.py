"""Every text of the catalogue through the JSON API, the widget's endpoint and Telegram: a clear
Vietnamese reply, nothing stored that should not be, Rasa sees only what is accepted, cleaned."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.hostile.cases import (
    DOSSIER_APPLICANT,
    HTTP,
    TELEGRAM,
    TELEGRAM_CASES,
    TEXT_CASES,
    WIDGET,
    Expect,
    TelegramCase,
    TextCase,
)
from tests.hostile.checks import check_answer, check_log, check_reply_body, is_vietnamese, notice_of
from tests.hostile.exchanges import Exchange

pytestmark = pytest.mark.timeout(600)

TEXT_PARAMS = [
    pytest.param(case, channel, id=f"{channel}-{case.name}")
    for case in TEXT_CASES
    for channel in case.channels
]


def _check_http(exchange: Exchange, case: TextCase, expect: Expect) -> None:
    assert all(status == 200 for status in exchange.statuses), exchange.statuses
    for body in exchange.bodies:
        check_reply_body(body)
    if exchange.channel == WIDGET:
        # The widget's page may read every answer (CORS), so it can show it.
        assert all(h.get("Access-Control-Allow-Origin") for h in exchange.headers)
    if expect is Expect.ANSWER:
        assert set(exchange.authors) == {"bot"}, exchange.authors
    else:
        assert exchange.ids == ["0"], "a refusal is not stored"


def _check_telegram_html(exchange: Exchange) -> None:
    for html in exchange.html:
        for tag in ("<script", "<img", "<svg", "<a href", "<textarea", "<iframe"):
            assert tag not in html.lower(), html


@pytest.mark.parametrize(("case", "channel"), TEXT_PARAMS)
def test_a_text_gets_a_clear_reply_and_only_accepted_text_is_stored(
    case: TextCase, channel: str, text_results: dict[tuple[str, str], Exchange], hostile_db: Engine
) -> None:
    exchange = text_results[(channel, case.name)]
    expect = case.expect_on(channel)
    if channel in HTTP:
        _check_http(exchange, case, expect)
    else:
        _check_telegram_html(exchange)
    assert not any(DOSSIER_APPLICANT in reply for reply in exchange.replies), "the applicant's name is masked"
    before = [text.strip() for text in case.before]
    if expect is Expect.ANSWER:
        check_answer(exchange.replies, case.contains)
        accepted = [*before, case.stored_text]
    else:
        assert exchange.replies[:1] == [notice_of(expect)], exchange.replies
        assert all(is_vietnamese(reply) for reply in exchange.replies)
        accepted = before
    check_log(hostile_db, exchange.sender_id, accepted)
    assert exchange.rasa_texts == accepted, "Rasa sees exactly the accepted messages, cleaned"
    if channel == WIDGET:
        # After a reload the widget shows the conversation as stored: the same texts.
        assert [m["text"] for m in exchange.history if m["from"] == "user"] == accepted


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in TELEGRAM_CASES])
def test_a_telegram_update_without_text_gets_a_clear_reply(
    case: TelegramCase, text_results: dict[tuple[str, str], Exchange], hostile_db: Engine
) -> None:
    exchange = text_results[(TELEGRAM, case.name)]
    _check_telegram_html(exchange)
    if case.expect is Expect.BUTTON_EXPIRED:
        assert exchange.toast == notice_of(case.expect)
        assert exchange.replies == []
    elif case.expect is Expect.ANSWER:
        check_answer(exchange.replies)
    else:
        assert exchange.replies == [notice_of(case.expect)]
    accepted = [case.stored_text] if case.expect is Expect.ANSWER else []
    check_log(hostile_db, exchange.sender_id, accepted)
    assert exchange.rasa_texts == accepted
