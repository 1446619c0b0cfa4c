"""The project's seed copies under knowledge/data/."""

from __future__ import annotations

import hashlib
import lzma

from knowledge.sources import ALIASES_FILE, DATA_DIR, SEED_FILES, read_records


def test_seed_files_are_the_shared_data_unchanged() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in SEED_FILES:
        digest = hashlib.sha256(lzma.decompress(path.read_bytes())).hexdigest()
        assert digest in readme, path.name
    assert "53229487610b07e0d7127f529b87c333f19aeb1e" in readme
    assert "936e184ef5b6afd7debfecf42e66888c4d6174ba" in readme


def test_seed_record_counts() -> None:
    portal, structured = SEED_FILES
    assert sum(1 for _ in read_records(portal)) == 2625
    assert sum(1 for _ in read_records(structured)) == 207
    assert ALIASES_FILE.is_file()
