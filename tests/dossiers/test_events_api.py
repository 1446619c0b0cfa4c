"""POST /api/v1/dossier-events: signed pushes of the one-stop system, stored, applied once."""

from __future__ import annotations

import dataclasses
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import dossier_events
from bot.app import create_app
from bot.dossier_events import sign
from bot.notifier import pending_notices
from knowledge.dossiers import create_dossier, latest_event
from knowledge.models import Dossier, DossierEvent, DossierEventReceipt, Subscription
from knowledge.settings import Settings
from tests.dossiers.conftest import CODE, SECRET

NEW_CODE = "000.22.31.H51-251201-0301"


async def client_for(settings: Settings, aiohttp_client: AiohttpClient) -> TestClient:
    app = create_app(settings, notify=False)
    dossier_events.add_routes(app)  # create_app does this once the lead wires the module in
    return await aiohttp_client(app)


def event(event_id: str = "mc-0001", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "receipt_code": CODE,
        "status": "ready",
        "occurred_at": "2025-12-03T09:15:00+07:00",
        "step": "Trả kết quả",
        "note": "Mời công dân đến nhận kết quả.",
        **fields,
    }


async def push(
    client: TestClient,
    body: object,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    raw: bytes | None = None,
    signature: str | None = None,
    content_type: str = "application/json",
) -> tuple[int, dict[str, Any]]:
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    stamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": content_type,
        "X-Timestamp": str(stamp),
        "X-Signature": signature or sign(secret, stamp, data),
    }
    response = await client.post(dossier_events.PATH, data=data, headers=headers)
    return response.status, await response.json()


def receipts(session: Session) -> list[DossierEventReceipt]:
    session.expire_all()
    return list(session.scalars(select(DossierEventReceipt).order_by(DossierEventReceipt.id)))


def events_of(session: Session) -> list[tuple[str, str | None]]:
    session.expire_all()
    return [(e.status, e.source) for e in session.scalars(select(DossierEvent).order_by(DossierEvent.id))]


async def test_a_signed_event_is_stored_and_applied(
    events_settings: Settings,
    aiohttp_client: AiohttpClient,
    session: Session,
    sessions: sessionmaker[Session],
    dossier: Dossier,
) -> None:
    session.add(
        Subscription(
            dossier=dossier,
            sender_id="tg:123456",
            channel="telegram",
            notified_event_id=latest_event(dossier).id,  # type: ignore[union-attr]
        )
    )
    session.commit()
    client = await client_for(events_settings, aiohttp_client)
    body = event(supplements=[], receipt_code="000.22.31.h51 251201 0201")
    status, answer = await push(client, body)
    assert (status, answer) == (200, {"status": "applied", "event_id": "mc-0001", "dossier_status": "ready"})

    [receipt] = receipts(session)
    assert receipt.payload == body  # exactly as sent
    assert (receipt.receipt_code, receipt.outcome, receipt.error, receipt.attempts) == (
        CODE,
        "applied",
        None,
        1,
    )
    assert receipt.applied_at is not None
    stored = session.get(Dossier, dossier.id)
    assert stored is not None and (stored.status, stored.current_step) == ("ready", "Trả kết quả")
    last = latest_event(stored)
    assert last is not None and receipt.dossier_event_id == last.id
    assert (last.status, last.source, last.note) == ("ready", "api", "Mời công dân đến nhận kết quả.")
    assert last.occurred_at.replace(tzinfo=UTC) == datetime(2025, 12, 3, 2, 15, tzinfo=UTC)
    [notice] = pending_notices(sessions)
    assert notice.sender_id == "tg:123456" and "Đã có kết quả, chờ trả" in notice.reply.text


async def test_the_same_event_again_is_a_duplicate_not_applied_twice(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session, dossier: Dossier
) -> None:
    client = await client_for(events_settings, aiohttp_client)
    body = event(note=None)
    assert (await push(client, body))[0] == 200
    applied = events_of(session)
    for _ in range(2):
        status, answer = await push(client, body)
        assert (status, answer) == (200, {"status": "duplicate", "event_id": "mc-0001", "outcome": "applied"})
    # Even with other content, an event id already applied is not applied again.
    status, answer = await push(client, event(status="returned"))
    assert answer["status"] == "duplicate"
    assert (
        events_of(session)
        == applied
        == [("received", "console"), ("in_progress", "console"), ("ready", "api")]
    )
    assert [r.attempts for r in receipts(session)] == [1]


async def test_bad_signatures_and_old_timestamps_are_refused(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session, dossier: Dossier
) -> None:
    client = await client_for(events_settings, aiohttp_client)
    data = json.dumps(event()).encode("utf-8")
    stamp = int(time.time())
    tampered = data.replace(b'"ready"', b'"returned"')
    status, answer = await push(
        client, None, raw=tampered, signature=sign(SECRET, stamp, data), timestamp=stamp
    )
    assert (status, answer["error"]) == (401, "bad_signature")
    assert answer["message"] == "Chữ ký X-Signature không hợp lệ."
    status, answer = await push(client, event(), secret="another-secret-of-the-same-size!")
    assert (status, answer["error"]) == (401, "bad_signature")
    # A captured signature and timestamp do not cover another body.
    other = json.dumps(event("mc-0002")).encode("utf-8")
    status, _ = await push(client, None, raw=other, signature=sign(SECRET, stamp, data), timestamp=stamp)
    assert status == 401
    for stamp in (int(time.time()) - 301, int(time.time()) + 301):
        status, answer = await push(client, event(), timestamp=stamp)
        assert (status, answer["error"]) == (401, "bad_timestamp")
    response = await client.post(dossier_events.PATH, data=data, headers={"Content-Type": "application/json"})
    assert response.status == 401
    assert receipts(session) == []
    assert session.get(Dossier, dossier.id).status == "in_progress"  # type: ignore[union-attr]
    # Within the window, a signed request is accepted.
    assert (await push(client, event(), timestamp=int(time.time()) - 290))[0] == 200


