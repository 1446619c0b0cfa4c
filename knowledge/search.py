"""Procedure search: ranked procedures for a citizen's free-text question.

The search works on plain documents (``SearchDoc``), not on the ORM: the
knowledge base turns its procedures into ``SearchDoc`` and hands them over.

A query is cleaned (abbreviations expanded, question words such as "cho em
hỏi", "cần giấy tờ gì", "ở đâu" removed; ``knowledge.search_text``) and
scored against every procedure, in memory, by two well-kept scorers
(``knowledge.search_scoring``):

* BM25 (``bm25s``) over folded syllables and Vietnamese words (underthesea);
* character n-gram TF-IDF (scikit-learn, ``char_wb``), for typos.

The score, from 0 to about 1, is mostly the title's: the name (or the head
of a long name, before its "đối với ..." qualifiers, a little less), or the
best alias the query contains, by both scorers; the sector and the document
names add a little. The top candidate is "clear" when it leads the runner-up
by a margin, or when the query is exactly its name or alias and no other's.

Procedures that the deploying province does not perform (none of their
levels is in ``province_levels``: the central-only ones) are ranked after
the province's own when the match is comparable, their score being
multiplied by ``OUT_OF_PROVINCE_FACTOR``; a procedure performed only by
"other bodies" (``Cơ quan khác``) is not demoted.

``LiveIndex`` holds the current ``SearchIndex`` for the servers and rebuilds
it in a background thread when the knowledge base changes; readers never
wait for a rebuild and see the new index as soon as it is swapped in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge.search_scoring import Bm25Rows, CharRows
from knowledge.search_text import (
    alias_text,
    analyse_body,
    analyse_query,
    analyse_title,
    documents_text,
    name_head,
    name_text,
)
from knowledge.settings import LEVEL_OTHER
from nlu import textnorm

__all__ = ["Candidate", "LiveIndex", "SearchDoc", "SearchIndex", "SearchResult"]

logger = logging.getLogger(__name__)

# How the score (0 to about 1) is made: the title (the name, or the best alias
# the query contains) by BM25 and by character n-grams, then the sector and
# the document names by BM25. The weights add up to 1.
TITLE_LEXICAL_WEIGHT = 0.45
TITLE_CHARS_WEIGHT = 0.45
SECTOR_WEIGHT = 0.05
DOCUMENTS_WEIGHT = 0.05
# Character n-grams (within syllables) compared for typo tolerance.
CHAR_NGRAMS = (2, 4)
# Score multiplier for procedures the province does not perform.
OUT_OF_PROVINCE_FACTOR = 0.85
# Candidates scoring below this are not returned.
MIN_SCORE = 0.12
# The top candidate is "clearly ahead" if it scores at least CLEAR_MIN_SCORE
# and leads the runner-up by CLEAR_MARGIN.
CLEAR_MIN_SCORE = 0.5
CLEAR_MARGIN = 0.06
# A long name's head (see ``search_text.name_head``) counts this much.
HEAD_FACTOR = 0.8
# A procedure whose whole name (or an alias) the query contains word for word
# ("lệ phí đăng ký kết hôn là bao nhiêu" contains "đăng ký kết hôn") is ahead
# of its near namesakes ("đăng ký lại kết hôn"), which share every word but not the phrase.
CONTAINED_TITLE_BONUS = 0.08
CONTAINED_TITLE_MIN_WORDS = 2


@dataclass(frozen=True)
class SearchDoc:
    """One procedure as the search sees it."""

    code: str
    name: str
    levels: tuple[str, ...]
    sector: str = ""
    aliases: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class Candidate:
    """A procedure found for a query, with its score (0 to about 1)."""

    code: str
    name: str
    score: float
    levels: tuple[str, ...]


@dataclass(frozen=True)
class SearchResult:
    """Candidates, best first; ``clear`` when the top one is clearly ahead."""

    candidates: list[Candidate]
    clear: bool


def _level_key(level: str) -> str:
    return textnorm.fold(level).strip()


class SearchIndex:
    """An immutable in-memory index of procedures. Build it with ``build``."""

    def __init__(
        self,
        docs: Sequence[SearchDoc],
        fields: dict[str, Bm25Rows],
        vectorizer: TfidfVectorizer | None,
        chars: dict[str, CharRows],
        alias_owners: np.ndarray,
        head_owners: np.ndarray,
        factor: np.ndarray,
        titles: dict[str, frozenset[int]],
    ) -> None:
        self._docs = tuple(docs)
        self._fields = fields
        self._vectorizer = vectorizer
        self._chars = chars
        self._alias_owners = alias_owners
        self._head_owners = head_owners
        self._factor = factor
        self._titles = titles
        self._by_code = {doc.code: doc for doc in self._docs}
        self._phrases = [
            (f" {title} ", owners)
            for title, owners in titles.items()
            if title.count(" ") >= CONTAINED_TITLE_MIN_WORDS - 1
        ]

    def __len__(self) -> int:
        return len(self._docs)

    def candidates(self, codes: Iterable[str]) -> list[Candidate]:
        """The indexed (active) procedures among ``codes``, in that order, scored 0."""
        docs = (self._by_code.get(code) for code in codes)
        return [Candidate(doc.code, doc.name, 0.0, doc.levels) for doc in docs if doc is not None]

    @classmethod
    def build(cls, docs: Iterable[SearchDoc], province_levels: Sequence[str]) -> SearchIndex:
        """Index the active ``docs``; ``province_levels`` are the levels served."""
        started = time.perf_counter()
        kept: dict[str, SearchDoc] = {}
        for doc in docs:
            if not doc.active:
                continue
            if doc.code in kept:
                logger.warning("Duplicate procedure code %s; keeping the first", doc.code)
                continue
            kept[doc.code] = doc
        items = list(kept.values())

        names = [analyse_title(name_text(d.name)) for d in items]
        head_rows = [
            (i, analysed)
            for i, d in enumerate(items)
            if (head := name_head(name_text(d.name))) is not None and (analysed := analyse_title(head)).terms
        ]
        alias_rows = [
            (i, analysed)
            for i, d in enumerate(items)
            for analysed in (analyse_title(alias_text(alias)) for alias in d.aliases)
            if analysed.terms
        ]
        fields = {
            "name": Bm25Rows(list(enumerate(names))),
            "heads": Bm25Rows(head_rows),
            "aliases": Bm25Rows(alias_rows),
            "sector": Bm25Rows([(i, analyse_body(d.sector)) for i, d in enumerate(items)]),
            "documents": Bm25Rows(
                [(i, analyse_body(documents_text(d.documents))) for i, d in enumerate(items)]
            ),
        }
        name_texts = [a.folded for a in names]
        head_texts = [a.folded for _, a in head_rows]
        alias_texts = [a.folded for _, a in alias_rows]
        vectorizer: TfidfVectorizer | None = None
        chars: dict[str, CharRows] = {}
        if any(name_texts + alias_texts):
            vectorizer = TfidfVectorizer(
                analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, dtype=np.float32
            )
            vectorizer.fit(name_texts + alias_texts)
            chars["name"] = CharRows(vectorizer, name_texts)
            if head_texts:
                chars["heads"] = CharRows(vectorizer, head_texts)
            if alias_texts:
                chars["aliases"] = CharRows(vectorizer, alias_texts)

        served = {_level_key(level) for level in province_levels}
        neutral = {_level_key(LEVEL_OTHER)}
        factor = np.ones(len(items), dtype=np.float32)
        for i, doc in enumerate(items):
            keys = {_level_key(level) for level in doc.levels}
            if keys and not keys & served and not keys <= neutral:
                factor[i] = OUT_OF_PROVINCE_FACTOR

        alias_owners = np.fromiter((i for i, _ in alias_rows), dtype=np.int64, count=len(alias_rows))
        head_owners = np.fromiter((i for i, _ in head_rows), dtype=np.int64, count=len(head_rows))
        owners_by_title: dict[str, set[int]] = {}
        for i, analysed in [*enumerate(names), *alias_rows]:
            owners_by_title.setdefault(analysed.folded, set()).add(i)
        titles = {title: frozenset(owners) for title, owners in owners_by_title.items()}
        logger.info(
            "Search index built: %d procedures, %d aliases in %.2f s",
            len(items),
            len(alias_rows),
            time.perf_counter() - started,
        )
        return cls(items, fields, vectorizer, chars, alias_owners, head_owners, factor, titles)

    def search(self, query: str, limit: int = 10) -> SearchResult:
        """Rank the procedures for ``query``; at most ``limit`` candidates."""
        if not self._docs or limit <= 0 or not query or not query.strip():
            return SearchResult([], clear=False)
        analysed = analyse_query(query)
        if not analysed.terms:
            return SearchResult([], clear=False)
        scores = self._scores(analysed.terms, analysed.folded)
        for owners in self._contained_titles(analysed.folded):
            scores[list(owners)] += CONTAINED_TITLE_BONUS
        scores *= self._factor

        top = min(limit, len(scores))
        best = np.argpartition(-scores, top - 1)[:top]
        order = [int(i) for i in best[np.argsort(-scores[best], kind="stable")] if scores[i] >= MIN_SCORE]
        candidates = [
            Candidate(
                code=self._docs[i].code,
                name=self._docs[i].name,
                score=round(float(scores[i]), 4),
                levels=self._docs[i].levels,
            )
            for i in order
        ]
        # The query is exactly the name (or an alias) of the top procedure
        # and of no other: that is the answer, however close the runner-up.
        exact = bool(order) and self._titles.get(analysed.folded) == frozenset(order[:1])
        return SearchResult(candidates, clear=exact or _is_clear(candidates))

    def _contained_titles(self, folded: str) -> list[frozenset[int]]:
        """Owners of every name or alias of two words or more that ``folded`` contains as a phrase."""
        padded = f" {folded} "
        return [owners for phrase, owners in self._phrases if phrase in padded]

    def _scores(self, terms: Sequence[str], folded: str) -> np.ndarray:
        n = len(self._docs)
        vector = None
        if self._vectorizer is not None and folded:
            sparse_vector = self._vectorizer.transform([folded])
            if sparse_vector.nnz:
                vector = np.asarray(sparse_vector.toarray(), dtype=np.float32).ravel()

        # The title: the name, its head (a little less), or the best alias
        # the query contains.
        title = TITLE_LEXICAL_WEIGHT * self._fields["name"].doc_scores(terms, n)
        if vector is not None:
            title += TITLE_CHARS_WEIGHT * self._chars["name"].similarity(vector)
        if len(self._head_owners):
            head = TITLE_LEXICAL_WEIGHT * self._fields["heads"].row_scores(terms)
            if vector is not None:
                head += TITLE_CHARS_WEIGHT * self._chars["heads"].similarity(vector)
            np.maximum.at(title, self._head_owners, HEAD_FACTOR * head)
        if len(self._alias_owners):
            alias = TITLE_LEXICAL_WEIGHT * self._fields["aliases"].row_scores(terms)
            if vector is not None:
                alias_chars = self._chars["aliases"]
                alias = (alias + TITLE_CHARS_WEIGHT * alias_chars.similarity(vector)) * (
                    alias_chars.contained(vector)
                )
            np.maximum.at(title, self._alias_owners, alias)

        return (
            title
            + SECTOR_WEIGHT * self._fields["sector"].doc_scores(terms, n)
            + DOCUMENTS_WEIGHT * self._fields["documents"].doc_scores(terms, n)
        )


def _is_clear(candidates: Sequence[Candidate]) -> bool:
    if not candidates or candidates[0].score < CLEAR_MIN_SCORE:
        return False
    if len(candidates) == 1:
        return True
    return candidates[0].score - candidates[1].score >= CLEAR_MARGIN


class LiveIndex:
    """The servers' index holder: search now, rebuild in the background.

    ``search`` reads whichever index is current without taking a lock.
    ``refresh`` schedules a rebuild on a background thread (several requests
    made during a rebuild coalesce into one more rebuild) and swaps the new
    index in when it is ready; ``refresh_now`` rebuilds in the caller's
    thread. Both take the documents to index, or call ``loader`` when none
    are given. A failed rebuild is logged and the previous index kept.
    """

    def __init__(self, loader: Callable[[], list[SearchDoc]], province_levels: Sequence[str]) -> None:
        self._loader = loader
        self._levels = tuple(province_levels)
        self._index: SearchIndex | None = None
        self._version = 0
        self._build_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._requested = False
        self._requested_docs: list[SearchDoc] | None = None
        self._worker: threading.Thread | None = None

    @property
    def index(self) -> SearchIndex:
        """The current index, built in the caller's thread on first use."""
        current = self._index
        if current is None:
            with self._build_lock:
                if self._index is None:
                    self._swap(self._build(None))
                current = self._index
        assert current is not None
        return current

    @property
    def version(self) -> int:
        """How many indexes have been swapped in so far."""
        return self._version

    def search(self, query: str, limit: int = 10) -> SearchResult:
        """Search the current index."""
        return self.index.search(query, limit)

    def refresh(self, docs: Iterable[SearchDoc] | None = None) -> None:
        """Rebuild in the background from ``docs`` (default: the loader)."""
        with self._state_lock:
            self._requested = True
            self._requested_docs = list(docs) if docs is not None else None
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="search-index-refresh", daemon=True)
                self._worker.start()

    def refresh_now(self, docs: Iterable[SearchDoc] | None = None) -> None:
        """Rebuild in this thread from ``docs`` (default: the loader) and swap."""
        with self._build_lock:
            self._swap(self._build(list(docs) if docs is not None else None))

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild; True when none is running any more."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
            return not worker.is_alive()
        return True

    def _build(self, docs: list[SearchDoc] | None) -> SearchIndex:
        return SearchIndex.build(self._loader() if docs is None else docs, self._levels)

    def _swap(self, index: SearchIndex) -> None:
        self._index = index
        self._version += 1

    def _work(self) -> None:
        while True:
            with self._state_lock:
                if not self._requested:
                    self._worker = None
                    return
                docs, self._requested, self._requested_docs = self._requested_docs, False, None
            try:
                with self._build_lock:
                    self._swap(self._build(docs))
            except Exception:
                logger.exception("Rebuilding the search index failed; keeping the previous one")
