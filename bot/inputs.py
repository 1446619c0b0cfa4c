"""What a citizen's text must look like before it reaches Rasa.

Control and zero-width characters are removed, the text is NFC and trimmed.
An empty or too long text never reaches Rasa: the citizen is told why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot import texts

# C0/C1 controls (but tab and newline), zero-width and bidirectional marks, BOM.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Checked:
    """The cleaned text, or the reason it is refused (a Vietnamese reply)."""

    text: str
    refusal: str | None = None


def clean(text: str) -> str:
    """NFC, without invisible characters or lone surrogates, spaces collapsed per line."""
    text = _SURROGATES.sub("", unicodedata.normalize("NFC", text))
    text = _INVISIBLE.sub("", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip()


def check(text: str, max_chars: int) -> Checked:
    """Clean ``text`` and say whether it may be sent on."""
    cleaned = clean(text)
    if not cleaned:
        return Checked("", texts.EMPTY)
    if len(cleaned) > max_chars:
        return Checked(cleaned[:max_chars], texts.TOO_LONG.format(limit=f"{max_chars:,}".replace(",", ".")))
    return Checked(cleaned)
