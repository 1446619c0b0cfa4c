"""Text analysis for the procedure search: what is indexed and what is asked.

Everything here works on the matching view of ``nlu.textnorm`` (abbreviations
expanded, folded: lower case, no diacritics, ``đ`` -> ``d``), so that "Sổ
đỏ", "so do", an NFD "sổ đỏ" and "SỔ ĐỎ" are one text. Normalisation itself
is never re-implemented here: only how the normalised text is cut into index
terms.

Index terms are folded syllables ("dang", "ky") plus multi-syllable words
joined by "_" ("dang_ky", "thuong_tru"). Names and aliases are short and
carry the meaning, so their words come from underthesea (``textnorm.segment``
on the text *with* diacritics, where the segmenter is reliable); the long,
low-weight fields (sector, document names) are cut into syllables only,
which is fast. A query contributes its syllables and all its 2- to 4-syllable
n-grams: the n-grams that are words of the index find them even when the
citizen typed without diacritics (where segmenting the query would fail);
the others are simply not in the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlu import textnorm

# Longest query text analysed; the rest of a very long message is ignored.
MAX_QUERY_CHARS = 400
# Longest text of a low-weight field (document names) that is indexed.
MAX_FIELD_CHARS = 1000
# Longest n-gram of query syllables tried against the index's words.
MAX_NGRAM = 4
# Most document names indexed per procedure.
MAX_DOCUMENTS = 40

# Words of a question that carry no procedure meaning, removed from a query
# before matching. Written as citizens write them, with diacritics; matched
# on the folded view, so "can giay to gi" is removed like "cần giấy tờ gì",
# but a syllable typed with *other* diacritics is kept ("lâm" is not "làm").
# Longer phrases win over shorter ones at the same position. A phrase ending
# in " $" is removed only at the end of the query (sentence-final particles
# such as "vậy", whose folded form is also "vay", to borrow); one starting
# with "^ " only at its start, once the phrases before it are gone ("làm hộ
# chiếu", but "xác nhận bảng kê lam sản" keeps its "lâm"). Abbreviations
# are expanded first ("hs" -> "hồ sơ", "ntn" -> "như thế nào", "v" -> "vậy").
# Single syllables whose folded form is common in procedure names ("hội",
# "minh", "thi", "em", "nhà") are deliberately not in the list.
STOP_PHRASES: tuple[str, ...] = (
    # greetings and addressing the assistant
    "cho em hỏi",
    "cho mình hỏi",
    "cho tôi hỏi",
    "cho cháu hỏi",
    "cho hỏi",
    "xin hỏi",
    "em muốn hỏi",
    "mình muốn hỏi",
    "tôi muốn hỏi",
    "muốn hỏi",
    "hỏi về",
    "admin ơi",
    "em ơi",
    "ơi",
    "xin chào",
    "giúp em với",
    "giúp em",
    "giúp mình",
    "giúp tôi",
    "em muốn",
    "mình muốn",
    "tôi muốn",
    "muốn",
    "tôi",
    # "the procedure for", "the way to"
    "thủ tục hành chính",
    "làm thủ tục",
    "thủ tục",
    "quy trình",
    "hướng dẫn",
    "cách làm",
    "xin",
    # what documents
    "cần chuẩn bị những giấy tờ gì",
    "cần chuẩn bị giấy tờ gì",
    "cần chuẩn bị những gì",
    "cần những giấy tờ gì",
    "cần giấy tờ gì",
    "cần những gì",
    "cần mang theo những gì",
    "cần mang theo gì",
    "mang theo gì",
    "cần gì",
    "giấy tờ gì",
    "cần những hồ sơ gì",
    "cần hồ sơ gì",
    "hồ sơ gì",
    "^ hồ sơ",
    "^ giấy tờ",
    "hồ sơ gồm những gì",
    "hồ sơ cần những gì",
    "hồ sơ gồm",
    "gồm những giấy tờ gì",
    "gồm những gì",
    "những giấy tờ nào",
    "những gì",
    "có cần",
    "cần phải",
    # how much, how long
    "hết bao nhiêu tiền",
    "mất bao nhiêu tiền",
    "bao nhiêu tiền",
    "lệ phí bao nhiêu",
    "phí bao nhiêu",
    "mất bao nhiêu ngày",
    "mất bao lâu",
    "bao lâu",
    "bao nhiêu",
    # where, how, when
    "làm ở đâu",
    "nộp ở đâu",
    "ở đâu",
    "tại đâu",
    "chỗ nào",
    "nơi nào",
    "như thế nào",
    "làm thế nào",
    "thế nào",
    "ra sao",
    "phải làm sao",
    "làm sao",
    "phải làm gì",
    "làm gì",
    "^ làm",
    "khi nào",
    "gì",
    # sentence-final particles
    "có được không $",
    "được không $",
    "không $",
    "vậy $",
    "thế $",
    "nhé $",
    "nha $",
    "hả $",
    "ạ",
    "à $",
    "với $",
)


@dataclass(frozen=True)
class _Phrase:
    folded: tuple[str, ...]
    written: tuple[str, ...]
    initial_only: bool
    final_only: bool


def _compile(phrases: tuple[str, ...]) -> dict[str, list[_Phrase]]:
    """Index the stop-phrases by their first folded syllable, longest first."""
    table: dict[str, list[_Phrase]] = {}
    for phrase in phrases:
        words = textnorm.nfc(phrase).lower().split()
        initial_only = words[0] == "^"
        final_only = words[-1] == "$"
        written = tuple(words[int(initial_only) : len(words) - int(final_only)])
        folded = tuple(textnorm.fold(s) for s in written)
        entry = _Phrase(folded, written, initial_only, final_only)
        table.setdefault(folded[0], []).append(entry)
    for entries in table.values():
        entries.sort(key=lambda p: len(p.folded), reverse=True)
    return table


_STOP_TABLE = _compile(STOP_PHRASES)


def _same_syllable(typed: str, written: str) -> bool:
    """True if ``typed`` may be ``written``: same letters, or no diacritics typed."""
    lowered = typed.lower()
    return lowered == written or not textnorm.has_diacritics(lowered)


def _stop_length(syllables: list[str], folded: list[str], i: int) -> int:
    """Length of the stop-phrase starting at syllable ``i`` (0: none)."""
    for phrase in _STOP_TABLE.get(folded[i], ()):
        n = len(phrase.folded)
        if (phrase.final_only and i + n != len(folded)) or (phrase.initial_only and i != 0):
            continue
        if tuple(folded[i : i + n]) == phrase.folded and all(
            _same_syllable(t, w) for t, w in zip(syllables[i : i + n], phrase.written, strict=True)
        ):
            return n
    return 0


def strip_stop_phrases(syllables: list[str]) -> list[str]:
    """Remove the stop-phrases from a query's syllables (NFC, as typed).

    Phrases are peeled off the end and the start repeatedly ("... ở đâu vậy
    ạ", "cho em hỏi làm ..."), then removed wherever they occur. Returns the
    remaining syllables unchanged; nothing when the query was only question
    words ("cho em hỏi thủ tục"): it names no procedure.
    """
    words = list(syllables)
    folded = [textnorm.fold(s) for s in words]
    changed = True
    while changed and words:
        changed = False
        for start in range(max(0, len(words) - 6), len(words)):
            n = _stop_length(words, folded, start)
            if n and start + n == len(words):
                del words[start:], folded[start:]
                changed = True
                break
        n = _stop_length(words, folded, 0) if words else 0
        if n:
            del words[:n], folded[:n]
            changed = True
    kept: list[str] = []
    i = 0
    while i < len(words):
        n = _stop_length(words, folded, i)
        if n:
            i += n
        else:
            kept.append(words[i])
            i += 1
    return kept


def _word_syllables(text: str) -> list[str]:
    """Syllables and codes of ``text``, punctuation and symbols dropped."""
    return [p for p in textnorm.syllables(text) if any(c.isalnum() for c in p)]


@dataclass(frozen=True)
class Analysed:
    """A text as the index sees it: its terms and its folded form."""

    terms: tuple[str, ...]
    folded: str


@lru_cache(maxsize=65536)
def analyse_title(text: str) -> Analysed:
    """Terms of a name or alias: folded syllables plus underthesea words.

    Cached, so that rebuilding the index after a change only segments the
    texts that changed.
    """
    expanded = textnorm.expand_abbreviations(text)
    terms: list[str] = []
    for word in textnorm.segment(expanded):
        parts = [textnorm.fold(s) for s in _word_syllables(word.text)]
        terms.extend(parts)
        if len(parts) > 1:
            terms.append("_".join(parts))
    return Analysed(tuple(terms), " ".join(textnorm.fold(s) for s in _word_syllables(expanded)))


@lru_cache(maxsize=16384)
def _body_terms(text: str) -> str:
    # Cached as one string: a tuple of thousands of short strings per
    # procedure would cost far more memory than the analysis saves time.
    return " ".join(_word_syllables(textnorm.normalize(text[:MAX_FIELD_CHARS])))


def analyse_body(text: str) -> Analysed:
    """Terms of a long, low-weight field (sector, document names): syllables.

    Only the first ``MAX_FIELD_CHARS`` characters are read.
    """
    return Analysed(tuple(_body_terms(text).split()), "")


# "Thủ tục" ("procedure:") opens some names and not others; it is not indexed.
_NAME_PREFIX = re.compile(r"^[\s.:]*thủ tục\b[\s:]*", re.IGNORECASE)


def name_text(name: str) -> str:
    """The part of a procedure name that is indexed (NFC)."""
    text = textnorm.nfc(name)
    return _NAME_PREFIX.sub("", text, count=1) or text


# Where the head of a long name ends: the qualifiers that follow it ("đối với
# trường hợp ...", "(thực hiện tại cấp tỉnh)", "; ...") narrow the procedure
# down but bury its main words under BM25's and the cosine's length penalty,
# so the head is indexed as well.
_HEAD_END = re.compile(r"\s*(?:[(;:]|\bđối với\b|\btrong trường hợp\b|\btrường hợp\b)", re.IGNORECASE)
HEAD_MIN_WORDS = 3


def name_head(name: str) -> str | None:
    """The head of a long name, when it is shorter by a real qualifier."""
    match = _HEAD_END.search(name)
    if match is None:
        return None
    head, rest = name[: match.start()].strip(" ,."), name[match.start() :]
    if len(head.split()) < HEAD_MIN_WORDS or len(rest.split()) < HEAD_MIN_WORDS:
        return None
    return head


def alias_text(alias: str) -> str:
    """The part of an alias that is indexed: without the query's stop-phrases.

    Aliases are written the way citizens ask ("làm hộ chiếu"), so they are
    cleaned like a query; otherwise a query could never contain them whole.
    """
    expanded = textnorm.expand_abbreviations(alias)
    return " ".join(strip_stop_phrases(_word_syllables(expanded))) or expanded


def documents_text(documents: Sequence[str]) -> str:
    """The document names of a procedure as one text, at most ``MAX_DOCUMENTS``."""
    return " ; ".join(documents[:MAX_DOCUMENTS])


@dataclass(frozen=True)
class Query:
    """A cleaned query: its terms (syllables, n-grams) and its folded text."""

    terms: tuple[str, ...]
    folded: str


def analyse_query(text: str) -> Query:
    """Clean a citizen's query and cut it into terms.

    The text is cut to ``MAX_QUERY_CHARS``, abbreviations are expanded, the
    stop-phrases removed; the terms are the folded syllables and every 2- to
    ``MAX_NGRAM``-syllable n-gram of them, joined by "_".
    """
    expanded = textnorm.expand_abbreviations(text[:MAX_QUERY_CHARS])
    syllables = strip_stop_phrases(_word_syllables(expanded))
    parts = [textnorm.fold(s) for s in syllables]
    terms = list(dict.fromkeys(parts))
    for n in range(2, MAX_NGRAM + 1):
        terms.extend("_".join(parts[i : i + n]) for i in range(len(parts) - n + 1))
    return Query(tuple(dict.fromkeys(terms)), " ".join(parts))
