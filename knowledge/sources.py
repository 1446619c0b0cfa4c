"""Reading the procedure data files: JSON Lines, plain or xz-compressed.

The project carries its seed under ``knowledge/data/`` (see its README):
``procedures.jsonl.xz`` and ``procedures_structured.jsonl.xz``.
``procedures_mislabeled_excluded.jsonl`` is not part of the seed.
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILES: tuple[Path, ...] = (
    DATA_DIR / "procedures.jsonl.xz",
    DATA_DIR / "procedures_structured.jsonl.xz",
)
ALIASES_FILE = DATA_DIR / "aliases.yml"


def open_text(path: Path) -> IO[str]:
    """Open ``path`` for reading text, decompressing ``.xz``."""
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def _binary(path: Path) -> IO[bytes]:
    if path.suffix == ".xz":
        return lzma.open(path, "rb")
    return path.open("rb")


def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """``(line number, object)`` for every non-empty line; ``None`` for a line that is not a JSON object.

    Unlike ``read_records`` a bad line (invalid JSON or UTF-8, not an object)
    does not stop the reading: the importer reports it and goes on.
    """
    with _binary(path) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None
                continue
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                yield number, None
                continue
            yield number, value if isinstance(value, dict) else None


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every non-empty line of a JSON Lines file."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            value = json.loads(line)
            if not isinstance(value, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            yield number, value
