"""A published record (either source file) to a ``ParsedProcedure``.

Two formats reach the importer:

* ``procedures.jsonl`` (the national portal's page, fields cut from the page
  text, tables glued): the sections are re-cut from ``raw_text`` (see
  ``sections``) and parsed; repaired cuts are reported;
* ``procedures_structured.jsonl`` (parsed from the portal's .doc export):
  the tables are already rows.

Every parsed field keeps its published text beside it, and the record as it
came is kept in ``raw_record``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.parsing import channels as channel_parser
from knowledge.parsing import documents as document_parser
from knowledge.parsing import legal_bases as legal_parser
from knowledge.parsing.channels import Channel
from knowledge.parsing.documents import Document
from knowledge.parsing.legal_bases import LegalBasis
from knowledge.parsing.lists import parse_levels, split_results, split_steps, split_subjects
from knowledge.parsing.sections import find_cuts, recut
from knowledge.parsing.text import clean, one_line, value_or_none

PORTAL = "procedures.jsonl"
STRUCTURED = "procedures_structured.jsonl"

# Field statuses in the import report.
PARSED = "parsed"
TEXT_ONLY = "text_only"
EMPTY = "empty"

_PAGE_CODE_RE = re.compile(r"Mã thủ tục\s*(\d+\.\d+)")


class MislabeledRecordError(ValueError):
    """The record's page belongs to another procedure code."""


@dataclass
class ParsedProcedure:
    """A procedure ready to store: column values, child rows, what went wrong."""

    code: str
    values: dict[str, Any]
    channels: list[Channel] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    # Field -> (PARSED | TEXT_ONLY | EMPTY, reason or None), for the report.
    status: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # Human-readable problems, stored in Procedure.parse_issues.
    issues: list[str] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)


def record_format(record: dict[str, Any]) -> str | None:
    """Which source format ``record`` is in (None if neither)."""
    if "ma_thu_tuc" in record and "raw_text" in record:
        return PORTAL
    if "thu_tuc_id" in record and "tables" in record:
        return STRUCTURED
    return None


def _levels(values: dict[str, Any], text: str | None) -> None:
    levels = parse_levels(text)
    from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE

    values["level_ministry"] = LEVEL_MINISTRY in levels
    values["level_province"] = LEVEL_PROVINCE in levels
    values["level_commune"] = LEVEL_COMMUNE in levels
    values["level_other"] = LEVEL_OTHER in levels
    values["levels_text"] = one_line(text) or None


def _channel_status(text: str | None, rows: list[Channel]) -> tuple[str, str | None]:
    if not rows:
        return (TEXT_ONLY, "no channel row recognised") if clean(text) else (EMPTY, None)
    if any(channel_parser.FLAG_NO_FEE in row.flags for row in rows):
        return TEXT_ONLY, "a row has no recognisable fee cell"
    return PARSED, None


def _documents_status(text: str | None, docs: list[Document], leftover: str | None) -> tuple[str, str | None]:
    if docs:
        return PARSED, ("text after the last quantity kept as note" if leftover else None)
    if not clean(text) or value_or_none(text) is None:
        return EMPTY, None
    if document_parser.HEADER not in clean(text):
        return TEXT_ONLY, "no document table in the text"
    return TEXT_ONLY, "document table without quantities"


def _legal_status(text: str | None, rows: list[LegalBasis]) -> tuple[str, str | None]:
    if rows:
        return PARSED, None
    body = one_line(text).replace(legal_parser.HEADER, "")
    if value_or_none(body) is None:
        return EMPTY, None
    return TEXT_ONLY, "no document number found"


def _list_status(text: str | None, items: list[Any], minimum: int, reason: str) -> tuple[str, str | None]:
    if value_or_none(text) is None:
        return EMPTY, None
    return (PARSED, None) if len(items) >= minimum else (TEXT_ONLY, reason)


