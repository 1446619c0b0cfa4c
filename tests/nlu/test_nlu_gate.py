"""The NLU gate: the trained model on the held-out test set."""

from __future__ import annotations

from nlu import engine, evaluate
from tests.nlu.training_data import NLU_TEST
from tests.stack import Stack, evaluate_on_stack

REPORT = engine.VAR / "reports" / "nlu_test.json"


def test_intent_accuracy_on_the_held_out_set(stack: Stack, seeded_database_url: str) -> None:
    report = evaluate_on_stack(stack, seeded_database_url, NLU_TEST, REPORT)
    evaluate.print_report(report, "held-out NLU test set")
    assert report["n"] >= 300
    assert report["intent_accuracy"] >= 0.90, report["confusions"]
    # Without diacritics the citizen must be understood about as well.
    assert report["accuracy_without_diacritics"] >= 0.85
