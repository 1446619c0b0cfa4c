"""The NLU training data and the held-out test set meet the project's rules."""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter

from nlu import textnorm
from tests.nlu.training_data import load_test_items, training_examples, word_set

ASK_INTENTS = [
    "ask_documents",
    "ask_fee",
    "ask_duration",
    "ask_where",
    "ask_steps",
    "ask_online",
    "ask_requirements",
    "ask_result",
    "ask_legal_basis",
    "ask_overview",
]
ALL_INTENTS = {
    *ASK_INTENTS,
    "find_procedure",
    "check_dossier_status",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "human_handoff",
    "complaint",
    "bot_challenge",
    "out_of_scope",
    "inform",
    "subscribe_dossier",
    "unsubscribe_dossier",
    "other_procedure",
}


def is_near_duplicate(a: str, b: str) -> bool:
    """Same words after normalisation, or nearly the same words and letters."""
    return _near(word_set(a), textnorm.normalize(a), word_set(b), textnorm.normalize(b))


def _near(words_a: frozenset[str], norm_a: str, words_b: frozenset[str], norm_b: str) -> bool:
    if not words_a or not words_b:
        return False
    if words_a == words_b:
        return True
    jaccard = len(words_a & words_b) / len(words_a | words_b)
    return jaccard >= 0.7 and difflib.SequenceMatcher(None, norm_a, norm_b).ratio() >= 0.85


def test_training_data_volume_and_style() -> None:
    examples = training_examples()
    per_intent = Counter(e.intent for e in examples)
    assert set(per_intent) == ALL_INTENTS
    for intent in [*ASK_INTENTS, "check_dossier_status"]:
        assert per_intent[intent] >= 40, intent
    for intent in ALL_INTENTS:
        texts = [e.text for e in examples if e.intent == intent]
        plain = sum(not textnorm.has_diacritics(t) for t in texts)
        assert plain * 3 >= len(texts), f"{intent}: {plain}/{len(texts)} without diacritics"
    for intent in ASK_INTENTS:
        annotated = sum(
            any(kind == "procedure" for kind, _ in e.entities) for e in examples if e.intent == intent
        )
        assert annotated >= 30, intent


def test_training_data_is_nfc() -> None:
    for example in training_examples():
        assert unicodedata.is_normalized("NFC", example.text), example.text


def test_test_set_covers_every_intent_a_third_without_diacritics() -> None:
    items = load_test_items()
    assert len(items) >= 300
    assert {item["intent"] for item in items} == ALL_INTENTS
    plain = sum(not textnorm.has_diacritics(item["text"]) for item in items)
    assert plain * 3 >= len(items)
    for item in items:
        assert unicodedata.is_normalized("NFC", item["text"])


def test_test_set_has_no_exact_or_near_duplicate_of_a_training_example() -> None:
    indexed = [(word_set(e.text), textnorm.normalize(e.text), e.text) for e in training_examples()]
    offenders = []
    for item in load_test_items():
        words, norm = word_set(item["text"]), textnorm.normalize(item["text"])
        for other_words, other_norm, other in indexed:
            if words & other_words and _near(words, norm, other_words, other_norm):
                offenders.append(f"{item['text']!r} ~ {other!r}")
                break
    assert not offenders, "\n".join(offenders)


def test_near_duplicate_rule() -> None:
    assert is_near_duplicate("Thủ tục làm sổ đỏ cần gì", "thu tuc lam so do can gi")
    assert is_near_duplicate("cho hỏi lệ phí cấp đổi cccd", "cho hoi le phi cap doi can cuoc cong dan")
    assert not is_near_duplicate("lệ phí cấp đổi cccd", "thời hạn đăng ký thường trú")
