"""Answer questions about procedures, and suggest procedures for a situation."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, db, faq, messages
from actions.fallback import record_unanswered
from actions.resolution import resolve
from knowledge import situations
from knowledge.agencies import matching_agencies
from knowledge.catalog import get_catalog
from knowledge.models import Agency, Procedure
from knowledge.queries import procedure_with_details
from knowledge.search import Candidate, SearchResult

logger = logging.getLogger(__name__)


def load_procedure(code: str, with_agencies: bool = False) -> tuple[Procedure | None, list[Agency]]:
    """An active procedure with everything an answer needs (or None), and the province's offices for it."""
    with db.sessions()() as session:
        procedure = procedure_with_details(session, code, active_only=True)
        agencies = matching_agencies(session, procedure) if procedure and with_agencies else []
        return procedure, agencies


# Candidates scoring below this share of the best one are not offered.
CHOICE_RELATIVE_SCORE = 0.6
# Procedures suggested for a situation the citizen describes.
SITUATION_CANDIDATES = 5


def close_candidates(result: SearchResult) -> list[Candidate]:
    """The candidates worth offering: at most 5, none far below the best."""
    best = result.candidates[0].score if result.candidates else 0.0
    return [c for c in result.candidates[:5] if c.score >= CHOICE_RELATIVE_SCORE * best]


def choice_buttons(candidates: list[Candidate], intent: str) -> list[dict[str, str]]:
    """One button per candidate; a click asks ``intent`` about that code."""
    return [
        {"title": candidate.name[:80], "payload": f'/{intent}{{"procedure_code": "{candidate.code}"}}'}
        for candidate in candidates
    ]


def offered(codes: list[str]) -> list[Candidate]:
    """Candidates offered earlier in the conversation, still active, by code."""
    by_code = {c.code: c for c in get_catalog().candidates_by_code(codes)}
    return [by_code[code] for code in codes if code in by_code]


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
        if intent == "show_more" and faq.is_faq_aspect(given.get("aspect")):
            return answer_clicked_faq(dispatcher, faq.faq_id_of(given.get("aspect")))
        clicked = text.startswith("/")
        if clicked:
            # A button ("/ask_fee") answers the question typed before it.
            text, entities = last_typed_message(tracker, fallback=(text, entities))
        chosen = given.get("procedure_code")
        current = tracker.get_slot("procedure_code")

        named = any(e.get("entity") == "procedure" for e in entities)
        code = chosen
        if code is None and not named and current:
            # A follow-up ("còn lệ phí thì sao?") is about the procedure in focus.
            code = current
        if code is None and not named and not text.startswith("/"):
            # "Which procedure?" was asked and the citizen asked about another
            # aspect instead of choosing: offer the same procedures again.
            pending = offered(list(tracker.get_slot("offered_codes") or []))
            if len(pending) > 1:
                dispatcher.utter_message(
                    text=messages.WHICH_PROCEDURE, buttons=choice_buttons(pending, intent)
                )
                return []
        if code is None:
            result = resolve(text, entities)
            # No procedure clearly asked about: an FAQ the message asks answers it better
            # than "no procedure found" or a choice among look-alikes.
            found = None if result.clear else faq.answer_for(text)
            if found is not None:
                return answer_with_faq(dispatcher, found, text)
            if not result.candidates:
                dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
                record_unanswered(tracker, messages.NO_PROCEDURE_FOUND)
                return []
            close = [] if result.clear else close_candidates(result)
            if len(close) > 1:
                dispatcher.utter_message(text=messages.WHICH_PROCEDURE, buttons=choice_buttons(close, intent))
                return [SlotSet("offered_codes", [c.code for c in close])]
            code = result.candidates[0].code

        offset = 0
        if intent == "show_more":
            intent = answers.INTENT_BY_ASPECT.get(given.get("aspect", ""), "ask_overview")
            offset = int(given["offset"]) if given.get("offset", "").isdigit() else 0
        procedure, agencies = load_procedure(str(code), with_agencies=intent == "ask_where")
        if procedure is None:
            dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
            return [SlotSet("procedure_code", None)]
        # The question typed now, or the one a "which procedure?" choice answers.
        typed = not clicked or (chosen is not None and chosen in (tracker.get_slot("offered_codes") or []))
        if typed and offset == 0:
            found = faq.answer_for(text, procedure.code)
            if found is not None:
                return answer_with_faq(dispatcher, found, text)
        reply = answers.answer(procedure, intent, offset, agencies)
        offers = faq.offer_buttons(procedure.code, text)
        dispatcher.utter_message(text=reply.text, buttons=faq.with_offers(reply.buttons, offers))
        return [SlotSet("procedure_code", procedure.code), SlotSet("offered_codes", None)]


def answer_with_faq(
    dispatcher: CollectingDispatcher, found: faq.FaqAnswer, text: str = ""
) -> list[dict[str, Any]]:
    """Send an FAQ answer; its procedure (if any) becomes the one in focus."""
    faq.send(dispatcher, found, text)
    focus = [SlotSet("procedure_code", found.procedure_code)] if found.procedure_code else []
    return [*focus, SlotSet("offered_codes", None)]


def answer_clicked_faq(dispatcher: CollectingDispatcher, faq_id: int | None) -> list[dict[str, Any]]:
    """A "Câu hỏi thường gặp: ..." button: that FAQ's answer, if it is still in use."""
    found = faq.load_answer(faq_id) if faq_id is not None else None
    if found is None:
        dispatcher.utter_message(
            text=messages.FAQ_GONE,
            buttons=[
                {"title": messages.BUTTON_OTHER_PROCEDURE, "payload": "/other_procedure"},
                {"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"},
            ],
        )
        return []
    return answer_with_faq(dispatcher, found)


class ActionFindProcedure(Action):
    """Suggest the procedures that fit a situation the citizen describes."""

    def name(self) -> str:
        return "action_find_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        # A curated situation ("sinh con" -> khai sinh...) gives its own procedures;
        # the search would add look-alikes of the words, not of the situation.
        candidates = offered(situations.procedure_codes(text))[:SITUATION_CANDIDATES]
        if not candidates:
            result = get_catalog().search(text, SITUATION_CANDIDATES)
            # Not a curated situation nor clearly one procedure: an FAQ the message asks comes first.
            found = None if result.clear else faq.answer_for(text)
            if found is not None:
                return answer_with_faq(dispatcher, found, text)
            candidates = close_candidates(result)
        if not candidates:
            dispatcher.utter_message(text=messages.NO_PROCEDURE_FOUND, buttons=messages.NO_MATCH_BUTTONS)
            record_unanswered(tracker, messages.NO_PROCEDURE_FOUND)
            return []
        dispatcher.utter_message(
            text=messages.SITUATION_CANDIDATES, buttons=choice_buttons(candidates, "ask_overview")
        )
        return [SlotSet("offered_codes", [c.code for c in candidates]), SlotSet("procedure_code", None)]


class ActionOtherProcedure(Action):
    """ "Hỏi thủ tục khác": forget the procedure in focus and ask which one."""

    def name(self) -> str:
        return "action_other_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=messages.OTHER_PROCEDURE)
        return [SlotSet("procedure_code", None), SlotSet("offered_codes", None)]
