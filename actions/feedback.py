"""👍 / 👎 on an answer, and what was wrong with it.

The buttons under an answer send the ``feedback`` intent with a ``rating``
(``up`` / ``down``). A 👎 asks one optional question, answered by a click
(``reason``); the reason is added to the same feedback row. The question and
the answer rated are taken from the conversation, so staff read them together
in the inbox.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import db, messages
from knowledge.inbox import channel_of
from knowledge.models import Feedback, Rating

logger = logging.getLogger(__name__)

# What a 👎 may say was wrong: payload value -> label shown and stored.
REASONS = {
    "wrong_procedure": "Không đúng thủ tục tôi hỏi",
    "wrong_information": "Thông tin chưa chính xác",
    "not_enough": "Chưa đủ chi tiết",
    "hard_to_read": "Khó hiểu",
}


def feedback_buttons() -> list[dict[str, str]]:
    """The 👍 / 👎 pair shown under an answer."""
    return [
        {"title": "👍", "payload": '/feedback{"rating": "up"}'},
        {"title": "👎", "payload": '/feedback{"rating": "down"}'},
    ]


def rated_exchange(tracker: Tracker) -> tuple[str, str, str | None]:
    """The last answer before the click, the citizen's typed question before it, and its intent."""
    answer = question = ""
    intent: str | None = None
    events = list(tracker.events)
    # The click itself is the last user event; look before it.
    for event in reversed(events[:-1] if events and events[-1].get("event") == "user" else events):
        kind = event.get("event")
        if kind == "bot" and not answer and event.get("text"):
            answer = str(event["text"])
        elif kind == "user" and answer:
            text = str(event.get("text") or "")
            if text and not text.startswith("/"):
                question = text
                intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                break
    return question, answer, intent


class ActionFeedback(Action):
    """Store a rating, or the reason given after a 👎."""

    def name(self) -> str:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        given = {
            str(e.get("entity")): str(e.get("value")) for e in tracker.latest_message.get("entities") or []
        }
        if given.get("reason") in REASONS:
            return self._add_reason(dispatcher, tracker, REASONS[given["reason"]])
        rating = given.get("rating")
        if rating not in (Rating.UP, Rating.DOWN):
            dispatcher.utter_message(text=messages.FEEDBACK_THANKS)
            return []
        question, answer, intent = rated_exchange(tracker)
        with db.sessions()() as session, session.begin():
            row = Feedback(
                sender_id=tracker.sender_id[:128],
                channel=channel_of(tracker.sender_id),
                rating=rating,
                question=question[:5000],
                answer=answer[:5000],
                intent=intent,
                procedure_code=tracker.get_slot("procedure_code"),
            )
            session.add(row)
            session.flush()
            feedback_id = row.id
        logger.info("feedback %s recorded (%s)", feedback_id, rating)
        if rating == Rating.UP:
            dispatcher.utter_message(text=messages.FEEDBACK_THANKS)
            return [SlotSet("feedback_id", None)]
        buttons = [
            {"title": label, "payload": f'/feedback{{"reason": "{key}"}}'} for key, label in REASONS.items()
        ]
        dispatcher.utter_message(text=messages.FEEDBACK_WHAT_WAS_WRONG, buttons=buttons)
        return [SlotSet("feedback_id", str(feedback_id))]

    @staticmethod
    def _add_reason(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[dict[str, Any]]:
        feedback_id = tracker.get_slot("feedback_id")
        if feedback_id and str(feedback_id).isdigit():
            with db.sessions()() as session, session.begin():
                row = session.get(Feedback, int(feedback_id))
                # Only the conversation that gave the 👎 may explain it.
                if row is not None and row.sender_id == tracker.sender_id[:128]:
                    row.comment = reason
        dispatcher.utter_message(text=messages.FEEDBACK_NOTED)
        return [SlotSet("feedback_id", None)]
