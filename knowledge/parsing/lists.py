"""Fields that are lists: steps, result documents, subjects, levels."""

from __future__ import annotations

import re
from typing import Any

from knowledge.parsing.text import clean, is_empty, one_line
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE
from nlu.textnorm import fold

# "Bước 1:", "- Bước 2.", "+ Bước 3 -": where a numbered step starts.
_STEP_RE = re.compile(r"(?:^|(?<=\s)|(?<=[.;:]))(?:[-+*•]\s*)?Bước\s*\d+\s*[:.\-–)]?", re.IGNORECASE)
# A result code after "Mã:": "KQ.G01.000291", "000.00.00.KQ-167", "G10-KQ000123".
_RESULT_CODE_RE = re.compile(r"Mã:\s*([A-Z0-9][A-Za-z0-9.\-_]*\d|[A-Z]{2,}\b)")
# Page labels and controls glued after the results.
_PAGE_JUNK = ("Từ khóa", "Chọn cơ quan thực hiện", "Mô tảKhông có thông tin")

_LEVELS = {
    "cap bo": LEVEL_MINISTRY,
    "cap tinh": LEVEL_PROVINCE,
    "cap xa": LEVEL_COMMUNE,
    "co quan khac": LEVEL_OTHER,
}


def split_steps(text: str | None) -> list[str]:
    """The steps of "Trình tự thực hiện": by "Bước N" markers, else by line."""
    body = clean(text)
    if not body:
        return []
    starts = [m.start() for m in _STEP_RE.finditer(body)]
    if len(starts) >= 2:
        pieces = [body[: starts[0]]] + [
            body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)
        ]
    else:
        pieces = body.split("\n")
    steps = [one_line(piece).lstrip("-+*• ").strip() for piece in pieces]
    return [step for step in steps if step]


def strip_page_junk(text: str) -> str:
    """``text`` without the page labels and controls glued after it."""
    cut = len(text)
    for marker in _PAGE_JUNK:
        index = text.find(marker)
        if index >= 0:
            cut = min(cut, index)
    return text[:cut]


def split_results(text: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Result documents and their codes: ``[{"name": ..., "code": ...}]``.

    Also returns the published text without the page controls (None if empty).
    """
    body = one_line(strip_page_junk(clean(text)))
    if is_empty(body):
        return [], None
    results: list[dict[str, Any]] = []
    position = 0
    for match in _RESULT_CODE_RE.finditer(body):
        name = body[position : match.start()].strip(" ;,.-+")
        results.append({"name": name or None, "code": match.group(1)})
        position = match.end()
    tail = body[position:].strip(" ;,.-+")
    if tail:
        results.append({"name": tail, "code": None})
    return results, body


def split_subjects(text: str | None) -> list[str]:
    """Who may apply: split at commas outside brackets; a piece in lower case
    continues the previous one ("Cán bộ, công chức, viên chức")."""
    body = one_line(text)
    if is_empty(body):
        return []
    pieces: list[str] = []
    depth = 0
    current = ""
    for char in body:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            pieces.append(current)
            current = ""
        else:
            current += char
    pieces.append(current)
    subjects: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if subjects and piece[0].islower():
            subjects[-1] = f"{subjects[-1]}, {piece}"
        else:
            subjects.append(piece)
    return subjects


def parse_levels(text: str | None) -> set[str]:
    """Levels named in "Cấp bộ, Cấp tỉnh" (any capitalisation) as the settings name them."""
    found: set[str] = set()
    for piece in one_line(text).split(","):
        level = _LEVELS.get(" ".join(fold(piece).split()))
        if level:
            found.add(level)
    return found
