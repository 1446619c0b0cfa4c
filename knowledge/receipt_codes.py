"""Receipt codes (mã hồ sơ) as citizens type them, and as the one-stop system writes them."""

from __future__ import annotations

import re
import unicodedata

from knowledge.settings import get_settings

_GROUPS = re.compile(r"[0-9A-Za-z]+")
# The national shape AAA.BB.CC.XNN-YYMMDD-NNNN with its separators removed.
_STANDARD_COMPACT = re.compile(r"(\d{3})(\d{2})(\d{2})([A-Z]\d{2})(\d{6})(\d{4})")


def ascii_digits(text: str) -> str:
    """Decimal digits of every script (full-width ０-９, Arabic-Indic ٠-٩...) as 0-9."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def normalize_receipt_code(text: str, pattern: str | None = None) -> str | None:
    """The receipt code as the one-stop system writes it, or None if it is not one.

    Accepts lower case, spaces or missing separators between the parts, and
    digits of other scripts (a full-width keyboard):
    "000.00.04.h51 200221 0001" -> "000.00.04.H51-200221-0001".
    """
    pattern = pattern or get_settings().receipt_code_pattern
    text = ascii_digits(text).strip().upper()[:100]
    candidates = [re.sub(r"\s+", "", text), re.sub(r"\s+", "-", text)]
    groups = _GROUPS.findall(text)
    if len(groups) >= 6:
        candidates.append(".".join(groups[:-2]) + "-" + "-".join(groups[-2:]))
    compact = _STANDARD_COMPACT.search("".join(groups))
    if compact:  # every separator missing or misplaced, in the national shape
        candidates.append("{}.{}.{}.{}-{}-{}".format(*compact.groups()))
    for candidate in candidates:
        if re.fullmatch(pattern, candidate):
            return candidate
    match = re.search(pattern, text)
    return match.group(0) if match else None
