"""What a citizen's text must look like before it reaches Rasa.

Characters nobody sees are removed: controls (but tab and newline), format
marks (zero-width, bidirectional, soft hyphen, tags), lone surrogates and the
blank letters messengers' "empty" tricks use. The text is then NFC and
trimmed. An empty or too long text never reaches Rasa: the citizen is told why.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot import texts

# Controls, format marks (zero-width, bidirectional, soft hyphen, BOM, tags), lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_KEPT = frozenset("\t\n")
# Letters drawn as nothing: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@dataclass(frozen=True)
class Checked:
    """The cleaned text, or the reason it is refused (a Vietnamese reply)."""

    text: str
    refusal: str | None = None


@lru_cache(maxsize=4096)
def _hidden(char: str) -> bool:
    return (unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in _KEPT) or char in _BLANK_LETTERS


def clean(text: str) -> str:
    """Without invisible characters, NFC, spaces collapsed per line, blank lines dropped."""
    if not (text.isascii() and text.isprintable()):
        # Removed before composing: a mark after a zero-width space still joins its letter.
        text = unicodedata.normalize("NFC", "".join(c for c in text if not _hidden(c)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip()


def too_long(max_chars: int) -> str:
    """The notice for a message over ``max_chars`` characters."""
    return texts.TOO_LONG.format(limit=f"{max_chars:,}".replace(",", "."))


def check(text: str, max_chars: int) -> Checked:
    """Clean ``text`` and say whether it may be sent on."""
    cleaned = clean(text)
    if not cleaned:
        return Checked("", texts.EMPTY)
    if len(cleaned) > max_chars:
        return Checked(cleaned[:max_chars], too_long(max_chars))
    return Checked(cleaned)
