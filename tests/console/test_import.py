"""The national data import and the export in the console: preview without writing, confirm, limits, roles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import import_pages
from knowledge.models import AuditEntry, Procedure
from tests.console.test_console_http import csrf_of, login

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "import_sample.jsonl"  # 3.000333, 5.003803, 5.003812
RENAMED = "5.003803"
NEW_NAME = "Công bố mở luồng đường thủy nội địa quốc gia (tên mới theo quyết định công bố)"


def sample_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def renamed_sample() -> bytes:
    records = sample_records()
    assert [r["ma_thu_tuc"] for r in records] == ["3.000333", RENAMED, "5.003812"]
    records[1]["ten_thu_tuc"] = NEW_NAME
    return jsonl(records)


async def upload(
    console: TestClient, content: bytes, filename: str = "du-lieu-quoc-gia.jsonl"
) -> aiohttp.ClientResponse:
    token = await csrf_of(console, "/console/import")
    form = aiohttp.FormData()
    form.add_field("csrf", token)
    form.add_field("file", content, filename=filename, content_type="application/jsonl")
    return await console.post("/console/import", data=form, allow_redirects=False)


def state(db: Session) -> tuple[Any, ...]:
    """What an import would change: names, hashes, last update, audit entries."""
    db.expire_all()
    rows = db.execute(
        select(Procedure.code, Procedure.name, Procedure.source_hash).order_by(Procedure.code)
    ).all()
    return (
        tuple(rows),
        db.scalar(select(func.max(Procedure.updated_at))),
        db.scalar(select(func.count()).select_from(AuditEntry)),
    )


def name_of(db: Session, code: str) -> str:
    db.expire_all()
    return db.scalars(select(Procedure.name).where(Procedure.code == code)).one()


async def test_preview_shows_the_change_writes_nothing_and_confirm_applies_it(
    console: TestClient, db: Session, tmp_path: Path
) -> None:
    assert await login(console, "editor") == 303
    before = state(db)
    response = await upload(console, renamed_sample())
    assert response.status == 303
    location = response.headers["Location"]
    upload_id = re.fullmatch(r"/console/import/([0-9a-f]{32})", location).group(1)  # type: ignore[union-attr]
    assert (tmp_path / "uploads" / f"{upload_id}.jsonl").read_bytes() == renamed_sample()

    preview = await console.get(location)
    page = await preview.text()
    assert preview.status == 200
    assert re.findall(r'<span class="number">(\d+)</span> ([^<]+)</li>', page) == [
        ("0", "thủ tục mới"),
        ("1", "thủ tục được cập nhật"),
        ("2", "thủ tục không đổi"),
        ("0", "dòng không nhập được"),
    ]
    assert re.search(rf"{RENAMED}</a></td>\s*<td>{re.escape(NEW_NAME)}</td>\s*<td>Tên thủ tục</td>", page)
    assert "3.000333, 5.003812" in page and "chưa có gì được ghi" in page
    assert state(db) == before  # the preview wrote nothing

    token = await csrf_of(console, location)
    applied = await console.post(f"{location}/apply", data={"csrf": token}, allow_redirects=False)
    assert applied.status == 303
    result = await console.get(applied.headers["Location"])
    text = await result.text()
    assert result.status == 200 and "Đã nhập xong" in text and NEW_NAME in text
    assert name_of(db, RENAMED) == NEW_NAME
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "import")).one()
    assert (entry.actor, entry.action, entry.entity_id) == ("thu.editor", "import", upload_id)
    assert entry.after is not None
    assert (entry.after["created"], entry.after["updated"], entry.after["unchanged"]) == (0, 1, 2)
    assert entry.after["changes"]["updated"] == [{"code": RENAMED, "fields": ["name"], "kept": []}]
    assert list((tmp_path / "uploads").iterdir()) == []  # the upload is gone once applied
    assert len(list(tmp_path.glob("import-report-*.json"))) == 1

    again = await console.post(f"{location}/apply", data={"csrf": token}, allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/console/import?error=gone"
    assert "Không còn tệp này" in await (await console.get(again.headers["Location"])).text()


async def test_the_import_keeps_a_name_staff_edited(console: TestClient, db: Session) -> None:
    procedure = db.scalars(select(Procedure).where(Procedure.code == RENAMED)).one()
    procedure.name = "Công bố mở luồng đường thủy (tên do cán bộ sửa)"
    procedure.mark_edited("name")
    db.commit()
    assert await login(console, "admin") == 303
    location = (await upload(console, renamed_sample())).headers["Location"]
    page = await (await console.get(location)).text()
    assert re.search(r"<td>Chỉ bản ghi gốc thay đổi</td>\s*<td>Tên thủ tục</td>", page)
    token = await csrf_of(console, location)
    assert (await console.post(f"{location}/apply", data={"csrf": token})).status == 200
    assert name_of(db, RENAMED) == "Công bố mở luồng đường thủy (tên do cán bộ sửa)"


async def test_bad_files_and_lines_are_explained(console: TestClient, db: Session) -> None:
    assert await login(console, "editor") == 303
    wrong = await upload(console, renamed_sample(), filename="du-lieu.xlsx")
    assert wrong.status == 422 and "Chỉ nhận tệp JSON Lines" in await wrong.text()
    empty = await upload(console, b"")
    assert empty.status == 422 and "Tệp không có nội dung." in await empty.text()

    records = sample_records()
    content = b'{"ma_thu_tuc": "1.0\n' + jsonl(records[:1]) + b'{"hello": "world"}\n'
    location = (await upload(console, content)).headers["Location"]
    page = await (await console.get(location)).text()
    assert re.search(r"<td>1</td><td>—</td><td>dòng không phải một bản ghi JSON</td>", page)
    assert re.search(r"<td>3</td><td>—</td><td>không đúng định dạng dữ liệu quốc gia</td>", page)
    assert "Không có gì để nhập" in page


async def test_a_large_file_passes_the_gateway_limit_and_a_too_large_one_is_refused(
    console: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await login(console, "editor") == 303
    padded = renamed_sample() + b"\n" * 2_000_000  # 2 MB: far above the gateway's usual 64 KB bodies
    response = await upload(console, padded)
    assert response.status == 303 and response.headers["Location"].startswith("/console/import/")
    page = await (await console.get(response.headers["Location"])).text()
    assert "thủ tục được cập nhật" in page
    form = await (await console.get("/console/import")).text()
    assert 'enctype="multipart/form-data"' in form and "tối đa 50 MB" in form

    monkeypatch.setattr(import_pages, "MAX_UPLOAD_BYTES", 1024 * 1024)
    refused = await upload(console, padded)
    assert refused.status == 303 and refused.headers["Location"] == "/console/import?error=too_large"
    page = await (await console.get(refused.headers["Location"])).text()
    assert "Tệp quá lớn: chỉ nhận tệp đến 1 MB." in page and "tối đa 1 MB" in page


async def test_an_upload_belongs_to_the_session_that_sent_it(console: TestClient) -> None:
    assert await login(console, "editor") == 303
    location = (await upload(console, renamed_sample())).headers["Location"]
    token = await csrf_of(console, "/console/")
    await console.post("/console/logout", data={"csrf": token})
    assert await login(console, "admin") == 303
    other = await console.get(location, allow_redirects=False)
    assert other.status == 303 and other.headers["Location"] == "/console/import?error=gone"
    token = await csrf_of(console, "/console/")
    refused = await console.post(f"{location}/apply", data={"csrf": token}, allow_redirects=False)
    assert refused.headers["Location"] == "/console/import?error=gone"


async def test_export_downloads_json_lines(console: TestClient, db: Session) -> None:
    assert await login(console, "editor") == 303
    response = await console.get("/console/export")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/jsonl; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="tthc-\d{8}-\d{4}\.jsonl"', response.headers["Content-Disposition"]
    )
    body = await response.read()
    assert int(response.headers["Content-Length"]) == len(body)
    lines = body.decode("utf-8").splitlines()
    total = db.scalar(select(func.count()).select_from(Procedure))
    assert len(lines) == total
    first = json.loads(lines[0])
    assert first["format"] == "tthc-knowledge/1" and first["code"] == min(
        db.scalars(select(Procedure.code)).all()
    )
    assert {json.loads(line)["code"] for line in lines[:3]} <= set(db.scalars(select(Procedure.code)).all())
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.after == {"procedures": total}


@pytest.mark.parametrize("role", ["viewer", "operator"])
async def test_viewers_and_operators_are_refused(console: TestClient, db: Session, role: str) -> None:
    assert await login(console, role) == 303
    for path in ("/console/import", "/console/export"):
        refused = await console.get(path)
        assert refused.status == 403 and "Không có quyền" in await refused.text(), path
    before = state(db)
    token = await csrf_of(console, "/console/")
    form = aiohttp.FormData()
    form.add_field("csrf", token)
    form.add_field("file", renamed_sample(), filename="du-lieu.jsonl", content_type="application/jsonl")
    response = await console.post("/console/import", data=form)
    assert response.status == 403
    assert state(db) == before
