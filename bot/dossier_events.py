"""``POST /api/v1/dossier-events``: the one-stop (một cửa) system pushes status changes.

The sender signs every request with the shared secret ``DOSSIER_EVENTS_SECRET``:
``X-Timestamp`` is the time in Unix seconds and ``X-Signature`` is
``sha256=`` followed by the hex HMAC-SHA256 of ``"<timestamp>.<raw body>"``
(see ``sign``). A request whose timestamp is more than 5 minutes away from
the gateway's clock, or whose signature does not match, is refused (401);
without a secret (or with one under 16 characters) the endpoint answers 503.

Every authenticated event with a valid ``event_id`` is stored as it came in
``dossier_event_receipts`` in the transaction that applies it, before the
answer is sent. The sender's ``event_id`` makes retries safe: an event
already processed is answered ``{"status": "duplicate"}`` and not applied
again; one that was refused (422: unknown receipt code, invalid field) is
tried again when sent again. An event older than the dossier's latest change
is kept but not applied (``"stale"``): deliveries out of order never move a
dossier back. The contract is in ``docs/openapi.yaml``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.api import MAX_BODY_BYTES, error
from bot.state import SESSIONS, SETTINGS
from knowledge import messages
from knowledge.dossier_fields import DossierError, parse_status, receipt_code, stored_utc, to_utc
from knowledge.dossiers import change_status, find_dossier, latest_event
from knowledge.models import DossierEventReceipt, DossierStatus, EventSource, ReceiptOutcome
from knowledge.models.base import utcnow

logger = logging.getLogger(__name__)

PATH = "/api/v1/dossier-events"
MAX_SKEW_S = 300
MIN_SECRET_CHARS = 16
# How far ahead of the gateway's clock an event may say it happened.
MAX_AHEAD = timedelta(hours=1)
EVENT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE_SCHEME = "sha256"

# What the endpoint answers, in Vietnamese like the rest of the API.
NOT_CONFIGURED = "Chưa cấu hình nhận sự kiện hồ sơ (DOSSIER_EVENTS_SECRET)."
BAD_TIMESTAMP = "Thiếu X-Timestamp, hoặc thời điểm ký lệch quá 5 phút so với đồng hồ của hệ thống."
BAD_SIGNATURE = "Chữ ký X-Signature không hợp lệ."
BAD_EVENT_ID = "Thiếu event_id, hoặc event_id không hợp lệ (1-128 ký tự chữ, số, . _ : -)."
BAD_FIELD = "Trường {field} thiếu hoặc không hợp lệ."
FROM_THE_FUTURE = "Thời điểm sự kiện (occurred_at) ở tương lai."


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The ``X-Signature`` value of ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"


def check_signature(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str | None:
    """None if the request is signed with ``secret`` within the time window, else the error code."""
    timestamp = headers.get("X-Timestamp", "").strip()
    if not TIMESTAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > MAX_SKEW_S:
        return "bad_timestamp"
    given = headers.get("X-Signature", "").strip().lower().encode("utf-8", "replace")
    expected = sign(secret, timestamp, body).encode("ascii")
    return None if hmac.compare_digest(given, expected) else "bad_signature"


class EventRefusedError(Exception):
    """An event that cannot be applied (422); ``message`` is Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PushedEvent:
    """A checked event of the one-stop system."""

    receipt_code: str
    status: DossierStatus
    occurred_at: datetime
    step: str | None
    note: str | None
    supplements: list[str] | None
    pickup_place: str | None


def _text(payload: Mapping[str, Any], name: str) -> str | None:
    value = payload.get(name)
    if value is None or isinstance(value, str):
        return value
    raise EventRefusedError("invalid_field", BAD_FIELD.format(field=name))


def parse_event(payload: Mapping[str, Any], pattern: str, now: datetime) -> PushedEvent:
    """The event's fields, checked; ``EventRefusedError`` names the first bad one."""
    try:
        code = receipt_code(_text(payload, "receipt_code") or "", pattern)
    except DossierError as problem:
        raise EventRefusedError("invalid_receipt_code", str(problem)) from None
    try:
        status = parse_status(_text(payload, "status") or "")
    except DossierError as problem:
        raise EventRefusedError("invalid_status", str(problem)) from None
    try:
        occurred_at = to_utc(datetime.fromisoformat(_text(payload, "occurred_at") or ""))
    except ValueError:
        raise EventRefusedError("invalid_field", BAD_FIELD.format(field="occurred_at")) from None
    if occurred_at > now + MAX_AHEAD:
        raise EventRefusedError("invalid_field", FROM_THE_FUTURE)
    supplements = payload.get("supplements")
    if supplements is not None and not (
        isinstance(supplements, list) and all(isinstance(item, str) for item in supplements)
    ):
        raise EventRefusedError("invalid_field", BAD_FIELD.format(field="supplements"))
    return PushedEvent(
        receipt_code=code,
        status=status,
        occurred_at=occurred_at,
        step=_text(payload, "step"),
        note=_text(payload, "note"),
        supplements=supplements,
        pickup_place=_text(payload, "pickup_place"),
    )


