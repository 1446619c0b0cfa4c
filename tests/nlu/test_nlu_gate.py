"""The NLU gate: the trained model on the held-out test set."""

from __future__ import annotations

import json

from nlu import engine, evaluate
from tests.nlu.training_data import NLU_TEST
from tests.stack import Stack

REPORT = engine.VAR / "reports" / "nlu_test.json"


def test_intent_accuracy_on_the_held_out_set(stack: Stack) -> None:
    items = evaluate.load_items(NLU_TEST)
    report = evaluate.evaluate(items, stack.rasa_url, stack.rasa_token, resolve=None)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    evaluate.print_report(report, "held-out NLU test set")
    assert report["n"] == len(items) >= 300
    assert report["intent_accuracy"] >= 0.90, report["confusions"]
    # Without diacritics the citizen must be understood about as well.
    assert report["accuracy_without_diacritics"] >= 0.85
