"""The real Rasa server and action server answer Vietnamese over REST."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.stack import Stack


def post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def parse(stack: Stack, text: str) -> dict[str, Any]:
    return post(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", {"text": text})


def say(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    return post(f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text})


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Xin chào", "greet"),
        ("thủ tục làm sổ đỏ cần giấy tờ gì", "ask_documents"),
        ("thu tuc lam so do can giay to gi", "ask_documents"),
        ("lệ phí cấp đổi cccd bao nhiêu", "ask_fee"),
        ("cho tôi gặp nhân viên", "human_handoff"),
    ],
)
def test_intents_over_the_http_api(stack: Stack, text: str, intent: str) -> None:
    assert parse(stack, text)["intent"]["name"] == intent


def test_procedure_mention_is_marked(stack: Stack) -> None:
    entities = parse(stack, "thủ tục làm sổ đỏ cần giấy tờ gì")["entities"]
    assert any(e["entity"] == "procedure" and "sổ đỏ" in e["value"] for e in entities)


def test_receipt_code_is_extracted(stack: Stack) -> None:
    entities = parse(stack, "tra cứu hồ sơ 000.00.04.H51-200221-0001 giúp tôi")["entities"]
    assert any(e["entity"] == "receipt_code" and e["value"] == "000.00.04.H51-200221-0001" for e in entities)


def test_greeting_gets_a_vietnamese_reply(stack: Stack) -> None:
    replies = say(stack, "test-greet", "chào bạn")
    assert replies and "Xin chào" in replies[0]["text"]


def test_low_confidence_goes_to_the_action_servers_fallback(stack: Stack) -> None:
    # "/nlu_fallback" is what the FallbackClassifier predicts below its threshold.
    replies = say(stack, "test-fallback", "/nlu_fallback")
    texts = " ".join(r.get("text", "") for r in replies)
    assert "chưa hiểu" in texts
    assert any(b["payload"] == "/human_handoff" for r in replies for b in r.get("buttons", []))


@pytest.mark.parametrize("text", ["qwxz zzkj vvbn", "asdfghjkl", "?????"])
def test_nonsense_gets_a_clear_reply(stack: Stack, text: str) -> None:
    replies = say(stack, f"test-nonsense-{text}", text)
    texts = " ".join(r.get("text", "") for r in replies)
    assert "chưa hiểu" in texts or "chỉ hỗ trợ" in texts, texts


def test_the_http_api_needs_the_token(stack: Stack) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        post(f"{stack.rasa_url}/model/parse", {"text": "xin chào"})
    assert error.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as error:
        post(f"{stack.rasa_url}/model/parse?token=wrong", {"text": "xin chào"})
    assert error.value.code == 401
