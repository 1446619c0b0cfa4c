"""The procedure-resolution gate: citizens' queries resolved as the actions do."""

from __future__ import annotations

import functools
import json

from actions.resolution import rank_codes_for_parse
from knowledge.catalog import catalog_for
from knowledge.settings import Settings
from nlu import engine, evaluate
from tests.stack import Stack

QUERIES = engine.ROOT / "tests" / "data" / "search_queries.jsonl"
REPORT = engine.VAR / "reports" / "search_queries.json"


def test_hit_at_1_and_3_on_the_search_queries(stack: Stack, seeded_database_url: str) -> None:
    catalog = catalog_for(Settings(database_url=seeded_database_url))
    resolver = functools.partial(rank_codes_for_parse, search=catalog.search)
    items = evaluate.load_items(QUERIES)
    report = evaluate.evaluate(items, stack.rasa_url, stack.rasa_token, resolver)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    assert report["procedure_n"] == len(items) >= 150
    assert report["procedure_hit_at_1"] >= 0.80, report["procedure_misses"]
    assert report["procedure_hit_at_3"] >= 0.92, report["procedure_misses"]
