"""The procedure-resolution gate: citizens' queries resolved as the actions do."""

from __future__ import annotations

from nlu import engine
from tests.stack import Stack, evaluate_on_stack

QUERIES = engine.ROOT / "tests" / "data" / "search_queries.jsonl"
REPORT = engine.VAR / "reports" / "search_queries.json"


def test_hit_at_1_and_3_on_the_search_queries(stack: Stack, seeded_database_url: str) -> None:
    report = evaluate_on_stack(stack, seeded_database_url, QUERIES, REPORT)
    assert report["procedure_n"] >= 150
    assert report["procedure_hit_at_1"] >= 0.80, report["procedure_misses"]
    assert report["procedure_hit_at_3"] >= 0.92, report["procedure_misses"]
