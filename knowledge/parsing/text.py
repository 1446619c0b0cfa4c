"""Small text helpers shared by the parsers (NFC comes from ``nlu.textnorm``)."""

from __future__ import annotations

import re

from nlu.textnorm import nfc

# The portal's "no information" text, and other ways of saying nothing.
NO_INFORMATION = "Không có thông tin"
_EMPTY_VALUES = frozenset({"", NO_INFORMATION, "--", "-", "Không", "không"})

_SPACES = re.compile(r"[\t\u00a0\u2002\u2003\u2009\u200b][ \t\u00a0\u2002\u2003\u2009\u200b]*| {2,}")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Invisible format characters (zero-width space, left-to-right mark, BOM...).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")


def clean(text: str | None) -> str:
    """NFC, non-breaking spaces and tabs as spaces, runs of spaces collapsed, stripped."""
    if not text:
        return ""
    text = _SPACES.sub(" ", nfc(text))
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return text.strip()
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def one_line(text: str | None) -> str:
    """``clean`` and every line break turned into a space."""
    return " ".join(clean(text).split())


def is_empty(text: str | None) -> bool:
    """True for empty text and the portal's "no information" texts."""
    return clean(text) in _EMPTY_VALUES


def value_or_none(text: str | None, *, single_line: bool = False) -> str | None:
    """The cleaned text, or None for empty text and "no information" texts."""
    if is_empty(text):
        return None
    return one_line(text) if single_line else clean(text)


def balanced_end(text: str, start: int) -> int | None:
    """Index just past the bracket closing the one opened at ``text[start]``.

    None when the bracket is never closed (the text was cut).
    """
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def strip_bullet(text: str) -> str:
    """``text`` without a leading list bullet ("- ", "+ ", "* ", "•") and with its
    trailing punctuation tidied (";", ";;;;", "; ;" dropped, ";." / ".." -> ".")."""
    text = re.sub(r"^(?:[-+*•–]+\s*)+", "", text.strip())
    tail = re.search(r"[\s;,.]+$", text)
    if tail:
        text = text[: tail.start()] + ("." if "." in tail.group(0) else "")
    return text.strip()
