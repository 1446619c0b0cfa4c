"""Answer questions about procedures, and suggest procedures for a situation."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, db, messages
from actions.resolution import resolve
from knowledge.catalog import get_catalog
from knowledge.models import Procedure
from knowledge.queries import procedure_with_details
from knowledge.search import SearchResult

logger = logging.getLogger(__name__)


def load_procedure(code: str) -> Procedure | None:
    """An active procedure with everything an answer needs, or None."""
    with db.sessions()() as session:
        return procedure_with_details(session, code, active_only=True)


# Candidates scoring below this share of the best one are not offered.
CHOICE_RELATIVE_SCORE = 0.6


def choice_buttons(result: SearchResult, intent: str) -> list[dict[str, str]]:
    """One button per close candidate; a click asks ``intent`` about that code."""
    best = result.candidates[0].score if result.candidates else 0.0
    return [
        {"title": candidate.name[:80], "payload": f'/{intent}{{"procedure_code": "{candidate.code}"}}'}
        for candidate in result.candidates[:5]
        if candidate.score >= CHOICE_RELATIVE_SCORE * best
    ]


def last_typed_message(
    tracker: Tracker, fallback: tuple[str, list[dict[str, Any]]]
) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of the citizen's last typed (not clicked) message."""
    for event in reversed(tracker.events):
        text = event.get("text") or ""
        if event.get("event") == "user" and text and not text.startswith("/"):
            return text, (event.get("parse_data") or {}).get("entities") or []
    return fallback


class ActionAnswerProcedure(Action):
    """Resolve the procedure asked about and answer the asked aspect."""

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "ask_overview"
        text = tracker.latest_message.get("text") or ""
        entities = tracker.latest_message.get("entities") or []
        given = {str(e.get("entity")): str(e.get("value")) for e in entities}  # a button's values
        if text.startswith("/"):
            # A button ("/ask_fee") answers the question typed before it.
            text, entities = last_typed_message(tracker, fallback=(text, entities))
        chosen = given.get("procedure_code")
        current = tracker.get_slot("procedure_code")

        code = chosen
        if code is None and not any(e.get("entity") == "procedure" for e in entities) and current:
            # A follow-up ("còn lệ phí thì sao?") is about the procedure in focus.
            code = current
        if code is None:
            result = resolve(text, entities)
            if not result.candidates:
                dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
                return []
            choices = [] if result.clear else choice_buttons(result, intent)
            if len(choices) > 1:
                dispatcher.utter_message(text=messages.WHICH_PROCEDURE, buttons=choices)
                return []
            code = result.candidates[0].code

        procedure = load_procedure(str(code))
        if procedure is None:
            dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
            return [SlotSet("procedure_code", None)]
        offset = 0
        if intent == "show_more":
            intent = answers.INTENT_BY_ASPECT.get(given.get("aspect", ""), "ask_overview")
            offset = int(given["offset"]) if given.get("offset", "").isdigit() else 0
        reply = answers.answer(procedure, intent, offset)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("procedure_code", procedure.code)]


class ActionFindProcedure(Action):
    """Suggest the procedures that fit a situation the citizen describes."""

    def name(self) -> str:
        return "action_find_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        result = get_catalog().search(text, 5)
        if not result.candidates:
            dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
            return []
        dispatcher.utter_message(
            text=messages.SITUATION_CANDIDATES, buttons=choice_buttons(result, "ask_overview")
        )
        return []
