"""Fees: the published fee text, an amount in VND where one is stated, a note.

The published fee column cannot always be taken at its word:

* ``Miễn phí`` (free) next to a note that states an amount ("Miễn phí(50.000
  đồng/giấy)"): the note is kept, ``amount_vnd`` stays None and the row is
  flagged ``free_but_amount_in_note``;
* an amount 1,000 times too small ("150 VNĐ" next to a note saying "150.000
  đồng"): the note's amount is preferred when the column amount is below
  1,000 and the note states exactly 1,000 times it (flag
  ``amount_from_note_x1000``); a small amount the note does not confirm is
  kept as stated and flagged ``amount_below_1000``; when the note states the
  same amount in USD ("145 VNĐ" next to "145 USD/thẻ"), the currency is
  taken from the note (``currency_from_note``);
* a currency label without an amount (``currency_without_amount``), no
  information (``no_information``), prose (``text_only``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.parsing.text import NO_INFORMATION, clean

FREE = "Miễn phí"
VND = "VND"
USD = "USD"

FLAG_FREE_BUT_AMOUNT = "free_but_amount_in_note"
FLAG_FROM_NOTE = "amount_from_note_x1000"
FLAG_BELOW_1000 = "amount_below_1000"
FLAG_CURRENCY_FROM_NOTE = "currency_from_note"
FLAG_NO_AMOUNT = "currency_without_amount"
FLAG_NO_INFORMATION = "no_information"
FLAG_TEXT_ONLY = "text_only"

_CURRENCIES = {"việt nam đồng": VND, "vnđ": VND, "vnd": VND, "đồng": VND, "usd": USD}
# A fee cell of the glued table: "Miễn phí", "Không có thông tin", "2,000 Việt Nam Đồng", "VNĐ".
CELL_RE = re.compile(
    r"(?P<free>Miễn phí)|(?P<none>Không có thông tin)"
    r"|(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)?\s*(?P<currency>Việt Nam Đồng|VNĐ|USD|Đồng)"
)
# Money in free text: "150.000 đồng", "1.200.000 VNĐ", "2,000 đ".
_NOTE_MONEY_RE = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|đ\b|vnđ|vnd|việt nam đồng)", re.IGNORECASE
)


@dataclass
class Fee:
    """A parsed fee; ``text`` is the published fee cell."""

    text: str | None = None
    free: bool | None = None
    amount: float | None = None
    currency: str | None = None
    amount_vnd: int | None = None
    note: str | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> bool:
        """True when the fee is known: free, or an amount with its currency."""
        return self.free is True or self.amount is not None


def note_amounts(note: str | None) -> list[int]:
    """Amounts in VND that a free-text note states ("150.000 đồng" -> 150000)."""
    if not note:
        return []
    return [int(re.sub(r"[.,]", "", m.group(1))) for m in _NOTE_MONEY_RE.finditer(note)]


def parse_amount(text: str) -> float:
    """An amount as the portal writes it: "2,000" / "150.000" (thousands) or "2.5"."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def currency_of(label: str) -> str | None:
    """``VND`` / ``USD`` for a currency label, else None."""
    return _CURRENCIES.get(clean(label).lower())


def decide(fee: Fee) -> Fee:
    """Fill ``amount_vnd`` and the flags from the amount, currency and note."""
    in_note = note_amounts(fee.note)
    if fee.free:
        if in_note:
            fee.flags.append(FLAG_FREE_BUT_AMOUNT)
        else:
            fee.amount_vnd = 0
        return fee
    if fee.amount is None:
        return fee
    if fee.amount == 0:
        fee.free = True
        fee.amount_vnd = 0 if fee.currency in (VND, None) else None
        if in_note and fee.currency in (VND, None):
            fee.flags.append(FLAG_FREE_BUT_AMOUNT)
            fee.amount_vnd = None
        return fee
    if fee.currency != VND:
        return fee
    amount = round(fee.amount)
    fee.amount_vnd = amount
    if amount < 1000:
        if re.search(rf"(?<![\d.,]){amount}\s*USD", fee.note or ""):
            fee.currency, fee.amount_vnd = USD, None
            fee.flags.append(FLAG_CURRENCY_FROM_NOTE)
        elif amount * 1000 in in_note:
            fee.amount_vnd = amount * 1000
            fee.flags.append(FLAG_FROM_NOTE)
        else:
            fee.flags.append(FLAG_BELOW_1000)
    return fee


def parse_cell(cell: str | None, note: str | None = None) -> Fee:
    """The fee cell of the glued table (``CELL_RE``) plus its bracketed note."""
    text = clean(cell) or None
    fee = Fee(text=text, note=clean(note) or None)
    if text is None:
        return fee
    match = CELL_RE.fullmatch(text)
    if match is None:
        fee.flags.append(FLAG_TEXT_ONLY)
    elif match.group("free"):
        fee.free = True
    elif match.group("none"):
        fee.flags.append(FLAG_NO_INFORMATION)
    else:
        fee.currency = currency_of(match.group("currency"))
        if match.group("amount"):
            fee.amount = parse_amount(match.group("amount"))
        else:
            fee.flags.append(FLAG_NO_AMOUNT)
    return decide(fee)


_STRUCTURED_RE = re.compile(
    r"(?P<kind>Lệ phí|Phí)\s*:\s*(?P<amount>.*?)\s*(?P<currency>Đồng|USD)?\s*(?:\((?P<note>.*)\))?",
    re.DOTALL,
)


def parse_structured(text: str | None) -> Fee:
    """A fee of the structured file: "Phí : 50.000 Đồng (50.000 đồng/hồ sơ...)"."""
    published = clean(text) or None
    fee = Fee(text=published)
    if published is None:
        return fee
    match = _STRUCTURED_RE.fullmatch(published)
    if match is None:
        fee.flags.append(FLAG_TEXT_ONLY)
        return fee
    fee.note = clean(match.group("note")) or None
    amount = match.group("amount").strip()
    currency = match.group("currency")
    fee.currency = currency_of(currency) if currency else None
    if re.fullmatch(r"\d+(?:[.,]\d+)*", amount):
        fee.amount = parse_amount(amount)
    elif amount.lower() in ("không", "o"):
        fee.amount = 0.0
    elif not amount:
        fee.flags.append(FLAG_NO_AMOUNT)
    else:
        fee.flags.append(FLAG_TEXT_ONLY)
    return decide(fee)


def no_information_fee() -> Fee:
    """The fee of a row that says nothing about it."""
    return Fee(text=NO_INFORMATION, flags=[FLAG_NO_INFORMATION])