def from_portal(record: dict[str, Any]) -> ParsedProcedure:
    """Parse a record of ``procedures.jsonl``; raises ``MislabeledRecordError``."""
    code = clean(record["ma_thu_tuc"])
    raw_text = record.get("raw_text") or ""
    page_code = _PAGE_CODE_RE.search(raw_text)
    if page_code and page_code.group(1) != code:
        raise MislabeledRecordError(f"{code}: the page shows procedure {page_code.group(1)}")
    sections = recut(raw_text)
    cuts = find_cuts(record, sections) if sections is not None else []
    source = {**record, **sections} if sections is not None else record
    parsed = ParsedProcedure(code=code, values={})
    for cut in cuts:
        parsed.cuts.append(cut.field)
        parsed.issues.append(
            f"{cut.field}: section cut by the source ({cut.kind}, {cut.published_chars} -> "
            f"{cut.recut_chars} chars); re-cut from raw_text"
        )
    if sections is None:
        parsed.issues.append("raw_text: section titles not found; published fields used as they are")

    values = parsed.values
    values["name"] = one_line(record.get("ten_thu_tuc"))
    values["sector"] = value_or_none(record.get("linh_vuc"), single_line=True)
    _levels(values, record.get("cap_thuc_hien"))
    values["procedure_type"] = value_or_none(record.get("loai_thu_tuc"), single_line=True)
    values["subjects"] = split_subjects(record.get("doi_tuong_thuc_hien"))
    values["subjects_text"] = value_or_none(record.get("doi_tuong_thuc_hien"))
    values["competent_agency"] = value_or_none(record.get("co_quan_co_tham_quyen"), single_line=True)
    values["executing_agency"] = value_or_none(source.get("co_quan_thuc_hien"), single_line=True)
    values["delegated_agency"] = value_or_none(record.get("co_quan_duoc_uy_quyen"), single_line=True)
    values["coordinating_agency"] = value_or_none(record.get("co_quan_phoi_hop"), single_line=True)
    values["receiving_address"] = value_or_none(record.get("dia_chi_tiep_nhan"))
    values["steps_text"] = value_or_none(source.get("trinh_tu_thuc_hien"))
    values["steps"] = split_steps(values["steps_text"])
    values["conditions"] = value_or_none(source.get("yeu_cau_dieu_kien"))
    values["results"], values["results_text"] = split_results(source.get("ket_qua_xu_ly"))
    values["related_procedures"] = value_or_none(record.get("thu_tuc_lien_quan"))
    values["decision_number"] = value_or_none(record.get("so_quyet_dinh"), single_line=True)
    values["url"] = value_or_none(record.get("detail_url"), single_line=True)
    values["portal_id"] = value_or_none(record.get("formality_id"), single_line=True)
    values["channels_text"] = value_or_none(source.get("cach_thuc_thuc_hien"))
    values["documents_text"] = value_or_none(source.get("thanh_phan_ho_so"))
    values["legal_bases_text"] = value_or_none(source.get("can_cu_phap_ly"))
    values["ministry"] = value_or_none(record.get("ministry"), single_line=True)
    values["source"] = PORTAL

    parsed.channels = channel_parser.parse_glued(source.get("cach_thuc_thuc_hien"))
    parsed.documents, leftover = document_parser.parse_glued(source.get("thanh_phan_ho_so"))
    if leftover and parsed.documents:
        parsed.documents[-1].note = leftover
        parsed.issues.append("documents: text after the last quantity kept as the last document's note")
    parsed.legal_bases, legal_leftover = legal_parser.parse_glued(source.get("can_cu_phap_ly"))
    if legal_leftover:
        parsed.issues.append(
            f"legal_bases: text after the last document number not parsed: {legal_leftover[:80]}"
        )
    flags = {flag for row in parsed.channels for flag in row.flags}
    if channel_parser.FLAG_NOTE_CUT in flags:
        parsed.issues.append("channels: a fee note is cut short by the source")
    if channel_parser.FLAG_NOTE_UNBALANCED in flags:
        parsed.issues.append("channels: a fee note's bracket is never closed; the note ends at the next row")
    if channel_parser.FLAG_SPLIT in flags:
        parsed.issues.append("channels: a bare time glued to the fee amount was split")
    parsed.status = {
        "channels": _channel_status(source.get("cach_thuc_thuc_hien"), parsed.channels),
        "documents": _documents_status(source.get("thanh_phan_ho_so"), parsed.documents, leftover),
        "legal_bases": _legal_status(source.get("can_cu_phap_ly"), parsed.legal_bases),
        "steps": _list_status(values["steps_text"], values["steps"], 2, "a single block of text"),
        "results": _list_status(
            values["results_text"],
            [r for r in values["results"] if r.get("code")],
            1,
            "no result code (Mã:)",
        ),
    }
    return parsed


