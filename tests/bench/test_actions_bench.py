"""The action-server benchmark's own pieces: requests as Rasa sends them, and the verdict."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions import messages
from bench.actions import (
    DOMAIN,
    QUESTIONS,
    SCENARIOS,
    dossier_calls,
    entities_for,
    follow_up_calls,
    markdown,
    outcome,
    search_calls,
)
from knowledge import demo


def test_each_span_is_marked_where_it_stands_in_its_question() -> None:
    for text, _, span in QUESTIONS:
        for entity in entities_for(text, span):
            assert text[entity["start"] : entity["end"]] == entity["value"] == span
    with_span = sum(1 for _, _, span in QUESTIONS if span)
    assert 0 < with_span < len(QUESTIONS)
    assert {intent for _, intent, _ in QUESTIONS} <= set(DOMAIN["intents"])


def test_requests_parse_as_rasa_sdk_trackers() -> None:
    follow_up = Tracker.from_dict(follow_up_calls()[0].tracker)
    assert follow_up.get_slot("procedure_code") == demo.PROCEDURES[0][0]
    assert follow_up.latest_message["intent"]["name"] == "ask_duration"
    assert follow_up.active_loop == {} and follow_up.events == []

    search = Tracker.from_dict(search_calls()[0].tracker)
    assert search.get_slot("procedure_code") is None
    assert search.latest_message["entities"][0]["entity"] == "procedure"


def test_the_dossier_request_carries_the_right_proof() -> None:
    (call,) = dossier_calls()
    first = demo.plan()[0]
    assert call.tracker["slots"]["receipt_code"] == first.receipt_code
    assert call.tracker["slots"]["phone_last4"] == first.phone[-4:]


def test_outcomes_tell_an_answer_from_a_choice_and_a_refusal() -> None:
    answered = {"events": [{"event": "slot", "name": "procedure_code", "value": "1.000894"}]}
    choice = {"events": [], "responses": [{"text": messages.WHICH_PROCEDURE}]}
    refused = {"events": [], "responses": [{"text": messages.DOSSIER_REFUSED}]}
    assert outcome("action_answer_procedure", answered) == "answer"
    assert outcome("action_answer_procedure", choice) == "which procedure"
    assert outcome("action_check_dossier", refused) == "refused"


def fake_results(search_p95: float) -> dict[str, Any]:
    def scenario(p95: float, answers: bool) -> dict[str, Any]:
        return {
            "requests": 300,
            "p50_ms": p95 / 2,
            "mean_ms": p95 / 2,
            "p95_ms": p95,
            "p99_ms": p95 * 2,
            "max_ms": p95 * 3,
            "outcomes": {"answer": 300},
            "slowest_messages": [{"message": "đăng ký kết hôn", "mean_ms": 9.0}],
            "load_1min_start": 0.5,
            "load_1min_end": 0.6,
            "target_applies": answers,
            "target_met": p95 < 20,
        }

    p95s = {"search": search_p95, "search_paced": search_p95, "dossier": 60.0, "fallback": 2.0}
    return {
        "requests_per_scenario": 300,
        "warmup_s": 10.0,
        "change_check_ms": 1.0,
        "scenarios": {s.key: scenario(p95s.get(s.key, 5.0), s.answers) for s in SCENARIOS},
    }


def test_the_section_says_plainly_whether_answers_meet_the_target() -> None:
    assert "**is met**" in markdown(fake_results(12.0))
    missed = markdown(fake_results(25.0))
    assert "**is not met** for (a), (a′); it is met for (b), (b′)." in missed
    assert "| no (no target) |" in missed  # the dossier check is slow on purpose
