"""When the bot is unsure, and when the citizen wants a person or complains.

Every low-confidence message, handoff request and complaint goes to the
staff inbox (``knowledge.inbox``) with what the NLU made of it.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import db, faq, messages
from knowledge import inbox
from knowledge.models import InboxKind
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
CONVERSATION_TURNS = 20


def user_intents(tracker: Tracker, count: int) -> list[str]:
    """Intents of the last ``count`` user messages, newest first (reverted ones included)."""
    intents = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intents.append(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")
            if len(intents) == count:
                break
    return intents


def reply_to_previous_message(tracker: Tracker) -> str | None:
    """The bot's first text after the citizen's message before the latest one, if any."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return None
    for event in tracker.events[users[-2] + 1 : users[-1]]:
        if event.get("event") == "bot" and event.get("text"):
            return str(event["text"])
    return None


def conversation(tracker: Tracker) -> list[dict[str, str]]:
    """The last turns, as staff will read them with a handoff request."""
    turns = []
    for event in tracker.events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            turns.append({"from": "citizen" if event["event"] == "user" else "bot", "text": event["text"]})
    return turns[-CONVERSATION_TURNS:]


def intent_buttons(tracker: Tracker) -> list[dict[str, str]]:
    """The two likeliest question types the NLU saw, as buttons."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    buttons = []
    for entry in ranking:
        label = messages.INTENT_LABELS.get(entry.get("name") or "")
        if label:
            buttons.append({"title": label, "payload": f"/{entry['name']}"})
        if len(buttons) == 2:
            break
    return buttons


class ActionDefaultFallback(Action):
    """Answer a frequent question the message asks; otherwise offer the likeliest meanings, and
    after a second miss in a row, a person."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        found = faq.answer_for(tracker.latest_message.get("text") or "")
        if found is not None:
            faq.send(dispatcher, found)
            focus = [SlotSet("procedure_code", found.procedure_code)] if found.procedure_code else []
            # Answered: nothing for the inbox; the message is forgotten like any fallback's.
            return [UserUtteranceReverted(), *focus]
        # An earlier low-confidence message that an FAQ answered was not a miss.
        second_miss = user_intents(tracker, 2) == [FALLBACK_INTENT, FALLBACK_INTENT] and not (
            faq.is_faq_answer(reply_to_previous_message(tracker))
        )
        if second_miss:
            text = messages.FALLBACK_AGAIN
            buttons = [{"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"}]
        else:
            text = messages.FALLBACK
            buttons = [
                *intent_buttons(tracker),
                {"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"},
            ]
        dispatcher.utter_message(text=text, buttons=buttons)
        with db.sessions()() as session, session.begin():
            inbox.record(
                session,
                InboxKind.LOW_CONFIDENCE,
                tracker.sender_id,
                tracker.latest_message.get("text") or "",
                nlu=_nlu(tracker),
                bot_reply=text,
            )
        # Forget the message, so the policies see the conversation as before it.
        return [UserUtteranceReverted()]


class ActionHumanHandoff(Action):
    """Record a request for a person with the conversation so far, and pause the bot.

    While paused, Rasa keeps the citizen's messages in the tracker but answers
    none of them (the gateway tells the citizen a person will answer). Staff
    release the conversation with Rasa's ``resume`` event; the citizen can
    come back to the bot at any time with ``/restart`` (the button below).
    """

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = messages.HANDOFF.format(hours=get_settings().office_hours)
        with db.sessions()() as session, session.begin():
            inbox.record(
                session,
                InboxKind.HANDOFF,
                tracker.sender_id,
                tracker.latest_message.get("text") or "",
                nlu={**_nlu(tracker), "conversation": conversation(tracker)},
                bot_reply=text,
            )
        dispatcher.utter_message(
            text=f"{text}\n{messages.HANDOFF_PAUSED}",
            buttons=[{"title": messages.BUTTON_RESUME, "payload": "/restart"}],
        )
        # A paused conversation predicts nothing more, so Rasa would not listen
        # either; listening now lets "/restart" and, after staff release it, every
        # rule work on the citizen's next message.
        return [ConversationPaused(), ActionExecuted("action_listen")]


class ActionComplaint(Action):
    """Acknowledge a complaint and give its reference number."""

    def name(self) -> str:
        return "action_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with db.sessions()() as session, session.begin():
            item = inbox.record(
                session,
                InboxKind.COMPLAINT,
                tracker.sender_id,
                tracker.latest_message.get("text") or "",
                nlu={**_nlu(tracker), "conversation": conversation(tracker)},
            )
            text = messages.COMPLAINT.format(reference=item.reference)
            item.bot_reply = text
        dispatcher.utter_message(
            text=text, buttons=[{"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"}]
        )
        return []


def record_unanswered(tracker: Tracker, bot_reply: str) -> None:
    """Put a message the bot found no answer for in the staff inbox."""
    with db.sessions()() as session, session.begin():
        inbox.record(
            session,
            InboxKind.UNANSWERED,
            tracker.sender_id,
            tracker.latest_message.get("text") or "",
            nlu=_nlu(tracker),
            bot_reply=bot_reply,
        )


def _nlu(tracker: Tracker) -> dict[str, Any]:
    message = tracker.latest_message
    return {
        "intent": message.get("intent") or {},
        "intent_ranking": (message.get("intent_ranking") or [])[:5],
        "entities": message.get("entities") or [],
    }