async def test_unknown_receipt_code_is_kept_and_tried_again_later(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session
) -> None:
    client = await client_for(events_settings, aiohttp_client)
    body = event("mc-0100", receipt_code=NEW_CODE, status="in_progress", note=None)
    status, answer = await push(client, body)
    assert (status, answer) == (
        422,
        {"error": "unknown_receipt_code", "message": f"Không có hồ sơ mã {NEW_CODE}."},
    )
    [receipt] = receipts(session)
    assert (receipt.outcome, receipt.applied_at, receipt.receipt_code) == ("rejected", None, NEW_CODE)
    assert receipt.error == f"Không có hồ sơ mã {NEW_CODE}." and receipt.payload == body

    # The dossier arrives (say, with the next CSV import); the sender's retry is applied.
    create_dossier(session, NEW_CODE, "1.000894", "Lê Văn Mẫu", "0900000301", datetime(2025, 12, 1, 8, 0))
    session.commit()
    status, answer = await push(client, body)
    assert (status, answer["status"]) == (200, "applied")
    [receipt] = receipts(session)
    assert (receipt.outcome, receipt.attempts, receipt.error) == ("applied", 2, None)


async def test_an_older_event_does_not_move_the_dossier_back(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session, dossier: Dossier
) -> None:
    client = await client_for(events_settings, aiohttp_client)
    assert (await push(client, event("mc-0003")))[1]["status"] == "applied"
    status, answer = await push(
        client, event("mc-0002", status="in_progress", occurred_at="2025-12-02T08:00:00")
    )
    assert (status, answer["status"], answer["dossier_status"]) == (200, "stale", "ready")
    assert [r.outcome for r in receipts(session)] == ["applied", "stale"]
    assert events_of(session)[-1] == ("ready", "api")


async def test_invalid_requests(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session, dossier: Dossier
) -> None:
    client = await client_for(events_settings, aiohttp_client)
    status, _ = await push(client, None, raw=b"event_id=1", content_type="application/x-www-form-urlencoded")
    assert status == 415
    status, answer = await push(client, None, raw=b'{"event_id": "mc-1", ')
    assert (status, answer["error"]) == (400, "bad_json")
    assert (await push(client, ["not", "an", "object"]))[0] == 400
    status, answer = await push(client, event(event_id="có dấu"))
    assert (status, answer["error"]) == (422, "invalid_event_id")
    assert receipts(session) == []  # nothing to key them by
    cases = [
        (event("mc-1", status="lost"), "invalid_status"),
        (event("mc-2", occurred_at="hôm qua"), "invalid_field"),
        (event("mc-3", occurred_at="2099-01-01T00:00:00+07:00"), "invalid_field"),
        (event("mc-4", supplements="Tờ khai"), "invalid_field"),
        (event("mc-5", supplements=["Tờ khai"]), "invalid_event"),  # only with needs_supplement
        (event("mc-6", receipt_code="HS-1"), "invalid_receipt_code"),
        (event("mc-7", note=5), "invalid_field"),
    ]
    for body, code in cases:
        status, answer = await push(client, body)
        assert (status, answer["error"]) == (422, code), body
        assert answer["message"]
    stored = receipts(session)
    assert [r.event_id for r in stored] == [f"mc-{i}" for i in range(1, 8)]
    assert all(r.outcome == "rejected" and r.error for r in stored)
    assert session.get(Dossier, dossier.id).status == "in_progress"  # type: ignore[union-attr]


async def test_without_a_secret_the_endpoint_is_not_configured(
    events_settings: Settings, aiohttp_client: AiohttpClient, session: Session
) -> None:
    for secret in (None, "short"):
        settings = dataclasses.replace(events_settings, dossier_events_secret=secret)
        client = await client_for(settings, aiohttp_client)
        status, answer = await push(client, event(), secret=secret or "")
        assert (status, answer["error"]) == (503, "not_configured")
    assert receipts(session) == []
    assert session.scalar(select(func.count()).select_from(DossierEvent)) == 0


def test_the_same_event_delivered_twice_at_once_is_applied_once(
    sessions: sessionmaker[Session], session: Session, dossier: Dossier
) -> None:
    body = event("mc-0500", note=None)
    pattern = Settings().receipt_code_pattern
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(lambda _: dossier_events.receive(sessions, "mc-0500", body, pattern), range(6))
        )
    assert sorted(answer.body["status"] for answer in answers) == ["applied"] + ["duplicate"] * 5
    assert events_of(session)[-2:] == [("in_progress", "console"), ("ready", "api")]
    assert [(r.event_id, r.attempts) for r in receipts(session)] == [("mc-0500", 1)]
