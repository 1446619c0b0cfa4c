"""The two scorers of the procedure search, over rows of text.

A row is a procedure's name, one of its aliases, its sector or its document
names; each row has an owner, the procedure's position in the index.

* ``Bm25Rows``: BM25 (``bm25s``) over a field's index terms. A row's score
  is divided by the best score the query's terms could reach (the sum, over
  the terms, of the best score each reaches in any row), so it reads as the
  share of the query the row matches, from 0 to 1.
* ``CharRows``: character n-gram TF-IDF vectors (scikit-learn), compared to
  the query's: the cosine, mixed with the share of the query's n-grams the
  row has (a long name that contains the whole query is not buried by its
  length), and the share of the row found in the query (an alias counts
  when the query contains it, not when they share a word).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import bm25s
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.search_text import Analysed

# bm25s sets its own logger to DEBUG when imported, which logs a line per
# index built whatever the application's log level; let the application decide.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

# BM25 parameters (bm25s's "lucene" variant).
BM25_K1 = 1.2
BM25_B = 0.75
# Share of the query coverage (vs. the cosine) in the n-gram similarity.
COVERAGE_WEIGHT = 0.25


class Bm25Rows:
    """BM25 over rows of one field; each row belongs to a procedure (owner)."""

    def __init__(self, rows: Sequence[tuple[int, Analysed]]) -> None:
        rows = [(owner, analysed) for owner, analysed in rows if analysed.terms]
        self.owners = np.fromiter((owner for owner, _ in rows), dtype=np.int64, count=len(rows))
        self._retriever: bm25s.BM25 | None = None
        self._best = np.zeros(0, dtype=np.float32)
        self._unknown_weight = 0.0
        if not rows:
            return
        retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        retriever.index([list(a.terms) for _, a in rows], show_progress=False)
        # The best score each term reaches in any row: the query's ideal
        # score is the sum over its terms, so a row's score divided by it
        # reads as the share of the query the row matches.
        data = np.asarray(retriever.scores["data"])
        indptr = np.asarray(retriever.scores["indptr"])
        best = np.zeros(len(indptr) - 1, dtype=np.float32)
        filled = np.diff(indptr) > 0
        if filled.any():
            best[filled] = np.maximum.reduceat(data, indptr[:-1][filled])
        self._retriever, self._best = retriever, best
        # A query syllable found in no row still counts in the ideal, as
        # much as a typical known term: "select * from procedure where 1=1"
        # matching only "1" matches little of the query.
        self._unknown_weight = float(np.median(best[best > 0])) if (best > 0).any() else 0.0

    def row_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Per row, its BM25 score as a share of the query's ideal (0 to 1).

        ``terms`` are syllables and "_"-joined n-grams; an n-gram that is not
        a word of the index is simply ignored.
        """
        if self._retriever is None:
            return np.zeros(len(self.owners), dtype=np.float32)
        ids = self._retriever.get_tokens_ids(list(terms))
        if not ids:
            return np.zeros(len(self.owners), dtype=np.float32)
        vocabulary = self._retriever.vocab_dict
        unknown = sum(1 for t in terms if "_" not in t and t not in vocabulary)
        ideal = float(self._best[ids].sum()) + unknown * self._unknown_weight
        if ideal <= 0.0:
            return np.zeros(len(self.owners), dtype=np.float32)
        return np.asarray(self._retriever.get_scores_from_ids(ids), dtype=np.float32) / ideal

    def doc_scores(self, terms: Sequence[str], n_docs: int) -> np.ndarray:
        """Per procedure, the best of its rows."""
        out = np.zeros(n_docs, dtype=np.float32)
        np.maximum.at(out, self.owners, self.row_scores(terms))
        return out


class CharRows:
    """Character n-gram TF-IDF vectors of rows (names, or aliases)."""

    def __init__(self, vectorizer: TfidfVectorizer, texts: Sequence[str]) -> None:
        self._matrix = vectorizer.transform(list(texts)).tocsr()
        self._present = (self._matrix > 0).astype(np.float32)
        self._weight = np.asarray(self._matrix.sum(axis=1), dtype=np.float32).ravel()

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Per row: cosine, mixed with the share of the query's n-grams present.

        ``query`` is the query's TF-IDF vector as a dense array.
        """
        cosine = self._matrix @ query
        coverage = (self._present @ query) / max(float(query.sum()), 1e-9)
        return np.asarray((1.0 - COVERAGE_WEIGHT) * cosine + COVERAGE_WEIGHT * coverage, dtype=np.float32)

    def contained(self, query: np.ndarray) -> np.ndarray:
        """Per row, the share of the row's n-gram weight found in the query."""
        found = self._matrix @ (query > 0).astype(np.float32)
        return np.asarray(found / np.maximum(self._weight, 1e-9), dtype=np.float32)
