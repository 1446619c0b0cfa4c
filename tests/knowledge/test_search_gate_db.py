"""The search gate, through the database: what the action server searches.

``test_search_eval`` builds its index from the data files; here the index is
the one the servers use, a :class:`knowledge.catalog.Catalog` over the seeded
database (the whole seed imported, with the curated aliases), on SQLite or,
with ``TEST_POSTGRES_URL``, PostgreSQL. Every query of
tests/data/search_queries.jsonl is searched whole, as a citizen types it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from knowledge.catalog import Catalog
from knowledge.db import make_session_factory
from knowledge.settings import Settings
from tests.knowledge.test_search_data import load_queries
from tests.knowledge.test_search_eval import GATE_HIT_AT_1, GATE_HIT_AT_3


@pytest.fixture(scope="module")
def catalog(seeded_engine: Engine) -> Catalog:
    built = Catalog(make_session_factory(seeded_engine), Settings().province_levels)
    built.refresh_now()
    return built


def test_search_over_the_database_meets_the_gate(catalog: Catalog, database_kind: str) -> None:
    queries = load_queries()
    hit1 = hit3 = 0
    misses: list[str] = []
    for text, codes in queries:
        found = [candidate.code for candidate in catalog.search(text, limit=3).candidates]
        hit1 += bool(found) and found[0] in codes
        hit3 += bool(set(found) & codes)
        if not found or found[0] not in codes:
            misses.append(f"{text!r}: want {sorted(codes)}, got {found}")
    at1, at3 = hit1 / len(queries), hit3 / len(queries)
    print(f"{database_kind}: {len(queries)} queries, hit@1 {at1:.3f}, hit@3 {at3:.3f}")
    report = f"hit@1 {at1:.3f}, hit@3 {at3:.3f} on {database_kind}; missed at 1:\n" + "\n".join(misses)
    assert at1 >= GATE_HIT_AT_1, report
    assert at3 >= GATE_HIT_AT_3, report