def from_structured(record: dict[str, Any]) -> ParsedProcedure:
    """Parse a record of ``procedures_structured.jsonl``."""
    meta = record.get("metadata") or {}
    content = record.get("content") or {}
    tables = record.get("tables") or {}
    code = clean(record.get("thu_tuc_id") or meta.get("mã_thủ_tục"))
    parsed = ParsedProcedure(code=code, values={})
    values = parsed.values
    values["name"] = one_line(meta.get("tên_thủ_tục"))
    values["sector"] = value_or_none(meta.get("lĩnh_vực"), single_line=True)
    _levels(values, meta.get("cấp_thực_hiện"))
    values["procedure_type"] = value_or_none(meta.get("loại_thủ_tục"), single_line=True)
    values["subjects"] = split_subjects(content.get("đối_tượng_thực_hiện"))
    values["subjects_text"] = value_or_none(content.get("đối_tượng_thực_hiện"))
    values["competent_agency"] = value_or_none(content.get("cơ_quan_có_thẩm_quyền"), single_line=True)
    values["executing_agency"] = value_or_none(content.get("cơ_quan_thực_hiện"), single_line=True)
    values["delegated_agency"] = value_or_none(content.get("cơ_quan_được_ủy_quyền"), single_line=True)
    values["coordinating_agency"] = value_or_none(content.get("cơ_quan_phối_hợp"), single_line=True)
    values["receiving_address"] = value_or_none(content.get("địa_chỉ_tiếp_nhận_hs"))
    values["steps_text"] = value_or_none(content.get("trình_tự_thực_hiện"))
    values["steps"] = split_steps(values["steps_text"])
    values["conditions"] = value_or_none(content.get("yêu_cầu_điều_kiện_thực_hiện"))
    result = value_or_none(content.get("kết_quả_thực_hiện"))
    values["results"], values["results_text"] = split_results(result)
    values["related_procedures"] = None
    values["decision_number"] = value_or_none(meta.get("số_quyết_định"), single_line=True)
    values["url"] = None
    values["portal_id"] = None
    values["channels_text"] = None
    values["documents_text"] = None
    values["legal_bases_text"] = None
    values["ministry"] = "bo-quoc-phong"
    values["source"] = STRUCTURED

    channel_rows = tables.get("hinh_thuc_nop") or []
    document_rows = tables.get("thanh_phan_ho_so") or []
    legal_rows = tables.get("can_cu_phap_ly") or []
    parsed.channels = channel_parser.parse_structured(channel_rows)
    parsed.documents = document_parser.parse_structured(document_rows)
    parsed.legal_bases = legal_parser.parse_structured(legal_rows)
    parsed.status = {
        "channels": (PARSED, None) if parsed.channels else (EMPTY, None),
        "documents": (PARSED, None) if parsed.documents else (EMPTY, None),
        "legal_bases": (PARSED, None) if parsed.legal_bases else (EMPTY, None),
        "steps": _list_status(values["steps_text"], values["steps"], 2, "a single block of text"),
        "results": _list_status(values["results_text"], values["results"], 1, "no result"),
    }
    return parsed


def parse_record(record: dict[str, Any]) -> ParsedProcedure:
    """Parse a record of either source format; raises ``ValueError`` if unknown."""
    kind = record_format(record)
    if kind == PORTAL:
        return from_portal(record)
    if kind == STRUCTURED:
        return from_structured(record)
    raise ValueError("not a procedure record of a known format")
