"""Required documents ("Thành phần hồ sơ").

Published as one glued string: optional case text, the header ``Tên giấy
tờMẫu đơn, tờ khaiSố lượng``, then per document its name, the form template
file name(s) if any, and the quantity ``N bản chính`` / ``N bản chính,M bản
sao`` / ``M bản sao``. Several cases repeat the header, each preceded by its
case text ("* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:", "Trường hợp
ủy quyền...").

The template file name is glued to the document name; it starts after the
last ";" before the extension, else at the first glued boundary (".X", ")X",
"aB" with no space) near the extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.models.procedure import DocumentGroup
from knowledge.parsing.text import clean, one_line, strip_bullet

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY_RE = re.compile(r"(?:(\d+) bản chính(?:\s*,\s*(\d+) bản sao)?|(\d+) bản sao)")
_FILE_RE = re.compile(r"\.(?:docx?|pdf|xlsx?|rar|zip)", re.IGNORECASE)
# How far before an extension a file name may start.
_MAX_FILE_NAME = 90
_GENERIC_CASES = frozenset(
    {"", "--", "-", "thành phần hồ sơ", "thành phần hồ sơ:", "bao gồm", "bao gồm:", "hồ sơ gồm:", "hồ sơ gồm"}
)


@dataclass
class Document:
    """One required document; ``quantity_text`` is the published quantity."""

    name: str
    originals: int | None = None
    copies: int | None = None
    quantity_text: str | None = None
    template: str | None = None
    group: DocumentGroup = DocumentGroup.SUBMIT
    case_title: str | None = None
    note: str | None = None

    def as_row(self) -> dict[str, Any]:
        """The column values of a ``RequiredDocument``."""
        return {
            "group": self.group.value,
            "case_title": self.case_title,
            "name": self.name,
            "originals": self.originals,
            "copies": self.copies,
            "quantity_text": self.quantity_text,
            "template": self.template,
            "note": self.note,
        }


def _is_upper(char: str) -> bool:
    return char.isalpha() and char.isupper()


def _is_lower(char: str) -> bool:
    return char.isalpha() and char.islower()


def _file_start(text: str, extension_at: int) -> int | None:
    """Where the first template file name before ``text[extension_at]`` starts."""
    window_start = max(0, extension_at - _MAX_FILE_NAME)
    semicolon = text.rfind(";", window_start, extension_at)
    if semicolon >= 0 and semicolon + 1 < extension_at:
        return semicolon + 1 + (len(text[semicolon + 1 :]) - len(text[semicolon + 1 :].lstrip()))
    fallback: int | None = None
    for index in range(window_start + 1, extension_at):
        before, char = text[index - 1], text[index]
        if char.isspace() or not char.isalnum():
            continue
        two_before = text[index - 2] if index >= 2 else ""
        # ").X", ")X", ".X" (not "1.5"), ",33-Mẫu" after a word: a file name glued after punctuation.
        glued_after_mark = (
            (before == ")" or (before == "." and two_before == ")"))
            or (before == "." and char.isalpha())
            or (before == "," and two_before.isalpha() and char.isdigit())
        )
        camel = _is_lower(before) and _is_upper(char)
        if glued_after_mark or camel:
            return index
        if (
            fallback is None
            and char.isdigit()
            and (_is_lower(before) or (before == "." and two_before.isalpha()))
        ):
            fallback = index  # "...nhân dân32-Mẫu số 01.doc", "...Bộ Xây dựng.25.docx"
    return fallback


def split_template(chunk: str) -> tuple[str, str | None]:
    """Split "Tờ khai theo mẫuMuTkhaixaK.docx" into the name and the file name(s)."""
    extensions = list(_FILE_RE.finditer(chunk))
    if not extensions:
        return chunk, None
    last = extensions[-1]
    if chunk[last.end() :].strip():
        return chunk, None
    start = _file_start(chunk, extensions[0].start())
    if start is None or start == 0:
        return chunk, None
    files: list[str] = []
    position = start
    for match in extensions:
        files.append(chunk[position : match.end()].strip())
        position = match.end()
    return chunk[:start], "; ".join(f for f in files if f) or None


def _case(text: str) -> tuple[DocumentGroup, str | None]:
    title = one_line(text)
    lowered = title.lower()
    if "xuất trình" in lowered:
        group = DocumentGroup.PRESENT
    elif lowered.lstrip("* ").startswith("lưu ý"):
        group = DocumentGroup.OTHER
    else:
        group = DocumentGroup.SUBMIT
    return group, (None if lowered in _GENERIC_CASES else strip_bullet(title) or None)


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    originals: int
    copies: int
    text: str


def _quantities(part: str) -> list[_Quantity]:
    """The quantity cells of ``part``.

    A quantity written inside a name is zero-padded ("(01 bản chính)") and is
    not a cell; a long number is the end of the name glued to the cell
    ("Nghị định 1161 bản chính" is "Nghị định 116" + "1 bản chính").
    """
    found: list[_Quantity] = []
    for match in _QUANTITY_RE.finditer(part):
        first = match.group(1) if match.group(1) is not None else match.group(3)
        start = match.start()
        if len(first) >= 3:
            start += len(first) - 1
            first = first[-1]
        elif len(first) == 2 and first.startswith("0"):
            continue
        if match.group(3) is not None:
            originals, copies = 0, int(first)
        else:
            originals, copies = int(first), int(match.group(2) or 0)
        found.append(_Quantity(start, match.end(), originals, copies, part[start : match.end()]))
    return found


def parse_glued(text: str | None) -> tuple[list[Document], str | None]:
    """Parse the published "Thành phần hồ sơ" string.

    Returns the documents and the text left over after the last quantity
    (a note, or a document the source gave no quantity for).
    """
    body = clean(text)
    if not body:
        return [], None
    parts = body.split(HEADER)
    if len(parts) == 1:
        return [], one_line(body) or None
    documents: list[Document] = []
    group, case_title = _case(parts[0])
    leftover: str | None = None
    for index, part in enumerate(parts[1:], start=1):
        position = 0
        for quantity in _quantities(part):
            chunk = part[position : quantity.start]
            position = quantity.end
            name, template = split_template(one_line(chunk))
            name = strip_bullet(name)
            if not name:
                continue
            documents.append(
                Document(
                    name=name,
                    originals=quantity.originals,
                    copies=quantity.copies,
                    quantity_text=quantity.text,
                    template=template,
                    group=group,
                    case_title=case_title,
                )
            )
        tail = part[position:]
        if index < len(parts) - 1:
            group, case_title = _case(tail)
        else:
            leftover = one_line(tail) or None
    return documents, leftover


def parse_structured(rows: list[dict[str, Any]]) -> list[Document]:
    """Rows of ``tables.thanh_phan_ho_so`` of the structured file."""
    documents: list[Document] = []
    for item in rows:
        name = strip_bullet(one_line(item.get("ten_giay_to")))
        if not name:
            continue
        counts = clean(item.get("ghi_chu"))
        originals = re.search(r"Bản chính:\s*(\d+)", counts)
        copies = re.search(r"Bản sao:\s*(\d+)", counts)
        template = one_line(item.get("so_luong")) or None
        documents.append(
            Document(
                name=name,
                originals=int(originals.group(1)) if originals else None,
                copies=int(copies.group(1)) if copies else None,
                quantity_text=one_line(counts) or None,
                template=template if template and _FILE_RE.search(template) else None,
                note=None if (template is None or _FILE_RE.search(template)) else template,
            )
        )
    return documents
