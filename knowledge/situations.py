"""From a life situation ("tôi mới sinh con") to the procedures it needs.

A situation lists phrases that name it and the procedure codes, most useful
first (``knowledge/data/situations.yml``, curated by hand). A message names a
situation when one of its phrases appears in it as whole words, compared
without diacritics or case. The search (``knowledge.search``) completes the
list when a situation gives fewer candidates than asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.textnorm import fold, normalize

SITUATIONS_FILE = Path(__file__).resolve().parent / "data" / "situations.yml"


@dataclass(frozen=True)
class Situation:
    """A life event and the procedures it usually takes."""

    name: str
    phrases: tuple[str, ...]
    codes: tuple[str, ...]


def load(path: Path = SITUATIONS_FILE) -> list[Situation]:
    """The situations of ``path``, phrases folded."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Situation(
            name=str(entry["situation"]),
            phrases=tuple(" ".join(fold(str(p)).split()) for p in entry["when"]),
            codes=tuple(str(code) for code in entry["procedures"]),
        )
        for entry in entries
    ]


@lru_cache(maxsize=1)
def situations() -> list[Situation]:
    """The project's situations, read once."""
    return load()


def _words(text: str) -> str:
    """``text`` folded, abbreviations expanded, one space between words, padded."""
    return " " + " ".join(re.findall(r"\w+", normalize(text))) + " "


def match(text: str, known: list[Situation] | None = None) -> list[Situation]:
    """The situations ``text`` names, in file order."""
    words = _words(text)
    return [s for s in (known or situations()) if any(f" {p} " in words for p in s.phrases)]


def procedure_codes(text: str, known: list[Situation] | None = None) -> list[str]:
    """Codes of the procedures for the situations in ``text``, without repeats."""
    codes: list[str] = []
    for situation in match(text, known):
        codes.extend(code for code in situation.codes if code not in codes)
    return codes
