"""The FAQ entries staff write in the console, in the bot's answers (actions/faq.py).

Actions run in-process on the seeded knowledge base; the FAQ entries are
written the way the console writes them (knowledge.directory_edit) and
removed after each test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from actions import faq, messages
from actions.fallback import ActionDefaultFallback
from actions.procedures import ActionAnswerProcedure, ActionFindProcedure
from bot.telegram.formatting import escape
from knowledge import directory_edit
from knowledge.catalog import CHECK_INTERVAL_S
from knowledge.directory_edit import FaqValues
from knowledge.faq_match import FaqBook
from knowledge.models import AuditEntry, Faq, InboxItem
from tests.actions.conftest import bot, run, slot_events, tracker, user

STAFF = "can-bo-faq"
KHAI_SINH = "1.001193"  # Thủ tục đăng ký khai sinh
LATE_QUESTION = "Đăng ký khai sinh cho con quá hạn 60 ngày có bị phạt không?"
LATE_ANSWER = "Đăng ký khai sinh quá hạn vẫn được giải quyết; cán bộ hộ tịch hướng dẫn bạn khi nộp hồ sơ."
SATURDAY_QUESTION = "Bộ phận một cửa có làm việc vào sáng thứ Bảy không?"
SATURDAY_ANSWER = "Có. Bộ phận một cửa tiếp nhận hồ sơ sáng thứ Bảy, từ 7 giờ 30 đến 11 giờ 30."


@dataclass
class Faqs:
    """Write FAQ entries as staff do in the console."""

    sessions: sessionmaker[Session]
    created: list[int] = field(default_factory=list)

    def add(self, question: str, answer: str, code: str | None = None) -> int:
        with self.sessions.begin() as session:
            faq_id = directory_edit.create_faq(session, FaqValues(question, answer, code), STAFF).id
        self.created.append(faq_id)
        return faq_id

    def edit(self, faq_id: int, question: str, answer: str, code: str | None = None) -> None:
        with self.sessions.begin() as session:
            directory_edit.update_faq(session, faq_id, FaqValues(question, answer, code), STAFF)

    def set_active(self, faq_id: int, active: bool) -> None:
        with self.sessions.begin() as session:
            directory_edit.set_faq_active(session, faq_id, active, STAFF)


@pytest.fixture
def faqs(kb: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> Iterator[Faqs]:
    """FAQ entries on the seeded knowledge base, seen by the actions through a fresh index."""
    book = FaqBook(kb)
    monkeypatch.setattr(faq, "faq_book", lambda: book)
    written = Faqs(kb)
    yield written
    with kb.begin() as session:
        session.execute(delete(Faq).where(Faq.id.in_(written.created)))
        session.execute(
            delete(AuditEntry).where(AuditEntry.entity == directory_edit.FAQ, AuditEntry.actor == STAFF)
        )


def fallback_message(text: str) -> dict[str, Any]:
    return user(text, "nlu_fallback", confidence=0.3)


def payloads(message: dict[str, Any]) -> list[str]:
    return [b["payload"] for b in message.get("buttons") or []]


def titles(message: dict[str, Any]) -> list[str]:
    return [b["title"] for b in message.get("buttons") or []]


def inbox_items(sessions: sessionmaker[Session], sender: str) -> list[InboxItem]:
    with sessions() as session:
        return list(session.scalars(select(InboxItem).where(InboxItem.sender_id == sender)))


async def test_a_low_confidence_message_that_asks_an_faq_gets_its_answer(
    faqs: Faqs, kb: sessionmaker[Session]
) -> None:
    faqs.add(SATURDAY_QUESTION, SATURDAY_ANSWER)
    sender = "web:faq-fallback"
    sent, events = await run(
        ActionDefaultFallback(),
        tracker(sender, [fallback_message("sang thu 7 bo phan mot cua co lam viec ko ad")]),
    )
    assert sent[0]["text"] == f"💬 Câu hỏi thường gặp: {SATURDAY_QUESTION}\n{SATURDAY_ANSWER}"
    assert titles(sent[0]) == ["👍", "👎"]
    assert [e["event"] for e in events] == ["rewind"]  # forgotten like any fallback
    assert inbox_items(kb, sender) == []  # answered: nothing for staff to do


async def test_a_message_no_faq_matches_still_gets_the_fallback(
    faqs: Faqs, kb: sessionmaker[Session]
) -> None:
    faqs.add(SATURDAY_QUESTION, SATURDAY_ANSWER)
    sender = "web:faq-no-match"
    sent, _ = await run(
        ActionDefaultFallback(), tracker(sender, [fallback_message("bộ phận một cửa ở chỗ nào vậy")])
    )
    assert sent[0]["text"] == messages.FALLBACK
    assert [item.kind for item in inbox_items(kb, sender)] == ["low_confidence"]


async def test_a_miss_after_an_faq_answer_is_a_first_miss(faqs: Faqs) -> None:
    faqs.add(SATURDAY_QUESTION, SATURDAY_ANSWER)
    first = fallback_message("thứ bảy bộ phận một cửa có làm việc không")
    sent, _ = await run(ActionDefaultFallback(), tracker("web:faq-then-miss", [first]))
    events = [first, bot(sent[0]["text"]), fallback_message("còn cái kia thì sao")]
    sent, _ = await run(ActionDefaultFallback(), tracker("web:faq-then-miss", events))
    assert sent[0]["text"] == messages.FALLBACK  # not "still not understood, a person?"
    events = [fallback_message("abc xyz"), bot(messages.FALLBACK), fallback_message("còn cái kia thì sao")]
    sent, _ = await run(ActionDefaultFallback(), tracker("web:two-misses", events))
    assert sent[0]["text"] == messages.FALLBACK_AGAIN


async def test_a_linked_faq_answers_a_procedure_question_it_matches(faqs: Faqs) -> None:
    faq_id = faqs.add(LATE_QUESTION, LATE_ANSWER, KHAI_SINH)
    question = "khai sinh cho con quá hạn 60 ngày thì có bị phạt không ạ"
    entities = [{"entity": "procedure", "value": "khai sinh", "start": 0, "end": 9}]
    sent, events = await run(
        ActionAnswerProcedure(), tracker("web:faq-linked", [user(question, "ask_fee", entities)])
    )
    assert sent[0]["text"].startswith(f"💬 Câu hỏi thường gặp: {LATE_QUESTION}\n")
    assert LATE_ANSWER in sent[0]["text"]
    # The procedure's aspects stay one click away, the fee first among them.
    assert f'/ask_fee{{"procedure_code": "{KHAI_SINH}"}}' in payloads(sent[0])
    assert not any(f'"aspect": "faq:{faq_id}"' in p for p in payloads(sent[0]))  # not offered again
    assert titles(sent[0])[-3:] == ["Hỏi thủ tục khác", "👍", "👎"]
    assert slot_events(events) == {"procedure_code": KHAI_SINH, "offered_codes": None}

    # Clicking "Lệ phí" under it gives the fee, not the same FAQ again.
    fee = f'/ask_fee{{"procedure_code": "{KHAI_SINH}"}}'
    clicked = [
        user(question, "ask_fee", entities),
        bot(sent[0]["text"]),
        user(fee, "ask_fee", [{"entity": "procedure_code", "value": KHAI_SINH}]),
    ]
    sent, _ = await run(
        ActionAnswerProcedure(), tracker("web:faq-linked", clicked, slots={"procedure_code": KHAI_SINH})
    )
    assert sent[0]["text"].startswith("📄 Thủ tục đăng ký khai sinh") and "Phí, lệ phí:" in sent[0]["text"]
    assert any(f'"aspect": "faq:{faq_id}"' in p for p in payloads(sent[0]))  # offered instead


async def test_an_ordinary_procedure_question_keeps_its_answer_and_offers_linked_faqs(faqs: Faqs) -> None:
    ids = [
        faqs.add(LATE_QUESTION, LATE_ANSWER, KHAI_SINH),
        faqs.add("Bố mẹ chưa đăng ký kết hôn có làm khai sinh cho con được không?", "Được.", KHAI_SINH),
        faqs.add("Khai sinh cho con ở nơi tạm trú được không?", "Được.", KHAI_SINH),
        faqs.add(
            "Con sinh ở bệnh viện tỉnh khác thì khai sinh ở đâu?", "Nơi cư trú của cha hoặc mẹ.", KHAI_SINH
        ),
        faqs.add(SATURDAY_QUESTION, SATURDAY_ANSWER),  # about no procedure: not offered
    ]
    entities = [{"entity": "procedure", "value": "đăng ký khai sinh", "start": 7, "end": 24}]
    question = "lệ phí đăng ký khai sinh bao nhiêu"
    sent, events = await run(
        ActionAnswerProcedure(), tracker("web:faq-offer", [user(question, "ask_fee", entities)])
    )
    assert sent[0]["text"].startswith("📄 Thủ tục đăng ký khai sinh")
    assert "Phí, lệ phí:" in sent[0]["text"]
    offers = [b for b in sent[0]["buttons"] if b["title"].startswith("Câu hỏi thường gặp: ")]
    assert len(offers) == 3
    for offer in offers:
        assert offer["payload"].startswith("/show_more{")
        values = json.loads(offer["payload"][len("/show_more") :])
        assert values["procedure_code"] == KHAI_SINH and values["aspect"] in {f"faq:{i}" for i in ids[:4]}
        assert len(offer["title"]) <= len("Câu hỏi thường gặp: ") + faq.BUTTON_QUESTION_CHARS
    # Offered before "Hỏi thủ tục khác" and the 👍 / 👎 pair, which stay last.
    assert titles(sent[0])[-3:] == ["Hỏi thủ tục khác", "👍", "👎"]
    assert slot_events(events)["procedure_code"] == KHAI_SINH


async def test_clicking_an_offered_faq_answers_it(faqs: Faqs) -> None:
    faq_id = faqs.add(LATE_QUESTION, LATE_ANSWER, KHAI_SINH)
    other = faqs.add("Khai sinh cho con ở nơi tạm trú được không?", "Được.", KHAI_SINH)
    aspect = f"faq:{faq_id}"
    payload = "/show_more" + json.dumps({"procedure_code": KHAI_SINH, "aspect": aspect})
    click = user(
        payload,
        "show_more",
        [{"entity": "procedure_code", "value": KHAI_SINH}, {"entity": "aspect", "value": aspect}],
    )
    events = [user("lệ phí khai sinh bao nhiêu", "ask_fee"), bot("📄 ..."), click]
    sent, returned = await run(ActionAnswerProcedure(), tracker("web:faq-click", events))
    assert sent[0]["text"] == f"💬 Câu hỏi thường gặp: {LATE_QUESTION}\n{LATE_ANSWER}"
    assert any(f'"aspect": "faq:{other}"' in p for p in payloads(sent[0]))
    assert slot_events(returned)["procedure_code"] == KHAI_SINH

    faqs.set_active(faq_id, False)  # deactivated after it was offered
    sent, returned = await run(ActionAnswerProcedure(), tracker("web:faq-click", events))
    assert sent[0]["text"] == messages.FAQ_GONE
    assert returned == []


async def test_a_question_without_a_clear_procedure_gets_a_matching_faq(faqs: Faqs) -> None:
    question = "em làm mất giấy biên nhận hồ sơ rồi thì phải làm sao ạ"
    asked = [(ActionAnswerProcedure(), "ask_overview"), (ActionFindProcedure(), "find_procedure")]
    for action, intent in asked:  # without the FAQ: look-alike procedures to choose from
        sent, _ = await run(action, tracker("web:faq-unclear", [user(question, intent)]))
        assert sent[0]["text"] in (messages.WHICH_PROCEDURE, messages.SITUATION_CANDIDATES), action.name()
    faqs.add("Làm mất giấy biên nhận hồ sơ thì phải làm sao?", "Mang giấy tờ tùy thân đến nơi đã nộp hồ sơ.")
    time.sleep(CHECK_INTERVAL_S + 0.05)  # the FAQ table is checked at most twice a second
    for action, intent in asked:
        sent, _ = await run(action, tracker("web:faq-unclear", [user(question, intent)]))
        assert sent[0]["text"].endswith("Mang giấy tờ tùy thân đến nơi đã nộp hồ sơ."), action.name()


async def test_an_edited_faq_is_used_at_once(faqs: Faqs) -> None:
    faq_id = faqs.add(SATURDAY_QUESTION, SATURDAY_ANSWER)
    asked = tracker("web:faq-edit", [fallback_message("thứ bảy bộ phận một cửa có làm việc không")])
    sent, _ = await run(ActionDefaultFallback(), asked)
    assert sent[0]["text"].endswith(SATURDAY_ANSWER)

    # A new answer is read when it is given: at once.
    faqs.edit(faq_id, SATURDAY_QUESTION, "Từ tháng sau, bộ phận một cửa nghỉ thứ Bảy.")
    sent, _ = await run(ActionDefaultFallback(), asked)
    assert sent[0]["text"].endswith("Từ tháng sau, bộ phận một cửa nghỉ thứ Bảy.")

    # A new question is matched after the next check of the FAQ table (half a second).
    faqs.edit(faq_id, "Bộ phận một cửa có nhận hồ sơ vào buổi trưa không?", "Không, từ 11 giờ 30 đến 13 giờ.")
    time.sleep(CHECK_INTERVAL_S + 0.05)
    noon = tracker("web:faq-edit", [fallback_message("buổi trưa bộ phận một cửa có nhận hồ sơ không")])
    sent, _ = await run(ActionDefaultFallback(), noon)
    assert sent[0]["text"].endswith("Không, từ 11 giờ 30 đến 13 giờ.")
    sent, _ = await run(ActionDefaultFallback(), asked)
    assert sent[0]["text"] == messages.FALLBACK

    faqs.set_active(faq_id, False)  # deactivated: never used again, even before the next check
    sent, _ = await run(ActionDefaultFallback(), noon)
    assert sent[0]["text"] == messages.FALLBACK


async def test_staff_text_is_sent_as_plain_text(faqs: Faqs) -> None:
    answer = 'Xem <a href="http://x">tại đây</a> & <b>gọi</b> 1022\u202e\n\n\n\nHết.'
    faqs.add("Tổng đài hỗ trợ thủ tục hành chính là số nào?", answer)
    sent, _ = await run(
        ActionDefaultFallback(),
        tracker("web:faq-plain", [fallback_message("tổng đài hỗ trợ thủ tục hành chính số nào")]),
    )
    text = sent[0]["text"]
    assert '<a href="http://x">tại đây</a> & <b>gọi</b> 1022\n\nHết.' in text  # as written, not markup
    assert "\u202e" not in text
    # The channels show it as text: the widget sets textContent, Telegram gets it escaped.
    assert "&lt;b&gt;gọi&lt;/b&gt;" in escape(text) and "<b>" not in escape(text)
