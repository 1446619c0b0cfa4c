"""Legal bases ("Căn cứ pháp lý"): document number and title.

Published as one glued string: the header ``Tên văn bản pháp lýMã văn
bản``, then per row the title and the number, with no separator::

    Luật 49/2019/QH1449/2019/QH14Nghị định 76/2020/NĐ-CP76/2020/NĐ-CP

A number ends a row when it is glued to what precedes it (the title's last
word, or the same number ending the title) or when nothing follows it; a
number preceded by a space belongs to the title ("Thông tư số 40/2025/TT-BTC
Sửa đổi..."), unless a new title is glued right after it. Digits glued
after a suffix ("QH1449/2019/QH14") are given back to the next number, the
split chosen so that the number repeats when it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.parsing.text import clean, one_line

HEADER = "Tên văn bản pháp lýMã văn bản"
# A document number: "49/2019/QH14", "76/2020/NĐ-CP", "09/2023/QĐ-TTg", "66.7/2025/NQ-CP", "2222/QĐ-BHXH".
_SEGMENT = r"(?:TTg|[A-ZĐƯƠĂÂÊÔ][A-ZĐƯƠĂÂÊÔ0-9]*)"
_CODE_RE = re.compile(rf"\d+(?:\.\d+)?/(?:\d{{4}}/)?{_SEGMENT}(?:[-_]{_SEGMENT})*")
# Issuer suffixes seen in the data: a glued upper-case title ("NĐ-CPLUẬT", "BCAQUY ĐỊNH")
# is cut back to the longest of these.
KNOWN_SUFFIXES = frozenset(
    {
        "CP", "BTC", "BTP", "BCA", "BNNMT", "NHNN", "BGTVT", "BXD", "TTg", "BTNMT", "BNNPTNT", "BKHĐT",
        "BHXH", "BLĐTBXH", "BYT", "BCT", "BQP", "CTN", "TANDTC", "VKSNDTC", "BTTTT", "BGDĐT", "BNV",
        "BVHTTDL", "BKHCN", "HĐND", "UBTVQH", "KBNN", "TCT", "TCHQ", "VPCP", "BNG", "UBND",
    }
)  # fmt: skip


# The start of the number column glued to the title: "...môi trườngLuật số", "LuậtLuật", ".NĐ".
_TITLE_TAIL_RE = re.compile(
    r"(?:(?<=[A-Za-zÀ-ỹĐđ)])(?:Luật|Luất|Nghị định|Thông tư|Quyết định|Nghị quyết|Pháp lệnh|Lệnh)(?: số)?"
    r"|(?<=\.)(?:NĐ|TT|QĐ|NQ)|(?<=\S)(?:số|Số))\s*$"
)


# A number column that starts with its type, glued to the title: "...tín dụngLuật số 32/2024/QH15".
_GLUED_LABEL_RE = re.compile(
    r"(?:[a-zà-ỹđ)](?:Luật|Nghị định|Thông tư|Quyết định|Nghị quyết)(?: số)?|\.(?:NĐ|TT|QĐ|NQ))\s*$"
)


@dataclass
class LegalBasis:
    """One legal basis; ``code`` is the document number, ``title`` its published title."""

    code: str | None
    title: str | None
    issued_on: date | None = None
    issuer: str | None = None

    def as_row(self) -> dict[str, Any]:
        """The column values of a ``LegalBasis`` row."""
        return {"code": self.code, "title": self.title, "issued_on": self.issued_on, "issuer": self.issuer}


@dataclass
class _Code:
    start: int
    end: int

    def text(self, body: str) -> str:
        return body[self.start : self.end]


def _codes(body: str) -> list[_Code]:
    """Document numbers in ``body``, glued digits given back to the next number."""
    codes: list[_Code] = []
    position = 0
    while True:
        match = _CODE_RE.search(body, position)
        if match is None:
            return codes
        start, end = match.start(), match.end()
        if re.match(r"(?:19|20)\d{2}\d+/", match.group(0)):
            start += (
                4  # "ngày 25/01/202640/2026/NĐ-CP", "sửa đổi 202323/2023/QH15": a year glued to the number
            )
        last_segment = re.split(r"[-_/]", body[start:end])[-1]
        legislature = re.fullmatch(r"((?:UBTVQH|QH)\d{2})[A-ZĐÀ-Ỹ]+", last_segment)
        if legislature:
            last_segment = legislature.group(0)  # "QH15QUY ĐỊNH": a glued upper-case title
            end -= len(last_segment) - len(legislature.group(1))
            last_segment = legislature.group(1)
        known = [k for k in KNOWN_SUFFIXES if last_segment.startswith(k) and last_segment[len(k) :].isalpha()]
        if known and len(max(known, key=len)) < len(last_segment):
            end -= len(last_segment) - len(max(known, key=len))  # "NĐ-CPLUẬT": a glued title
        elif (
            last_segment not in KNOWN_SUFFIXES
            and len(last_segment) > 2
            and body[end - 1].isupper()
            and body[end : end + 1].islower()
        ):
            end -= 1  # "76/2020/NĐ-CPNghị định": the next title's capital
        trailing = re.search(r"\d+$", body[start:end])
        following = body[end : end + 1]
        if trailing and following == "/":
            # "QH1449/2019/QH14": the suffix swallowed the next number's digits.
            digits_at = trailing.start() + start
            # Legislature numbers keep their digits ("QH14"); other suffixes have none ("NĐ-CP").
            keep = 2 if body[start:digits_at].endswith("QH") else 0
            best = None
            for cut in range(digits_at, end):
                again = _CODE_RE.match(body, cut)
                if again is None:
                    continue
                own = body[start:cut]
                if again.group(0) == own or body.startswith(own, cut):
                    best = cut
                    break
            if best is None and end - digits_at > keep:
                best = digits_at + keep
            if best is not None and best > start:
                end = best
        codes.append(_Code(start, end))
        position = end


def _ends_row(body: str, code: _Code, next_code: _Code | None) -> bool:
    before = body[code.start - 1 : code.start] if code.start else ""
    after = body[code.end : code.end + 1]
    if not after:
        return True
    if (
        next_code is not None
        and next_code.start == code.end
        and code.text(body).startswith(next_code.text(body))
    ):
        # "Luật 49/2019/QH14" + "49/2019/QH14" (or the repeat cut short): the first ends the title.
        return False
    if (
        next_code is not None
        and next_code.text(body) == code.text(body)
        and re.fullmatch(r"\s*(?:số|Số)\s*", body[code.end : next_code.start])
    ):
        return False  # "50/2025/TT-NHNN" + "số 50/2025/TT-NHNN": the first is the title
    if re.match(r"\s+[-–:]\s", body[code.end : code.end + 4]):
        return False  # "26/2005/PL-UBTVQH11 - Ưu đãi...": the number opens the title
    if _GLUED_LABEL_RE.search(body, 0, code.start):
        return True  # "...ngân hàngThông tư 18/2023/TT-NHNN": the number column, with its type
    if before and not before.isspace():
        return True
    if next_code is not None and next_code.start == code.end:
        return False  # "...bởi Nghị định số 07/2025/NĐ-CP" + "280/2025/NĐ-CP": the title's last number
    return not after.isspace() and not (after.isalpha() and after.islower()) and after not in ",;.)"


def parse_glued(text: str | None) -> tuple[list[LegalBasis], str | None]:
    """Parse the published "Căn cứ pháp lý" string.

    Returns the rows and the text left over after the last number.
    """
    body = one_line(text)
    if body.startswith(HEADER):
        body = body[len(HEADER) :]
    if not body or body == "Không có thông tin":
        return [], None
    codes = _codes(body)
    rows: list[LegalBasis] = []
    position = 0
    for index, code in enumerate(codes):
        if code.start < position:
            continue
        following = codes[index + 1] if index + 1 < len(codes) else None
        if not _ends_row(body, code, following):
            continue
        title = _TITLE_TAIL_RE.sub("", body[position : code.start]).strip(" ;,")
        number = code.text(body)
        rows.append(LegalBasis(code=number, title=title or None))
        position = code.end
    leftover = body[position:].strip() or None
    if (
        leftover
        and rows
        and rows[-1].code
        and rows[-1].code.startswith(leftover)
        and re.fullmatch(r"[\d/.]+", leftover)
    ):
        # "Nghị định số 46/2020/NĐ-CP46/2020": the number column repeats the title's number, cut short.
        last = rows[-1]
        last.title = f"{last.title} {last.code}".strip() if last.title else last.code
        last.code, leftover = leftover, None
    return rows, leftover


def _date(text: str | None) -> date | None:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", clean(text))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_structured(rows: list[dict[str, Any]]) -> list[LegalBasis]:
    """Rows of ``tables.can_cu_phap_ly`` of the structured file."""
    bases: list[LegalBasis] = []
    for item in rows:
        code = one_line(item.get("so_ky_hieu")) or None
        title = one_line(item.get("trich_yeu")) or None
        number = _CODE_RE.search(code) if code else None
        if number and number.start() > 0 and code and code.endswith(number.group(0)):
            code = number.group(0)  # "Luật 47/2014/QH13" -> "47/2014/QH13"
        if code is None and title is None:
            continue
        bases.append(
            LegalBasis(
                code=code,
                title=title,
                issued_on=_date(item.get("ngay_ban_hanh")),
                issuer=one_line(item.get("co_quan_ban_hanh")) or None,
            )
        )
    return bases
