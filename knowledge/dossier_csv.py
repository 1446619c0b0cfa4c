"""Read a CSV exported by the one-stop (một cửa) system: columns, delimiter, rows.

UTF-8 with or without a byte order mark; comma, semicolon or tab, whichever
the header line uses. Headers are matched without case or diacritics, so
``ma_ho_so``, ``MA_HO_SO`` and ``Mã hồ sơ`` name the same column; a few
other names one-stop exports use are accepted too (``HEADER_ALIASES``).
Unknown columns are ignored and reported. See ``docs/dossier-csv.md``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from knowledge import messages
from knowledge.dossier_fields import fold_key

CODE = "ma_ho_so"
PROCEDURE = "ma_thu_tuc"
NAME = "ho_ten"
PHONE = "so_dien_thoai"
RECEIVED = "ngay_tiep_nhan"
DUE = "ngay_hen_tra"
STATUS = "trang_thai"
STEP = "buoc_hien_tai"
NOTE = "ghi_chu"
SUPPLEMENTS = "giay_to_bo_sung"
PICKUP = "noi_nhan_ket_qua"
COLUMNS = (CODE, PROCEDURE, NAME, PHONE, RECEIVED, DUE, STATUS, STEP, NOTE, SUPPLEMENTS, PICKUP)
REQUIRED_FOR_NEW = (PROCEDURE, NAME, PHONE, RECEIVED)
# Other header names one-stop exports use, folded ("Họ và tên" -> "ho_va_ten").
HEADER_ALIASES: dict[str, str] = {
    "so_ho_so": CODE,
    "ma_bien_nhan": CODE,
    "ho_va_ten": NAME,
    "nguoi_nop": NAME,
    "ten_nguoi_nop": NAME,
    "dien_thoai": PHONE,
    "sdt": PHONE,
    "ngay_nhan": RECEIVED,
    "ngay_hen_tra_ket_qua": DUE,
    "tinh_trang": STATUS,
    "buoc_xu_ly": STEP,
    "giay_to_can_bo_sung": SUPPLEMENTS,
    "noi_tra_ket_qua": PICKUP,
}
SUPPLEMENT_SEPARATORS = (";", "\n")
DELIMITERS = (",", ";", "\t")


class DossierImportError(ValueError):
    """The file cannot be imported at all; ``str()`` is a Vietnamese message for staff."""


@dataclass(frozen=True)
class CsvRow:
    """A data row: its first line in the file and its non-empty cells by column."""

    line: int
    cells: dict[str, str]
    overflow: bool = False


@dataclass(frozen=True)
class CsvTable:
    """The file: its delimiter, its columns (by header position), the unknown headers, the rows."""

    delimiter: str
    columns: list[str]
    ignored: list[str]
    rows: list[CsvRow]


def decode(data: bytes | str) -> str:
    """The file's text: UTF-8, with or without a byte order mark."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DossierImportError(messages.CSV_NOT_UTF8) from None


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most (comma on a tie)."""
    return max(DELIMITERS, key=lambda delimiter: (header_line.count(delimiter), delimiter == ","))


def column_of(header: str) -> str:
    """The column a header names ("Mã hồ sơ", "MA_HO_SO" -> "ma_ho_so"), or its folded form."""
    key = fold_key(header).replace(" ", "_")
    return HEADER_ALIASES.get(key, key)


def read_table(data: bytes | str) -> CsvTable:
    """Parse the CSV; ``DossierImportError`` if it has no usable header."""
    text = decode(data)
    if not text.strip():
        raise DossierImportError(messages.CSV_EMPTY)
    delimiter = detect_delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
        if header is None:
            raise DossierImportError(messages.CSV_EMPTY)
        columns = [column_of(cell) for cell in header]
        seen: set[str] = set()
        for column, raw in zip(columns, header, strict=True):
            if column in COLUMNS and column in seen:
                raise DossierImportError(messages.CSV_DUPLICATE_COLUMN.format(column=raw.strip()))
            seen.add(column)
        if CODE not in seen:
            raise DossierImportError(messages.CSV_NO_CODE_COLUMN)
        rows: list[CsvRow] = []
        last_line = reader.line_num
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                column: cell.strip()
                for column, cell in zip(columns, cells, strict=False)
                if column in COLUMNS and cell.strip()
            }
            rows.append(CsvRow(first_line, values, overflow=len(cells) > len(columns)))
    except csv.Error as error:
        reason = f"dòng {reader.line_num}: {error}"
        raise DossierImportError(messages.CSV_BAD_FORMAT.format(reason=reason)) from None
    ignored = [raw.strip() for column, raw in zip(columns, header, strict=True) if column not in COLUMNS]
    return CsvTable(delimiter, columns, [name for name in ignored if name], rows)
