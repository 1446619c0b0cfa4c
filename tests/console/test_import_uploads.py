"""Uploaded import files: bound to one session, taken once, expired, never outside their folder."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from bot.console import import_uploads as uploads

TOKEN = "phiên-của-cán-bộ-a"


def test_an_upload_is_bound_to_its_session_and_taken_once(tmp_path: Path) -> None:
    upload = uploads.save(
        tmp_path, io.BytesIO(b'{"a": 1}\n'), "C:\\Dữ liệu\\quoc-gia.jsonl", TOKEN, "thu.editor"
    )
    assert upload.original_name == "quoc-gia.jsonl" and upload.size == 9
    stored = sorted(path.name for path in (tmp_path / "uploads").iterdir())
    assert stored == [f"{upload.id}.json", f"{upload.id}.jsonl"]
    assert TOKEN not in (tmp_path / "uploads" / f"{upload.id}.json").read_text(encoding="utf-8")

    assert uploads.load(tmp_path, upload.id, TOKEN) == upload
    assert uploads.load(tmp_path, upload.id, "phiên-khác") is None
    assert uploads.load(tmp_path, "../../etc/passwd", TOKEN) is None
    assert uploads.load(tmp_path, upload.id, TOKEN, now=time.time() + uploads.TTL_SECONDS + 1) is None

    claimed = uploads.claim(tmp_path, upload)
    assert claimed is not None and claimed.read_bytes() == b'{"a": 1}\n'
    assert uploads.claim(tmp_path, upload) is None  # a second confirmation finds nothing to apply
    uploads.release(tmp_path, upload)
    assert uploads.load(tmp_path, upload.id, TOKEN) == upload
    uploads.discard(tmp_path, upload.id)
    assert list((tmp_path / "uploads").iterdir()) == []


def test_too_large_and_empty_files_are_not_kept(tmp_path: Path) -> None:
    with pytest.raises(uploads.UploadTooLargeError):
        uploads.save(tmp_path, io.BytesIO(b"x" * 2000), "a.jsonl", TOKEN, "thu.editor", limit=1000)
    with pytest.raises(uploads.UploadEmptyError):
        uploads.save(tmp_path, io.BytesIO(b""), "a.jsonl", TOKEN, "thu.editor")
    assert list((tmp_path / "uploads").iterdir()) == []


def test_old_uploads_are_removed(tmp_path: Path) -> None:
    old = uploads.save(tmp_path, io.BytesIO(b"{}\n"), "cu.jsonl", TOKEN, "thu.editor")
    new = uploads.save(tmp_path, io.BytesIO(b"{}\n"), "moi.jsonl", TOKEN, "thu.editor")
    long_ago = time.time() - uploads.TTL_SECONDS - 60
    for suffix in (".json", ".jsonl"):
        os.utime(tmp_path / "uploads" / f"{old.id}{suffix}", (long_ago, long_ago))
    assert uploads.remove_expired(tmp_path) == 1
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == [f"{new.id}.json", f"{new.id}.jsonl"]