@dataclass(frozen=True)
class Answer:
    """The HTTP status and JSON body to send back."""

    status: int
    body: dict[str, Any]


def _apply(session: Session, receipt: DossierEventReceipt, event: PushedEvent, pattern: str) -> Answer:
    dossier = find_dossier(session, event.receipt_code, pattern=pattern)
    if dossier is None:
        unknown = messages.DOSSIER_UNKNOWN.format(code=event.receipt_code)
        raise EventRefusedError("unknown_receipt_code", unknown)
    latest = latest_event(dossier)
    if latest is not None and event.occurred_at < stored_utc(latest.occurred_at):
        outcome = ReceiptOutcome.STALE
    else:
        try:
            recorded = change_status(
                session,
                dossier,
                event.status,
                note=event.note,
                step=event.step,
                supplements=event.supplements,
                pickup_place=event.pickup_place,
                occurred_at=event.occurred_at,
                source=EventSource.API,
            )
        except DossierError as problem:
            raise EventRefusedError("invalid_event", str(problem)) from None
        outcome = ReceiptOutcome.APPLIED if recorded is not None else ReceiptOutcome.UNCHANGED
        receipt.dossier_event_id = recorded.id if recorded is not None else None
    receipt.outcome = outcome.value
    receipt.applied_at = utcnow()
    body = {"status": outcome.value, "event_id": receipt.event_id, "dossier_status": dossier.status}
    return Answer(200, body)


def _receive_once(
    sessions: sessionmaker[Session], event_id: str, payload: dict[str, Any], pattern: str
) -> Answer:
    with sessions() as session, session.begin():
        receipt = session.scalar(select(DossierEventReceipt).where(DossierEventReceipt.event_id == event_id))
        if receipt is not None and receipt.applied_at is not None:
            return Answer(200, {"status": "duplicate", "event_id": event_id, "outcome": receipt.outcome})
        if receipt is None:
            receipt = DossierEventReceipt(event_id=event_id, payload=payload, attempts=1)
            session.add(receipt)
        else:
            receipt.attempts += 1
            receipt.payload = payload
        code = payload.get("receipt_code")
        receipt.receipt_code = code.strip()[:64] if isinstance(code, str) else None
        receipt.outcome = ReceiptOutcome.REJECTED.value
        receipt.error = None
        try:
            event = parse_event(payload, pattern, utcnow())
            receipt.receipt_code = event.receipt_code
            answer = _apply(session, receipt, event, pattern)
        except EventRefusedError as refused:
            receipt.error = refused.message
            answer = Answer(422, {"error": refused.code, "message": refused.message})
        session.flush()
        logger.info("dossier event %s: %s (attempt %s)", event_id, receipt.outcome, receipt.attempts)
        return answer


def receive(sessions: sessionmaker[Session], event_id: str, payload: dict[str, Any], pattern: str) -> Answer:
    """Store the event and apply it, in one transaction; the answer to send."""
    try:
        return _receive_once(sessions, event_id, payload, pattern)
    except IntegrityError:  # the same event_id, stored meanwhile by a concurrent request
        logger.info("dossier event %s arrived twice at once; answering from the stored one", event_id)
        return _receive_once(sessions, event_id, payload, pattern)


async def post_dossier_event(request: web.Request) -> web.Response:
    """One signed status change from the one-stop system."""
    settings = request.app[SETTINGS]
    secret = settings.dossier_events_secret
    if not secret or len(secret) < MIN_SECRET_CHARS:
        return error(503, "not_configured", NOT_CONFIGURED)
    if request.content_type != "application/json":
        return error(415, "unsupported_media_type", texts.BAD_REQUEST)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return error(413, "too_large", texts.BAD_REQUEST)
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return error(413, "too_large", texts.BAD_REQUEST)
    problem = check_signature(secret, request.headers, raw, time.time())
    if problem is not None:
        logger.warning("dossier event refused: %s", problem)
        return error(401, problem, BAD_TIMESTAMP if problem == "bad_timestamp" else BAD_SIGNATURE)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return error(400, "bad_json", texts.BAD_REQUEST)
    if not isinstance(payload, dict):
        return error(400, "bad_json", texts.BAD_REQUEST)
    event_id = payload.get("event_id")
    if not (isinstance(event_id, str) and EVENT_ID.fullmatch(event_id)):
        return error(422, "invalid_event_id", BAD_EVENT_ID)
    answer = await asyncio.to_thread(
        receive, request.app[SESSIONS], event_id, payload, settings.receipt_code_pattern
    )
    return web.json_response(answer.body, status=answer.status)


def add_routes(app: web.Application) -> None:
    app.router.add_post(PATH, post_dossier_event)
