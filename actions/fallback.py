"""What the bot says when it did not understand the message."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import messages

logger = logging.getLogger(__name__)


class ActionDefaultFallback(Action):
    """Ask the citizen to rephrase and offer the other ways forward."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {})
        logger.info(
            "fallback: intent %s at confidence %.2f", intent.get("name"), intent.get("confidence") or 0.0
        )
        dispatcher.utter_message(
            text=messages.FALLBACK,
            buttons=[
                {"title": messages.BUTTON_DOSSIER, "payload": "/check_dossier_status"},
                {"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"},
            ],
        )
        # Forget the message, so the policies see the conversation as before it.
        return [UserUtteranceReverted()]
