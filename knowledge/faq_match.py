"""Which frequent question (``Faq``) a citizen's message asks, if any.

Staff write frequent questions and their answers in the console; the bot
answers with one when a message asks the same thing. A message and an FAQ
question are compared as sets of syllables, in the matching view of
``nlu.textnorm`` that the procedure search uses too (abbreviations such as
"ko", "dc", "cccd" expanded, then folded: no case, no diacritics), with two
differences from the search's query analysis (``knowledge.search_text``):

* The question words are kept. The search drops "ở đâu", "bao lâu", "có ...
  không" because they name no procedure; here they are what tells "Đăng ký
  kết hôn ở đâu?" from "Đăng ký kết hôn mất bao lâu?". Instead of a list of
  words to drop, every syllable is weighted by how rare it is in the way
  citizens ask (its inverse document frequency over the NLU training
  examples, ``nlu/data/nlu``): "có", "không", "đăng ký" weigh little, "phạt",
  "ký túc xá", "biên nhận" a lot. The weights do not depend on how many FAQ
  entries a province wrote, so neither does the threshold.
* Diacritics count when both sides have them: a syllable typed without
  diacritics matches any syllable it folds to ("so" matches "sổ" and "sơ"),
  but "sổ hộ khẩu" typed with its diacritics does not match "hồ sơ". Where
  the tone mark sits ("khỏe" / "khoẻ") does not matter.

The score is the weighted F-measure of the two sets with beta
``COVERAGE_BETA``: the share of the FAQ question's weight found in the
message counts more than the share of the message found in the FAQ, so a
message may add some context ("con em sinh được 3 tháng rồi...") but must
carry what makes the FAQ specific. An FAQ is an answer from
``MATCH_THRESHOLD`` on; the threshold was measured on
``tests/data/faq_match.jsonl`` (docs/benchmarks.md, "FAQ matching").

``FaqBook`` keeps the index of the active FAQ entries for a server process
and follows staff edits the way ``knowledge.catalog`` does: at most twice a
second it asks the database whether the FAQ table changed, and rebuilds the
(small) index at once when it did.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.catalog import CHECK_INTERVAL_S
from knowledge.models import Faq, Procedure
from knowledge.search_text import MAX_QUERY_CHARS
from nlu import textnorm

__all__ = [
    "MATCH_THRESHOLD",
    "FaqBook",
    "FaqEntry",
    "FaqIndex",
    "FaqMatch",
    "Weights",
    "analyse",
    "background_weights",
    "similarity",
]

logger = logging.getLogger(__name__)

# An FAQ answers a message scoring at least this (0 to 1); measured, see the module docstring.
MATCH_THRESHOLD = 0.65
# How much more the FAQ's side counts than the message's (F-measure beta).
COVERAGE_BETA = 1.5

NLU_EXAMPLES = Path(__file__).resolve().parent.parent / "nlu" / "data" / "nlu"
# "[sổ đỏ](procedure)" and "[x]{...}" in a training example: keep the text.
_ENTITY_MARK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
# Combining tone marks (grave, acute, tilde, hook above, dot below); the other
# marks (circumflex, breve, horn) make letters of their own.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

Accent = tuple[str, str] | None
Analysed = dict[str, frozenset[Accent]]


def _accent(syllable: str) -> Accent:
    """A syllable as written, whatever the tone mark's position; None when typed without diacritics."""
    lowered = textnorm.nfc(syllable).lower()
    if not textnorm.has_diacritics(lowered):
        return None
    decomposed = unicodedata.normalize("NFD", lowered)
    tone = "".join(c for c in decomposed if c in _TONE_MARKS)
    letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return letters, tone


def analyse(text: str) -> Analysed:
    """The syllables of ``text``: folded syllable -> how it was written (None: without diacritics)."""
    expanded = textnorm.expand_abbreviations(text[:MAX_QUERY_CHARS])
    written: dict[str, set[Accent]] = {}
    for piece in textnorm.syllables(expanded):
        if any(c.isalnum() for c in piece):
            written.setdefault(textnorm.fold(piece), set()).add(_accent(piece))
    return {folded: frozenset(forms) for folded, forms in written.items()}


def _same(typed: frozenset[Accent], written: frozenset[Accent]) -> bool:
    """True when one side may be the other: typed without diacritics, or written alike."""
    return None in typed or None in written or bool(typed & written)


class Weights:
    """Inverse document frequencies of folded syllables over a sample of citizens' questions."""

    def __init__(self, texts: Iterable[str]) -> None:
        frequencies: Counter[str] = Counter()
        count = 0
        for text in texts:
            frequencies.update(analyse(text).keys())
            count += 1
        self._frequencies = frequencies
        self._count = count
        self._cache: dict[str, float] = {}

    def __call__(self, syllable: str) -> float:
        """Smoothed IDF: 1 for a syllable in every question, highest for one in none."""
        weight = self._cache.get(syllable)
        if weight is None:
            weight = math.log((self._count + 1) / (self._frequencies.get(syllable, 0) + 1)) + 1.0
            if len(self._cache) < 100_000:
                self._cache[syllable] = weight
        return weight

    def total(self, analysed: Analysed) -> float:
        """The weight of a whole text."""
        return sum(self(syllable) for syllable in analysed)


def nlu_examples(folder: Path = NLU_EXAMPLES) -> list[str]:
    """The texts of the NLU training examples (entity marks removed)."""
    texts: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ENTITY_MARK.sub(r"\1", line[2:]))
    return texts


