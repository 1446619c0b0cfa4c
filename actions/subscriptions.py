"""Tell me when my dossier changes: subscribe and unsubscribe.

A conversation may subscribe only to a dossier it has just proved it owns
(``verified_dossiers`` is filled by :class:`actions.dossier.ActionCheckDossier`),
so a button payload typed by hand cannot subscribe to someone else's dossier.
The gateway's notifier delivers the changes (``bot/``).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import db, messages
from knowledge.inbox import channel_of
from knowledge.models import Dossier, DossierEvent, Subscription
from knowledge.receipt_codes import normalize_receipt_code

logger = logging.getLogger(__name__)


def _receipt_code(tracker: Tracker) -> str:
    """The receipt code named by the message (a button's, or typed), normalised, or ""."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "receipt_code" and entity.get("value"):
            return normalize_receipt_code(str(entity["value"])) or ""
    return ""


def subscribe_button(receipt_code: str) -> dict[str, str]:
    """The offer under a dossier's status."""
    payload = f'/subscribe_dossier{{"receipt_code": "{receipt_code}"}}'
    return {"title": messages.BUTTON_SUBSCRIBE, "payload": payload}


def unsubscribe_button(receipt_code: str) -> dict[str, str]:
    """The way out, under a confirmation and under every notification."""
    payload = f'/unsubscribe_dossier{{"receipt_code": "{receipt_code}"}}'
    return {"title": messages.BUTTON_UNSUBSCRIBE, "payload": payload}


class ActionSubscribeDossier(Action):
    """Subscribe this conversation to a dossier it proved it owns."""

    def name(self) -> str:
        return "action_subscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        verified = list(tracker.get_slot("verified_dossiers") or [])
        # Typed without a code ("báo cho tôi khi có kết quả"): the dossier just looked up.
        code = _receipt_code(tracker) or (verified[-1] if verified else "")
        if not code or code not in verified:
            dispatcher.utter_message(
                text=messages.SUBSCRIBE_NEEDS_PROOF,
                buttons=[{"title": messages.BUTTON_DOSSIER, "payload": "/check_dossier_status"}],
            )
            return []
        sender = tracker.sender_id[:128]
        with db.sessions()() as session, session.begin():
            dossier = session.scalars(select(Dossier).where(Dossier.receipt_code == code)).first()
            if dossier is None:  # deleted since the check
                dispatcher.utter_message(text=messages.SUBSCRIBE_NEEDS_PROOF)
                return []
            last_event = session.scalar(
                select(func.max(DossierEvent.id)).where(DossierEvent.dossier_id == dossier.id)
            )
            subscription = session.scalars(
                select(Subscription).where(
                    Subscription.dossier_id == dossier.id, Subscription.sender_id == sender
                )
            ).first()
            if subscription is None:
                subscription = Subscription(
                    dossier_id=dossier.id, sender_id=sender, channel=channel_of(sender)
                )
                session.add(subscription)
            subscription.is_active = True
            subscription.notified_event_id = last_event
        logger.info("dossier subscription saved (channel %s)", channel_of(sender))
        dispatcher.utter_message(
            text=messages.SUBSCRIBED.format(code=code),
            buttons=[unsubscribe_button(code)],
        )
        return []


class ActionUnsubscribeDossier(Action):
    """Stop this conversation's notifications for one dossier (or all of them)."""

    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = _receipt_code(tracker)
        statement = select(Subscription).where(
            Subscription.sender_id == tracker.sender_id[:128], Subscription.is_active.is_(True)
        )
        if code:
            statement = statement.join(Dossier).where(Dossier.receipt_code == code)
        with db.sessions()() as session, session.begin():
            subscriptions = list(session.scalars(statement))
            for subscription in subscriptions:
                subscription.is_active = False
        dispatcher.utter_message(text=messages.UNSUBSCRIBED if subscriptions else messages.NOT_SUBSCRIBED)
        return []
