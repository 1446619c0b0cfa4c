"""Raw requests to the JSON API (invalid UTF-8, malformed and oversized JSON, wrong content
types, missing fields, wrong methods), as is and from the widget's page: never a 5xx, always
the documented JSON error with a Vietnamese message, nothing stored, nothing sent to Rasa."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.hostile.cases import HTTP, RAW_CASES, WIDGET, WIDGET_ORIGIN, RawCase
from tests.hostile.checks import check_answer, check_log, check_reply_body, is_vietnamese
from tests.hostile.exchanges import Exchange

pytestmark = pytest.mark.timeout(600)

RAW_PARAMS = [
    pytest.param(case, channel, id=f"{channel}-{case.name}") for case in RAW_CASES for channel in HTTP
]


@pytest.mark.parametrize(("case", "channel"), RAW_PARAMS)
def test_a_raw_request_gets_the_documented_answer(
    case: RawCase, channel: str, raw_results: dict[tuple[str, str], Exchange], hostile_db: Engine
) -> None:
    exchange = raw_results[(channel, case.name)]
    [status], [headers], [body] = exchange.statuses, exchange.headers, exchange.bodies
    assert status == case.status, (status, body)
    assert headers.get("Content-Type", "").startswith("application/json")
    if channel == WIDGET:
        # The page may read the answer, so the widget can show its message.
        assert headers.get("Access-Control-Allow-Origin") == WIDGET_ORIGIN
    if case.answered:
        check_reply_body(body)
        check_answer([reply["text"] for reply in body["replies"]])
        accepted = ["xin chào"]
    else:
        assert body == {"error": case.error, "message": case.message}
        assert is_vietnamese(body["message"])
        accepted = []
    check_log(hostile_db, exchange.sender_id, accepted)
    assert exchange.rasa_texts == accepted
