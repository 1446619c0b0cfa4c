"""Vietnamese text normalisation shared by the engine and the app environments.

This module imports nothing but the standard library and underthesea (GUIDE
section 2): the Rasa tokenizer (engine), the knowledge-base search and the
actions (app) all call it, so the two sides see a message the same way.

Three views of a text are used across the project:

* ``nfc(text)``: the text as written, Unicode NFC.
* ``fold(text)``: lower case without diacritics, ``đ`` -> ``d``; what a
  citizen typing without diacritics produces.
* ``normalize(text)``: ``fold`` after expanding the abbreviations people type
  ("ko" -> "không", "cccd" -> "căn cước công dân"); the view used to match.

``segment(text)`` splits a text into Vietnamese words (underthesea) whose
offsets index the *original* string exactly, whatever its composition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS",
    "Word",
    "expand_abbreviations",
    "fold",
    "has_diacritics",
    "nfc",
    "normalize",
    "segment",
    "syllables",
]

# Abbreviations and teen-code as citizens type them, keyed by their folded
# form. Only whole syllables are expanded, never parts of a word.
ABBREVIATIONS: dict[str, str] = {
    "k": "không",
    "ko": "không",
    "kh": "không",
    "kg": "không",
    "hok": "không",
    "khong": "không",
    "dc": "được",
    "dk": "đăng ký",
    "dky": "đăng ký",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "cmt": "chứng minh thư",
    "gplx": "giấy phép lái xe",
    "gks": "giấy khai sinh",
    "gcn": "giấy chứng nhận",
    "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
    "qsdd": "quyền sử dụng đất",
    "hs": "hồ sơ",
    "tthc": "thủ tục hành chính",
    "ubnd": "ủy ban nhân dân",
    "sdt": "số điện thoại",
    "j": "gì",
    "ji": "gì",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
    "bnhieu": "bao nhiêu",
    "mk": "mình",
    "vs": "với",
    "r": "rồi",
    "z": "vậy",
    "v": "vậy",
    "ad": "admin",
    "e": "em",
    "ng": "người",
    "nc": "nước",
    "ngta": "người ta",
    "trc": "trước",
    "onl": "online",
    "dvc": "dịch vụ công",
    "hk": "hộ khẩu",
    "kd": "kinh doanh",
    "dn": "doanh nghiệp",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "lltp": "lý lịch tư pháp",
    "tnhh": "trách nhiệm hữu hạn",
    "tncn": "thu nhập cá nhân",
    "tndn": "thu nhập doanh nghiệp",
    "gtgt": "giá trị gia tăng",
    "mst": "mã số thuế",
    "nvqs": "nghĩa vụ quân sự",
    "pccc": "phòng cháy chữa cháy",
    "csdl": "cơ sở dữ liệu",
    "gpkd": "giấy phép kinh doanh",
    "gpxd": "giấy phép xây dựng",
    "hkd": "hộ kinh doanh",
    "bds": "bất động sản",
}

# Words: letters and digits with their combining marks, optionally joined by
# "." "-" "/" when digits are involved (receipt codes, dates, decree numbers),
# so that "000.00.04.H51-200221-0001" or "15/2024/NĐ-CP" stay one piece.
# Anything else that is not a space (punctuation, emoji) is a piece of its own.
_MARK = "\u0300-\u036f"
_PIECE_RE = re.compile(
    rf"(?:[0-9][\w{_MARK}]*(?:[./\-][\w{_MARK}]+)+"
    rf"|[\w{_MARK}]*[0-9][\w{_MARK}]*(?:[./\-][\w{_MARK}]+)+"
    rf"|[\w{_MARK}]+"
    r"|[^\s])",
)


@dataclass(frozen=True)
class Word:
    """A word of the original text: ``text == original[start:end]``."""

    text: str
    start: int
    end: int


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (composed) form."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐÐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip every diacritic (``đ`` -> ``d``)."""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries at least one Vietnamese diacritic."""
    return fold(text) != text.lower()


def syllables(text: str) -> list[str]:
    """Split ``text`` into word-like pieces (syllables, codes, symbols)."""
    return [m.group(0) for m in _PIECE_RE.finditer(text)]


def expand_abbreviations(text: str) -> str:
    """Replace whole-syllable abbreviations ("ko", "cccd") by their full form.

    Returns NFC text; spacing between pieces is collapsed to single spaces.
    """
    out: list[str] = []
    for piece in syllables(nfc(text)):
        expansion = ABBREVIATIONS.get(fold(piece)) if piece.isalpha() else None
        # "đc" and "dc" mean "được"; an "a"/"e" with a tone is a real word.
        if expansion is not None and (fold(piece) == piece.lower() or fold(piece) in {"dc", "dk"}):
            out.append(expansion)
        else:
            out.append(piece)
    return " ".join(out)


def normalize(text: str) -> str:
    """The matching view: abbreviations expanded, folded, single-spaced."""
    return fold(expand_abbreviations(text))


# ---------------------------------------------------------------- segmentation


def _is_syllable(piece: str) -> bool:
    return all(c.isalpha() or unicodedata.combining(c) or c.isspace() for c in piece)


def _pieces(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PIECE_RE.finditer(text)]


def _skeleton(text: str) -> list[tuple[str, int]]:
    """Folded base characters of ``text`` with the index each came from.

    Spaces and combining marks are dropped, so two spellings of one word
    (NFC or NFD, with or without diacritics) give the same skeleton.
    """
    out: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.combining(char):
            continue
        for base in _fold_char(char):
            out.append((base, index))
    return out


def _underthesea_words(text: str) -> list[str]:
    from underthesea import word_tokenize

    return list(word_tokenize(text))


def _word_ids(text: str, words: list[str]) -> list[int] | None:
    """For each skeleton character of ``text``, the index of its word.

    Returns None when the segmenter's output cannot be aligned with the
    text (it changed characters beyond diacritics and case).
    """
    original = _skeleton(text)
    ids: list[int] = []
    for word_index, word in enumerate(words):
        ids.extend([word_index] * len(_skeleton(word)))
    if len(ids) != len(original):
        return None
    produced = "".join(c for word in words for c, _ in _skeleton(word))
    expected = "".join(c for c, _ in original)
    mismatches = sum(1 for a, b in zip(produced, expected, strict=True) if a != b)
    if mismatches > max(2, len(expected) // 10):
        return None
    return ids


def segment(text: str) -> list[Word]:
    """Segment ``text`` into Vietnamese words with exact original offsets.

    Pieces (syllables, codes, punctuation, emoji) are found on the original
    text; underthesea only decides which neighbouring syllables form one
    word ("giấy tờ", "sổ đỏ"). A piece is never split, so a receipt code or
    a date stays one token. Text without diacritics, or whose underthesea
    output cannot be aligned with it, is split into its pieces.
    """
    pieces = _pieces(text)
    if not pieces:
        return []
    # underthesea's model learnt from text with diacritics; without them its
    # segmentation is close to random ("thu | tuc lam | so"), so such text is
    # split into syllables, which keeps entity spans on token boundaries.
    ids = None
    if has_diacritics(text):
        normalized = nfc(" ".join(text[s:e] for s, e in pieces))
        ids = _word_ids(text, _underthesea_words(normalized))

    # Map every original index to the skeleton position it produced.
    first_id: dict[int, int] = {}
    last_id: dict[int, int] = {}
    if ids is not None:
        for position, (_, index) in enumerate(_skeleton(text)):
            first_id.setdefault(index, ids[position])
            last_id[index] = ids[position]

    def piece_ids(start: int, end: int) -> tuple[int | None, int | None]:
        starts = [first_id[i] for i in range(start, end) if i in first_id]
        ends = [last_id[i] for i in range(start, end) if i in last_id]
        return (starts[0] if starts else None, ends[-1] if ends else None)

    words: list[Word] = []
    current_start, current_end = pieces[0]
    _, current_last = piece_ids(*pieces[0])
    for start, end in pieces[1:]:
        first, last = piece_ids(start, end)
        # Only syllables join into words; numbers, codes, punctuation and
        # emoji stand alone.
        joins = (
            first is not None
            and first == current_last
            and _is_syllable(text[current_start:current_end])
            and _is_syllable(text[start:end])
        )
        if joins:
            current_end = end
        else:
            words.append(Word(text[current_start:current_end], current_start, current_end))
            current_start, current_end = start, end
        current_last = last if last is not None else current_last
    words.append(Word(text[current_start:current_end], current_start, current_end))
    return words
