"""Handoff requests, complaints and low-confidence messages reach the staff inbox."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.db import make_engine, make_session_factory
from knowledge.models import InboxItem
from tests.integration.test_procedure_answers import say, text_of
from tests.stack import Stack


def items_of(database_url: str, sender: str) -> list[InboxItem]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(InboxItem).where(InboxItem.sender_id == sender)))
    finally:
        engine.dispose()


def test_handoff_is_recorded_with_the_conversation(stack: Stack, seeded_database_url: str) -> None:
    sender = "web:inbox-handoff"
    say(stack, sender, "lệ phí đăng ký thường trú bao nhiêu")
    text = text_of(say(stack, sender, "cho tôi gặp nhân viên"))
    assert "cán bộ" in text and "thứ Hai đến thứ Sáu" in text
    [item] = items_of(seeded_database_url, sender)
    assert item.kind == "handoff" and item.channel == "web"
    turns = item.nlu["conversation"]  # type: ignore[index]
    assert turns[0] == {"from": "citizen", "text": "lệ phí đăng ký thường trú bao nhiêu"}


def test_complaint_gets_a_reference_number(stack: Stack, seeded_database_url: str) -> None:
    sender = "tg:inbox-complaint"
    text = text_of(say(stack, sender, "bot trả lời sai hết, làm ăn kiểu gì vậy"))
    [item] = items_of(seeded_database_url, sender)
    assert item.kind == "complaint" and item.channel == "telegram"
    assert item.reference and item.reference in text


def test_two_misses_in_a_row_offer_a_person(stack: Stack, seeded_database_url: str) -> None:
    sender = "inbox-fallback"
    first = say(stack, sender, "/nlu_fallback")
    second = say(stack, sender, "/nlu_fallback")
    assert "chưa hiểu" in text_of(first) and "vẫn chưa hiểu" in text_of(second)
    assert [b["payload"] for r in second for b in r.get("buttons", [])] == ["/human_handoff"]
    assert [i.kind for i in items_of(seeded_database_url, sender)] == ["low_confidence", "low_confidence"]
