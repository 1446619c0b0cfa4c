"""The NLU gate: the trained model on the held-out test set."""

from __future__ import annotations

import functools
import json

from actions.resolution import rank_codes_for_parse
from knowledge.catalog import catalog_for
from knowledge.settings import Settings
from nlu import engine, evaluate
from tests.nlu.training_data import NLU_TEST
from tests.stack import Stack

REPORT = engine.VAR / "reports" / "nlu_test.json"


def test_intent_accuracy_on_the_held_out_set(stack: Stack, seeded_database_url: str) -> None:
    catalog = catalog_for(Settings(database_url=seeded_database_url))
    resolver = functools.partial(rank_codes_for_parse, search=catalog.search)
    items = evaluate.load_items(NLU_TEST)
    report = evaluate.evaluate(items, stack.rasa_url, stack.rasa_token, resolver)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    evaluate.print_report(report, "held-out NLU test set")
    assert report["n"] == len(items) >= 300
    assert report["intent_accuracy"] >= 0.90, report["confusions"]
    # Without diacritics the citizen must be understood about as well.
    assert report["accuracy_without_diacritics"] >= 0.85
