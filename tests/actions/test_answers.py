"""Answers about one procedure, from the seeded knowledge base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from actions import answers
from knowledge.db import make_engine, make_session_factory
from knowledge.models import Procedure
from knowledge.queries import procedure_with_details


@pytest.fixture(scope="module")
def session(seeded_database_url: str) -> Iterator[Session]:
    engine = make_engine(seeded_database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def load(session: Session, code: str) -> Procedure:
    procedure = procedure_with_details(session, code)
    assert procedure is not None, code
    return procedure


@pytest.mark.parametrize("intent", sorted(answers.ASPECT_BY_INTENT))
def test_every_answer_names_the_procedure_links_the_page_and_offers_follow_ups(
    session: Session, intent: str
) -> None:
    procedure = load(session, "1.004222")  # Đăng ký thường trú
    reply = answers.answer(procedure, intent)
    assert reply.text.startswith("📄 " + procedure.name)
    assert procedure.url and procedure.url in reply.text
    assert len(reply.text) < 2500
    titles = [b["title"] for b in reply.buttons]
    assert "Hỏi thủ tục khác" in titles
    aspects = [b for b in reply.buttons if b["payload"].startswith(("/ask_", "/show_more"))]
    assert len(aspects) >= 4
    assert all(procedure.code in b["payload"] for b in aspects)
    assert titles[-2:] == ["👍", "👎"]


def test_documents_are_numbered_with_quantities(session: Session) -> None:
    text = answers.answer(load(session, "1.004222"), "ask_documents").text
    assert "1. " in text and "bản" in text


def test_fee_and_duration_per_channel(session: Session) -> None:
    procedure = load(session, "1.004222")
    fee = answers.answer(procedure, "ask_fee").text
    duration = answers.answer(procedure, "ask_duration").text
    assert "Phí, lệ phí:" in fee and "Thời hạn giải quyết:" in duration
    assert "Trực tiếp" in fee and "ngày" in duration


def test_unknown_values_are_said_to_be_unknown(session: Session) -> None:
    procedure = load(session, "1.004222")
    saved = procedure.channels
    procedure.channels = []
    try:
        assert answers.UNKNOWN in answers.answer(procedure, "ask_fee").text
    finally:
        procedure.channels = saved
        session.rollback()


def test_documents_show_the_case_they_belong_to(session: Session) -> None:
    text = answers.answer(load(session, "1.012786"), "ask_documents").text  # several cases
    assert "Đối với trường hợp" in text


def test_long_lists_continue_with_xem_them(session: Session) -> None:
    procedure = load(session, "1.004222")  # Đăng ký thường trú: 18 documents
    first = answers.answer(procedure, "ask_documents")
    more = first.buttons[0]
    assert more["title"] == "Xem thêm" and more["payload"].startswith("/show_more")
    assert '"offset": "8"' in more["payload"] and '"aspect": "documents"' in more["payload"]
    second = answers.answer(procedure, "ask_documents", answers.MAX_ITEMS)
    assert f"{answers.MAX_ITEMS + 1}. " in second.text and "(tiếp)" in second.text
    last = answers.answer(procedure, "ask_documents", 16)
    assert "18. " in last.text and last.buttons[0]["title"] != "Xem thêm"


def test_steps_page_by_page(session: Session) -> None:
    procedure = load(session, "1.004222")
    seen = []
    offset: int | None = 0
    while offset is not None:
        section = answers.SECTIONS["steps"](procedure, offset)
        seen.extend(line for line in section.lines if line != "Trình tự thực hiện:")
        offset = section.next_offset
    assert len(seen) == len(procedure.steps)


def test_a_case_named_like_its_group_is_not_repeated(session: Session) -> None:
    text = answers.answer(load(session, "1.001193"), "ask_documents").text  # Đăng ký khai sinh
    assert "Giấy tờ phải nộp:\nGiấy tờ phải nộp:" not in text


def test_a_bare_number_of_days_is_flagged(session: Session) -> None:
    text = answers.answer(load(session, "1.001193"), "ask_duration").text  # published as "1"
    assert "không ghi đơn vị" in text
