"""Dossiers in the console: a status change reaches the dossier's subscribers; CSV import with a preview."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.notifier import pending_notices
from knowledge.db import make_engine, make_session_factory
from knowledge.demo import plan
from knowledge.models import Dossier, Subscription
from tests.console.test_console_http import csrf_of, login

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "dossiers_sample.csv"


async def test_an_operator_changes_a_status_and_subscribers_are_told(
    console: TestClient, console_database_url: str
) -> None:
    dossier = plan()[1]
    engine = make_engine(console_database_url)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        row = session.scalars(select(Dossier).where(Dossier.receipt_code == dossier.receipt_code)).one()
        last = max(e.id for e in row.events)
        session.add(
            Subscription(
                dossier_id=row.id, sender_id="web:console-subscriber", channel="web", notified_event_id=last
            )
        )
    assert await login(console, "operator") == 303
    listing = await (await console.get(f"/console/dossiers?code={dossier.receipt_code.lower()}")).text()
    assert dossier.receipt_code in listing and dossier.applicant_name not in listing
    token = await csrf_of(console, f"/console/dossiers/{dossier.receipt_code}")
    response = await console.post(
        f"/console/dossiers/{dossier.receipt_code}/status",
        data={
            "csrf": token,
            "status": "ready",
            "step": "Trả kết quả",
            "note": "Mời ông/bà đến nhận kết quả.",
        },
    )
    page = await response.text()
    assert response.status == 200 and "Đã cập nhật" in page and "Mời ông/bà đến nhận kết quả." in page
    notices = pending_notices(sessions)
    assert [n.sender_id for n in notices] == ["web:console-subscriber"]
    assert "Đã có kết quả" in notices[0].reply.text
    engine.dispose()


async def test_a_bad_status_is_explained_and_viewers_are_refused(console: TestClient) -> None:
    dossier = plan()[2]
    assert await login(console, "operator") == 303
    token = await csrf_of(console, f"/console/dossiers/{dossier.receipt_code}")
    response = await console.post(
        f"/console/dossiers/{dossier.receipt_code}/status", data={"csrf": token, "status": "xyz"}
    )
    assert response.status == 422 and "không hợp lệ" in (await response.text()).lower()
    console.session.cookie_jar.clear()
    assert await login(console, "viewer") == 303
    refused = await console.get("/console/dossiers")
    assert refused.status == 403


async def test_csv_import_previews_then_applies(console: TestClient, console_database_url: str) -> None:
    engine = make_engine(console_database_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        before = session.scalar(select(func.count(Dossier.id)))
    assert await login(console, "operator") == 303
    token = await csrf_of(console, "/console/dossiers/import")
    form = aiohttp.FormData()
    form.add_field("csrf", token)
    form.add_field("file", SAMPLE.read_bytes(), filename="mot-cua.csv", content_type="text/csv")
    preview = await console.post("/console/dossiers/import", data=form)
    html = await preview.text()
    assert preview.status == 200 and "Xem trước" in html
    with sessions() as session:
        assert session.scalar(select(func.count(Dossier.id))) == before  # nothing written yet
    content = re.search(r'name="content" value="([^"]*)"', html, re.S)
    assert content
    applied = await console.post(
        "/console/dossiers/import",
        data={"csrf": token, "apply": "1", "content": html_module.unescape(content.group(1))},
    )
    assert applied.status == 200 and "Đã nhập" in await applied.text()
    with sessions() as session:
        assert session.scalar(select(func.count(Dossier.id))) > before
    engine.dispose()
