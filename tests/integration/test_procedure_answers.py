"""Questions about procedures, answered from the knowledge base through Rasa."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.stack import Stack


def say(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def buttons_of(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for r in replies for b in r.get("buttons", [])]


def ask(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    """Ask; when the bot asks which procedure is meant, pick its first offer."""
    replies = say(stack, sender, text)
    if "thủ tục nào" in text_of(replies):
        replies = say(stack, sender, buttons_of(replies)[0]["payload"])
    return replies


def test_documents_for_the_land_certificate(stack: Stack) -> None:
    replies = ask(stack, "answers-so-do", "thủ tục làm sổ đỏ cần giấy tờ gì")
    text = text_of(replies)
    assert "Giấy chứng nhận" in text or "đất" in text
    assert "Giấy tờ phải nộp" in text or "Thành phần" in text
    assert "dichvucong.gov.vn" in text
    assert {"Lệ phí", "Thời hạn", "Nộp ở đâu"} <= {b["title"] for b in buttons_of(replies)}


def test_follow_up_refers_to_the_same_procedure(stack: Stack) -> None:
    first = text_of(ask(stack, "answers-follow-up", "lệ phí đăng ký thường trú bao nhiêu"))
    assert "Phí, lệ phí" in first
    heading = first.splitlines()[0]
    second = text_of(say(stack, "answers-follow-up", "còn thời hạn giải quyết mất bao lâu"))
    assert "Thời hạn giải quyết" in second
    assert second.splitlines()[0] == heading


def test_quick_reply_answers_another_aspect(stack: Stack) -> None:
    replies = ask(stack, "answers-buttons", "cấp hộ chiếu phổ thông nộp ở đâu")
    fee_button = next(b for b in buttons_of(replies) if b["title"] == "Lệ phí")
    text = text_of(say(stack, "answers-buttons", fee_button["payload"]))
    assert "Phí, lệ phí" in text and "hộ chiếu" in text.lower()


def test_without_diacritics(stack: Stack) -> None:
    text = text_of(ask(stack, "answers-plain", "doi gplx mat bao nhieu tien"))
    assert "giấy phép lái xe" in text.lower()
    assert "Phí, lệ phí" in text


def test_situation_gets_procedure_suggestions(stack: Stack) -> None:
    replies = say(stack, "answers-situation", "tôi mới sinh con thì phải làm những giấy tờ gì")
    assert buttons_of(replies)


def test_xem_them_continues_a_long_list(stack: Stack) -> None:
    replies = ask(stack, "answers-more", "đăng ký thường trú cần những giấy tờ gì")
    more = next(b for b in buttons_of(replies) if b["title"] == "Xem thêm")
    text = text_of(say(stack, "answers-more", more["payload"]))
    assert "(tiếp)" in text and "9. " in text


def test_a_choice_button_answers_about_the_chosen_procedure(stack: Stack) -> None:
    # "sổ đỏ" names several land-certificate procedures, none clearly ahead.
    replies = say(stack, "answers-choice", "thủ tục làm sổ đỏ cần giấy tờ gì")
    assert "thủ tục nào" in text_of(replies)
    second = buttons_of(replies)[1]
    text = text_of(say(stack, "answers-choice", second["payload"]))
    assert text.splitlines()[0].startswith("📄 " + second["title"][:40])
