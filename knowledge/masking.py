"""Hide phone numbers (and other long digit runs) in citizen text shown to staff.

Citizens sometimes type their phone or ID number into a question. Staff
screens show such text with every run of 7 digits or more masked but its
last 3 digits ("0912 345 678" -> "*******678"). Digits may be written in
groups separated by one space, dot or hyphen. Two kinds of runs are left as
they are: the province's receipt codes (staff need them to find a dossier)
and amounts written with thousands dots ("1.200.000").
"""

from __future__ import annotations

import re

MIN_DIGITS = 7
KEEP_LAST = 3
MASK = "*"

_DIGIT_RUN = re.compile(r"\+?\d(?:[ .\-]?\d)*")
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if _AMOUNT.fullmatch(run):
        return run
    digits = re.sub(r"\D", "", run)
    if len(digits) < MIN_DIGITS:
        return run
    return MASK * (len(digits) - KEEP_LAST) + digits[-KEEP_LAST:]


def mask_digits(text: str, keep_pattern: str | None = None) -> str:
    """``text`` with long digit runs masked; matches of ``keep_pattern`` (receipt codes) kept."""
    if not keep_pattern:
        return _DIGIT_RUN.sub(_mask_run, text)
    out: list[str] = []
    position = 0
    for kept in re.finditer(keep_pattern, text, flags=re.IGNORECASE):
        out.append(_DIGIT_RUN.sub(_mask_run, text[position : kept.start()]))
        out.append(kept.group(0))
        position = kept.end()
    out.append(_DIGIT_RUN.sub(_mask_run, text[position:]))
    return "".join(out)


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N***** V** A*": only the initials show."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