@lru_cache(maxsize=1)
def background_weights() -> Weights:
    """Weights from the NLU training examples, read once per process."""
    try:
        texts = nlu_examples()
    except (OSError, yaml.YAMLError):
        logger.exception("could not read the NLU examples; FAQ matching weighs every syllable alike")
        texts = []
    if not texts:
        logger.warning("no NLU examples under %s; FAQ matching weighs every syllable alike", NLU_EXAMPLES)
    return Weights(texts)


def similarity(
    message: Analysed,
    question: Analysed,
    weights: Weights,
    message_weight: float | None = None,
    question_weight: float | None = None,
) -> float:
    """How well ``message`` asks ``question`` (0 to 1): weighted F-measure, FAQ side first.

    The totals of each side may be given when known (the index keeps its questions').
    """
    if not message or not question:
        return 0.0
    shared = sum(
        weights(syllable)
        for syllable in message.keys() & question.keys()
        if _same(message[syllable], question[syllable])
    )
    if shared <= 0.0:
        return 0.0
    precision = shared / (message_weight or weights.total(message))
    recall = shared / (question_weight or weights.total(question))
    beta2 = COVERAGE_BETA * COVERAGE_BETA
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)


@dataclass(frozen=True)
class FaqEntry:
    """An active FAQ as the matcher sees it."""

    id: int
    question: str
    procedure_code: str | None = None


@dataclass(frozen=True)
class FaqMatch:
    """An FAQ and how well a message asks it."""

    entry: FaqEntry
    score: float


class FaqIndex:
    """The active FAQ questions, analysed once. Immutable."""

    def __init__(self, entries: Iterable[FaqEntry], weights: Weights) -> None:
        analysed = [(entry, analyse(entry.question)) for entry in entries]
        self._entries = [(entry, question, weights.total(question)) for entry, question in analysed]
        self._weights = weights
        self._linked: dict[str, list[FaqEntry]] = {}
        for entry, _, _ in self._entries:
            if entry.procedure_code:
                self._linked.setdefault(entry.procedure_code, []).append(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def ranked(self, text: str, procedure_code: str | None = None) -> list[FaqMatch]:
        """Every FAQ (only those linked to ``procedure_code`` when given), best first, ties by id."""
        message = analyse(text)
        total = self._weights.total(message)
        scored = [
            FaqMatch(entry, round(similarity(message, question, self._weights, total, question_total), 4))
            for entry, question, question_total in self._entries
            if procedure_code is None or entry.procedure_code == procedure_code
        ]
        return sorted(scored, key=lambda m: (-m.score, m.entry.id))

    def matches(
        self, text: str, procedure_code: str | None = None, threshold: float = MATCH_THRESHOLD
    ) -> list[FaqMatch]:
        """The FAQ entries ``text`` asks (score at least ``threshold``), best first."""
        return [m for m in self.ranked(text, procedure_code) if m.score >= threshold]

    def linked(self, procedure_code: str) -> list[FaqEntry]:
        """The FAQ entries about one procedure, oldest first."""
        return list(self._linked.get(procedure_code, ()))


def load_faq_entries(session: Session) -> list[FaqEntry]:
    """The active FAQ entries, with the code of the procedure each is about."""
    rows = session.execute(
        select(Faq.id, Faq.question, Procedure.code)
        .outerjoin(Procedure, Procedure.id == Faq.procedure_id)
        .where(Faq.is_active.is_(True))
        .order_by(Faq.id)
    )
    return [FaqEntry(id=row.id, question=row.question, procedure_code=row.code) for row in rows]


def faq_version(session: Session) -> tuple[Any, ...]:
    """Changes whenever an FAQ entry is added, edited, (de)activated or removed."""
    return tuple(session.execute(select(func.count(Faq.id), func.max(Faq.updated_at))).one())


class FaqBook:
    """The FAQ index of a server process, following staff edits within ``CHECK_INTERVAL_S``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        weights: Weights | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._weights = weights
        self._clock = clock
        self._lock = threading.Lock()
        self._index: FaqIndex | None = None
        self._version: tuple[Any, ...] | None = None
        self._checked_at = float("-inf")

    @property
    def index(self) -> FaqIndex:
        """The current index: rebuilt first if the FAQ table changed since the last check."""
        with self._lock:
            now = self._clock()
            if self._index is not None and now - self._checked_at < CHECK_INTERVAL_S:
                return self._index
            self._checked_at = now
            try:
                with self._sessions() as session:
                    version = faq_version(session)
                    if self._index is None or version != self._version:
                        entries = load_faq_entries(session)
                        self._index = FaqIndex(entries, self._weights or background_weights())
                        self._version = version
                        logger.info("FAQ index built from %d entries", len(entries))
            except Exception:  # a database hiccup must not stop answers from the last index
                logger.exception("could not read the FAQ entries")
                if self._index is None:  # retried at the next check
                    self._index = FaqIndex([], self._weights or background_weights())
            return self._index

    def matches(self, text: str, procedure_code: str | None = None) -> list[FaqMatch]:
        """The FAQ entries ``text`` asks, best first (see ``FaqIndex.matches``)."""
        return self.index.matches(text, procedure_code)

    def ranked(self, text: str, procedure_code: str | None = None) -> list[FaqMatch]:
        """Every FAQ (about ``procedure_code`` when given), best first."""
        return self.index.ranked(text, procedure_code)

    def linked(self, procedure_code: str) -> list[FaqEntry]:
        """The FAQ entries about one procedure."""
        return self.index.linked(procedure_code)
