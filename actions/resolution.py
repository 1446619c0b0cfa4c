"""Which procedure a message is about: the NLU's span first, else the message.

The NLU marks the mention ("sổ đỏ", "cấp đổi cccd") as a ``procedure``
entity when it can; that span is searched first. When there is no span, or
its search finds nothing, the whole message is searched (the search drops
the question words itself). The evaluation tool ranks procedures through
:func:`rank_codes_for_parse`, so it measures exactly what the actions do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from knowledge.catalog import get_catalog
from knowledge.search import SearchResult

logger = logging.getLogger(__name__)

Search = Callable[[str, int], SearchResult]
CANDIDATES = 5


def procedure_spans(entities: Iterable[dict[str, Any]]) -> list[str]:
    """The ``procedure`` entity values, longest first, without repeats."""
    spans = {str(e.get("value") or "").strip() for e in entities if e.get("entity") == "procedure"}
    return sorted((s for s in spans if s), key=len, reverse=True)


def resolve(text: str, entities: Iterable[dict[str, Any]], search: Search | None = None) -> SearchResult:
    """Search the span(s) the NLU marked, else the whole message."""
    run = search or (lambda query, limit: get_catalog().search(query, limit))
    for span in procedure_spans(entities):
        result = run(span, CANDIDATES)
        if result.candidates:
            return result
    return run(text, CANDIDATES)


def rank_codes_for_parse(text: str, parse: dict[str, Any], search: Search | None = None) -> list[str]:
    """Procedure codes, best first, for a ``/model/parse`` answer (evaluation)."""
    return [c.code for c in resolve(text, parse.get("entities") or [], search).candidates]
