"""Uploaded national data files, kept between the preview and the confirmation.

An upload is saved under ``<folder>/uploads/`` with a random name
(``<32 hex>.jsonl``) beside a small JSON file that binds it to the staff
session that sent it: a SHA-256 of the session token (never the token), the
account, the original file name, size and SHA-256 of the content. Only that
session may preview, apply or discard it. Uploads are removed when applied or
discarded, and after ``TTL_SECONDS`` otherwise (checked whenever the import
page is used).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path, PurePath
from typing import IO

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TTL_SECONDS = 2 * 3600
CHUNK_BYTES = 1024 * 1024
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
NAME_MAX = 200


class UploadTooLargeError(ValueError):
    """The file is over ``MAX_UPLOAD_BYTES``."""


class UploadEmptyError(ValueError):
    """The file has no content."""


@dataclass(frozen=True)
class Upload:
    """A stored upload, as its JSON file describes it."""

    id: str
    session: str
    username: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: float

    def data_path(self, folder: Path) -> Path:
        return uploads_dir(folder) / f"{self.id}.jsonl"


def uploads_dir(folder: Path) -> Path:
    return folder / "uploads"


def _meta_path(folder: Path, upload_id: str) -> Path:
    return uploads_dir(folder) / f"{upload_id}.json"


def session_key(token: str) -> str:
    """What binds an upload to a staff session: a hash of its token."""
    return hashlib.sha256(token.encode()).hexdigest()


def display_name(filename: str) -> str:
    """The uploaded file's own name, safe to show: no folders, no control characters, NFC, short."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    return name[:NAME_MAX] or "tep.jsonl"


def save(
    folder: Path,
    source: IO[bytes],
    filename: str,
    token: str,
    username: str,
    limit: int = MAX_UPLOAD_BYTES,
) -> Upload:
    """Store ``source`` as a new upload of the session ``token``.

    Raises ``UploadTooLargeError`` past ``limit`` bytes, ``UploadEmptyError`` for no content.
    """
    directory = uploads_dir(folder)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    upload_id = secrets.token_hex(16)
    target = directory / f"{upload_id}.jsonl"
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("xb") as out:
            while chunk := source.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLargeError(size)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadEmptyError(filename)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    upload = Upload(
        id=upload_id,
        session=session_key(token),
        username=username,
        original_name=display_name(filename),
        size=size,
        sha256=digest.hexdigest(),
        uploaded_at=time.time(),
    )
    _meta_path(folder, upload_id).write_text(json.dumps(asdict(upload), ensure_ascii=False), encoding="utf-8")
    logger.info("import file uploaded: %s (%s bytes)", upload_id, size)
    return upload


def load(folder: Path, upload_id: str, token: str, now: float | None = None) -> Upload | None:
    """The upload ``upload_id`` if it belongs to the session ``token``, is not expired and is still there."""
    if not UPLOAD_ID.fullmatch(upload_id):
        return None
    try:
        upload = Upload(**json.loads(_meta_path(folder, upload_id).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if not hmac.compare_digest(upload.session, session_key(token)):
        logger.warning("import file %s asked for by another session", upload_id)
        return None
    if (now or time.time()) - upload.uploaded_at > TTL_SECONDS or not upload.data_path(folder).is_file():
        return None
    return upload


def claim(folder: Path, upload: Upload) -> Path | None:
    """Take the upload's file for applying it, once: None if another request took it first."""
    source = upload.data_path(folder)
    claimed = source.with_suffix(".applying")
    try:
        os.rename(source, claimed)
    except FileNotFoundError:
        return None
    return claimed


def release(folder: Path, upload: Upload) -> None:
    """Give a claimed file back (applying it failed), so that it can be tried again."""
    claimed = upload.data_path(folder).with_suffix(".applying")
    if claimed.exists():
        os.rename(claimed, upload.data_path(folder))


def discard(folder: Path, upload_id: str) -> None:
    """Remove an upload and its description."""
    if not UPLOAD_ID.fullmatch(upload_id):
        return
    directory = uploads_dir(folder)
    for suffix in (".jsonl", ".applying", ".json"):
        (directory / f"{upload_id}{suffix}").unlink(missing_ok=True)


def remove_expired(folder: Path, now: float | None = None) -> int:
    """Remove the uploads older than ``TTL_SECONDS``; returns how many."""
    directory = uploads_dir(folder)
    if not directory.is_dir():
        return 0
    limit = (now or time.time()) - TTL_SECONDS
    expired: set[str] = set()
    for path in directory.iterdir():
        upload_id = path.name.split(".", 1)[0]
        try:
            old = path.stat().st_mtime < limit
        except FileNotFoundError:
            continue
        if old and UPLOAD_ID.fullmatch(upload_id):
            expired.add(upload_id)
    for upload_id in expired:
        discard(folder, upload_id)
    removed = len(expired)
    if removed:
        logger.info("removed %s expired import files", removed)
    return removed
