"""Re-cut a record's sections from its full page text (``raw_text``).

The published section fields were cut out of the page text at the *first*
occurrence of a section title. When a title also appears inside a body
("...tại Mục 2.3 (Thành phần hồ sơ) ...", a fee note starting "Căn cứ pháp
lý: ..."), the field ends early or swallows part of another section (the
data README's "Section cut errors").

Here each section is found by an anchor that cannot occur in a body: the
table titles are followed by their table headers, the sections follow each
other in a fixed order, and the result section is the last one. A field is
*cut* when its published text differs from the re-cut one; the importer then
parses the re-cut text and reports the repair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.parsing.text import clean

# Published field -> the section title on the page.
TITLES: dict[str, str] = {
    "trinh_tu_thuc_hien": "Trình Tự Thực Hiện",
    "cach_thuc_thuc_hien": "Cách Thức Thực Hiện",
    "thanh_phan_ho_so": "Thành phần hồ sơ",
    "can_cu_phap_ly": "Căn cứ pháp lý",
    "co_quan_thuc_hien": "Cơ quan thực hiện",
    "yeu_cau_dieu_kien": "Yêu cầu, điều kiện thực hiện",
    "ket_qua_xu_ly": "Kết quả xử lý",
}
_RELATED = "Thủ tục hành chính liên quan"
_CHANNELS_ANCHOR = "Cách Thức Thực HiệnHình thức nộp"
_LEGAL_ANCHOR = re.compile(r"Căn cứ pháp lý(?=Tên văn bản pháp lýMã văn bản|Không có thông tin)")
_RESULTS_END = "Từ khóa"


@dataclass(frozen=True)
class CutField:
    """A published field that differs from the section re-cut from the page."""

    field: str
    published_chars: int
    recut_chars: int
    kind: str  # "ended_early", "overran" or "misplaced"


def recut(raw_text: str) -> dict[str, str] | None:
    """The sections of ``raw_text`` by published field name; None if anchors are missing."""
    raw = raw_text
    related = raw.find(_RELATED)
    steps = raw.find(TITLES["trinh_tu_thuc_hien"], max(related, 0))
    channels = raw.find(_CHANNELS_ANCHOR, max(steps, 0))
    if steps < 0 or channels < 0:
        return None
    legal_match = next((m for m in _LEGAL_ANCHOR.finditer(raw) if m.start() > channels), None)
    if legal_match is None:
        return None
    legal = legal_match.start()
    documents = raw.find(TITLES["thanh_phan_ho_so"], channels)
    agency = raw.find(TITLES["co_quan_thuc_hien"], legal)
    conditions = raw.find(TITLES["yeu_cau_dieu_kien"], max(agency, 0))
    if documents < 0 or documents > legal or agency < 0 or conditions < 0:
        return None
    results_at = [m.start() for m in re.finditer(TITLES["ket_qua_xu_ly"], raw) if m.start() > conditions]
    if results_at:
        results = results_at[-1]
        conditions_end = results
        results_text = raw[results + len(TITLES["ket_qua_xu_ly"]) :]
    else:
        keywords = raw.find(_RESULTS_END, conditions)
        conditions_end = keywords if keywords >= 0 else len(raw)
        results_text = ""

    def between(title_field: str, start: int, end: int) -> str:
        return raw[start + len(TITLES[title_field]) : end]

    return {
        "trinh_tu_thuc_hien": between("trinh_tu_thuc_hien", steps, channels),
        "cach_thuc_thuc_hien": between("cach_thuc_thuc_hien", channels, documents),
        "thanh_phan_ho_so": between("thanh_phan_ho_so", documents, legal),
        "can_cu_phap_ly": between("can_cu_phap_ly", legal, agency),
        "co_quan_thuc_hien": between("co_quan_thuc_hien", agency, conditions),
        "yeu_cau_dieu_kien": between("yeu_cau_dieu_kien", conditions, conditions_end),
        "ket_qua_xu_ly": results_text,
    }


def _comparable(text: str) -> str:
    return " ".join(clean(text).split())


def find_cuts(record: dict[str, str], sections: dict[str, str]) -> list[CutField]:
    """Fields of ``record`` whose published text differs from the re-cut ``sections``.

    Page controls after the result section ("Từ khóa", "Chọn cơ quan thực
    hiện") are not a cut: both sides are compared without them.
    """
    cuts: list[CutField] = []
    for name, recut_text in sections.items():
        if (record.get(name) or "").strip() == recut_text.strip():
            continue
        published = _comparable(record.get(name) or "")
        again = _comparable(recut_text)
        if name == "ket_qua_xu_ly":
            published = published.split(_RESULTS_END)[0].strip()
            again = again.split(_RESULTS_END)[0].strip()
        if published == again:
            continue
        if again.startswith(published):
            kind = "ended_early"
        elif published.startswith(again):
            kind = "overran"
        else:
            kind = "misplaced"
        cuts.append(CutField(name, len(published), len(again), kind))
    return cuts
