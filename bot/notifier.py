"""Tell subscribed citizens when their dossier changes.

A subscription remembers the last status event the citizen was told about
(``notified_event_id``). Every few seconds the notifier looks for later
events, sends one message per subscription with the newest status, and only
then moves the mark forward: a failed delivery is tried again next round,
never dropped. The message names the dossier by its code only, never the
applicant. Every gateway runs the notifier; with several gateways sharing
Redis, one round runs at a time (a lease in Redis), so a notice is sent once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.dedup import Deduplicator
from bot.delivery import Delivery
from bot.replies import Button, Reply
from knowledge.messages import STATUS_LABELS
from knowledge.models import Dossier, DossierEvent, DossierStatus, Subscription

logger = logging.getLogger(__name__)

INTERVAL_S = 5.0
# The lease of a round among gateways: given back at the end of the round,
# or expired if the gateway running it dies.
ROUND_KEY = "notifier-round"
ROUND_LEASE_S = 120.0


@dataclass(frozen=True)
class Notice:
    """What one subscriber is to be told."""

    subscription_id: int
    sender_id: str
    event_id: int
    reply: Reply


def notice_text(receipt_code: str, event: DossierEvent, supplements: Sequence[str] = ()) -> str:
    """The notice of ``event``; ``supplements``: the documents asked for, when more are needed."""
    lines = [
        texts.DOSSIER_UPDATE.format(code=receipt_code, status=STATUS_LABELS.get(event.status, event.status))
    ]
    if event.step:
        lines.append(texts.DOSSIER_UPDATE_STEP.format(step=event.step))
    if event.note:
        lines.append(texts.DOSSIER_UPDATE_NOTE.format(note=event.note))
    if event.status == DossierStatus.NEEDS_SUPPLEMENT and supplements:
        lines.append(texts.DOSSIER_UPDATE_SUPPLEMENTS)
        lines.extend(f"- {document}" for document in supplements)
    lines.append(texts.DOSSIER_UPDATE_MORE)
    return "\n".join(lines)


def pending_notices(sessions: sessionmaker[Session]) -> list[Notice]:
    """One notice per active subscription with events it was not told about."""
    with sessions() as session:
        rows = session.execute(
            select(Subscription.id, Subscription.sender_id, Dossier.receipt_code, func.max(DossierEvent.id))
            .join(Dossier, Dossier.id == Subscription.dossier_id)
            .join(DossierEvent, DossierEvent.dossier_id == Dossier.id)
            .where(
                Subscription.is_active.is_(True),
                DossierEvent.id > func.coalesce(Subscription.notified_event_id, 0),
            )
            .group_by(Subscription.id, Subscription.sender_id, Dossier.receipt_code)
            .order_by(Subscription.id)
        ).all()
        notices = []
        for subscription_id, sender_id, receipt_code, event_id in rows:
            event = session.get(DossierEvent, event_id)
            if event is None:
                continue
            unsubscribe = Button(
                "Ngừng nhận thông báo", f'/unsubscribe_dossier{{"receipt_code": "{receipt_code}"}}'
            )
            notices.append(
                Notice(
                    subscription_id,
                    sender_id,
                    event_id,
                    Reply(notice_text(receipt_code, event, event.dossier.supplement_request), (unsubscribe,)),
                )
            )
        return notices


def mark_notified(sessions: sessionmaker[Session], subscription_id: int, event_id: int) -> None:
    with sessions() as session, session.begin():
        subscription = session.get(Subscription, subscription_id)
        if subscription is not None:
            subscription.notified_event_id = max(event_id, subscription.notified_event_id or 0)


async def notify_once(sessions: sessionmaker[Session], delivery: Delivery) -> int:
    """Send what is pending; returns how many notices were delivered."""
    delivered = 0
    for notice in await asyncio.to_thread(pending_notices, sessions):
        if await delivery.send(notice.sender_id, notice.reply):
            await asyncio.to_thread(mark_notified, sessions, notice.subscription_id, notice.event_id)
            delivered += 1
    if delivered:
        logger.info("%d dossier notices delivered", delivered)
    return delivered


async def run_forever(
    sessions: sessionmaker[Session],
    delivery: Delivery,
    interval_s: float = INTERVAL_S,
    rounds: Deduplicator | None = None,
) -> None:
    """The notifier's loop, until cancelled; a failed round is logged and retried.

    With ``rounds`` (the gateways' shared marks) a round runs only while this
    gateway holds the round's lease; the others skip it.
    """
    while True:
        try:
            if rounds is None:
                await notify_once(sessions, delivery)
            elif await rounds.first(ROUND_KEY, ROUND_LEASE_S):
                try:
                    await notify_once(sessions, delivery)
                finally:
                    await rounds.forget(ROUND_KEY)
        except Exception:  # the database may be restarting: try again next round
            logger.exception("dossier notices could not be sent this round")
        await asyncio.sleep(interval_s)
