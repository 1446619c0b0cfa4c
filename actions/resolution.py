"""Which procedure a message is about: the message, with the NLU's span as evidence.

The NLU marks the mention ("sổ đỏ", "cấp đổi cccd") as a ``procedure``
entity when it can. Both the whole message (the search drops the question
words itself) and the longest span are searched; a procedure's score is its
score for the message plus half its score for the span. Measured on the two
labelled sets (tests/data/search_queries.jsonl, the coded items of
tests/data/nlu_test.jsonl), this beats both the span alone (DIET's spans are
often a word short or long) and the message alone (long questions carry
distracting words). The evaluation tool ranks procedures through
:func:`rank_codes_for_parse`, so it measures exactly what the actions do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from knowledge.catalog import get_catalog
from knowledge.search import Candidate, SearchResult

logger = logging.getLogger(__name__)

Search = Callable[[str, int], SearchResult]
CANDIDATES = 5
POOL = 10
SPAN_WEIGHT = 0.5


def procedure_spans(entities: Iterable[dict[str, Any]]) -> list[str]:
    """The ``procedure`` entity values, longest first, without repeats."""
    spans = {str(e.get("value") or "").strip() for e in entities if e.get("entity") == "procedure"}
    return sorted((s for s in spans if s), key=len, reverse=True)


def resolve(text: str, entities: Iterable[dict[str, Any]], search: Search | None = None) -> SearchResult:
    """Ranked procedures for a message and the span(s) the NLU marked in it."""
    run = search or (lambda query, limit: get_catalog().search(query, limit))
    whole = run(text, POOL)
    spans = procedure_spans(entities)
    if not spans:
        return SearchResult(whole.candidates[:CANDIDATES], whole.clear)
    span = run(spans[0], POOL)
    combined: dict[str, Candidate] = {c.code: c for c in whole.candidates}
    scores = {c.code: c.score for c in whole.candidates}
    for candidate in span.candidates:
        combined.setdefault(candidate.code, candidate)
        scores[candidate.code] = scores.get(candidate.code, 0.0) + SPAN_WEIGHT * candidate.score
    ranked = sorted(combined.values(), key=lambda c: scores[c.code], reverse=True)[:CANDIDATES]
    top = ranked[0].code if ranked else None
    clear = any(result.clear and result.candidates[0].code == top for result in (whole, span))
    return SearchResult(
        [Candidate(c.code, c.name, round(scores[c.code], 4), c.levels) for c in ranked],
        clear,
    )


def rank_codes_for_parse(text: str, parse: dict[str, Any], search: Search | None = None) -> list[str]:
    """Procedure codes, best first, for a ``/model/parse`` answer (evaluation)."""
    return [c.code for c in resolve(text, parse.get("entities") or [], search).candidates]
