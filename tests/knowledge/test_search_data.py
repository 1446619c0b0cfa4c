"""Test and evaluation data for the procedure search (no tests in here).

``load_docs()`` reads the national procedure data into ``SearchDoc`` without
the ORM: the seed the project carries (``knowledge/data/procedures.jsonl.xz``
and ``procedures_structured.jsonl.xz``) when present, else the shared data in
``../shared/data/tthc`` (``procedures.jsonl`` and
``procedures_structured.jsonl``). Records listed in the shared
``procedures_mislabeled_excluded.jsonl`` are skipped either way.

Aliases, to evaluate with and without them: ``curated_aliases()`` reads the
project's curated ``knowledge/data/aliases.yml`` (what the database gets);
``EVAL_ALIASES`` is TEST DATA ONLY, a handful of colloquial names written for
this evaluation before that file existed.
"""

from __future__ import annotations

import json
import lzma
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.search import SearchDoc
from knowledge.settings import PROJECT_ROOT
from nlu import textnorm

BUNDLED = PROJECT_ROOT / "knowledge" / "data"
SHARED = PROJECT_ROOT.parent / "shared" / "data" / "tthc"
QUERIES = PROJECT_ROOT / "tests" / "data" / "search_queries.jsonl"
CURATED_ALIASES = BUNDLED / "aliases.yml"

# TEST DATA ONLY, not the project's aliases: colloquial names a curator
# might attach to procedures, used to evaluate the search "with aliases".
EVAL_ALIASES: dict[str, tuple[str, ...]] = {
    "1.004222": ("nhập hộ khẩu", "đăng ký hộ khẩu"),
    "1.010038": ("tách hộ khẩu",),
    "1.003197": ("cắt hộ khẩu", "xóa hộ khẩu"),
    "1.010041": ("giấy xác nhận cư trú", "CT07"),
    "1.001193": ("làm giấy khai sinh",),
    "1.000656": ("giấy chứng tử", "báo tử"),
    "1.004873": ("giấy xác nhận độc thân",),
    "1.013978": ("làm sổ đỏ lần đầu", "cấp sổ đỏ", "sổ hồng"),
    "1.012786": ("cấp lại sổ đỏ", "mất sổ đỏ"),
    "1.012783": ("cấp đổi sổ đỏ",),
    "1.012790": ("đính chính sổ đỏ",),
    "1.013831": ("sang tên sổ đỏ", "mua bán đất", "tặng cho đất", "thừa kế đất"),
    "1.013833": ("đổi tên trên sổ đỏ",),
    "1.014061": ("làm căn cước công dân", "làm cccd"),
    "1.014063": ("đổi căn cước công dân",),
    "1.014064": ("cấp lại căn cước công dân", "mất căn cước công dân"),
    "1.001456": ("làm hộ chiếu", "passport"),
    "3.000346": ("bằng lái xe", "thi bằng lái"),
    "3.000347": ("đổi bằng lái xe",),
    "3.000348": ("cấp lại bằng lái xe", "mất bằng lái"),
    "3.000333": ("lý lịch tư pháp số 1",),
    "1.001612": ("giấy phép kinh doanh hộ cá thể",),
    "1.001266": ("giải thể hộ kinh doanh", "đóng hộ kinh doanh"),
    "2.000815": ("công chứng bản sao", "sao y bản chính", "công chứng giấy tờ"),
    "1.013067": ("đăng ký xe máy", "bấm biển số xe"),
    "1.013076": ("sang tên xe",),
    "1.001613": ("rút bảo hiểm xã hội một lần",),
}

_DOCUMENT_SPLIT = re.compile(
    r"Tên giấy tờMẫu đơn, tờ khaiSố lượng|\d+\s*bản\s*(?:chính|sao)[^A-ZĐÀ-Ỹ]*|\n+|--"
)


def _documents(text: str) -> tuple[str, ...]:
    """Rough split of the flattened ``thanh_phan_ho_so`` table."""
    parts = (p.strip(" .;:-") for p in _DOCUMENT_SPLIT.split(textnorm.nfc(text)))
    return tuple(p for p in parts if len(p) > 3)


def _levels(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in textnorm.nfc(value).split(",") if part.strip())


def _from_record(record: dict[str, Any]) -> SearchDoc:
    """A ``SearchDoc`` from a record of either file's shape."""
    if "metadata" in record:  # procedures_structured.jsonl
        meta = record["metadata"]
        return SearchDoc(
            code=record["thu_tuc_id"],
            name=" ".join(textnorm.nfc(meta["tên_thủ_tục"]).split()),
            levels=_levels(meta["cấp_thực_hiện"]),
            sector=textnorm.nfc(meta["lĩnh_vực"]),
            documents=tuple(textnorm.nfc(row["ten_giay_to"]) for row in record["tables"]["thanh_phan_ho_so"]),
        )
    return SearchDoc(
        code=record["ma_thu_tuc"],
        name=" ".join(textnorm.nfc(record["ten_thu_tuc"]).split()),
        levels=_levels(record["cap_thuc_hien"]),
        sector=textnorm.nfc(record["linh_vuc"]),
        documents=_documents(record.get("thanh_phan_ho_so", "")),
    )


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _source_files() -> tuple[list[Path], Path]:
    bundled = [BUNDLED / "procedures.jsonl.xz", BUNDLED / "procedures_structured.jsonl.xz"]
    shared = [SHARED / "procedures.jsonl", SHARED / "procedures_structured.jsonl"]
    excluded = SHARED / "procedures_mislabeled_excluded.jsonl"
    return (bundled if bundled[0].is_file() else shared), excluded


@lru_cache(maxsize=1)
def _base_docs() -> tuple[SearchDoc, ...]:
    files, excluded_file = _source_files()
    excluded: set[str] = set()
    if excluded_file.is_file():
        excluded = {r["ma_thu_tuc"] for r in _read_jsonl(excluded_file)}
    docs: dict[str, SearchDoc] = {}
    for path in files:
        if not path.is_file():
            continue
        for record in _read_jsonl(path):
            doc = _from_record(record)
            if doc.code not in excluded:
                docs.setdefault(doc.code, doc)
    return tuple(docs.values())


def curated_aliases() -> dict[str, tuple[str, ...]]:
    """The project's curated aliases by procedure code (empty if absent)."""
    if not CURATED_ALIASES.is_file():
        return {}
    mapping = yaml.safe_load(CURATED_ALIASES.read_text(encoding="utf-8")) or {}
    by_code: dict[str, list[str]] = {}
    for alias, codes in mapping.items():
        for code in [codes] if isinstance(codes, str) else codes:
            by_code.setdefault(str(code), []).append(str(alias))
    return {code: tuple(aliases) for code, aliases in by_code.items()}


def load_docs(aliases: dict[str, tuple[str, ...]] | None = None) -> list[SearchDoc]:
    """All procedures as ``SearchDoc``, with ``aliases`` by code if given."""
    docs = list(_base_docs())
    if not aliases:
        return docs
    return [
        SearchDoc(
            code=d.code,
            name=d.name,
            levels=d.levels,
            sector=d.sector,
            aliases=aliases.get(d.code, ()),
            documents=d.documents,
            active=d.active,
        )
        for d in docs
    ]


def load_queries() -> list[tuple[str, frozenset[str]]]:
    """The evaluation set: (query, acceptable codes)."""
    rows = []
    for record in _read_jsonl(QUERIES):
        codes = record["procedure_code"]
        rows.append((record["text"], frozenset([codes] if isinstance(codes, str) else codes)))
    return rows
