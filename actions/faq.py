"""The frequent questions staff write in the console (``Faq``), in the bot's answers.

Where they come in (the NLU intent always decides first):

* When the bot would otherwise not answer well: a low-confidence message
  (``action_default_fallback``), or a question that names no procedure the
  search finds clearly (``action_answer_procedure``,
  ``action_find_procedure``; the search nearly always returns look-alikes,
  so "not clear" rather than "nothing found"). If the message asks an
  active FAQ (``knowledge.faq_match``), its answer is given instead of "I
  did not understand", "no procedure found" or a choice among look-alikes.
* When the bot resolved the procedure a typed question is about: an FAQ
  linked to that procedure that the question asks is a better answer than
  the generic field (the fee table for "is registering late fined?"), so it
  is given instead, with the procedure's other aspects as buttons.
* Every answer about a procedure offers up to ``MAX_OFFERED`` of its linked
  FAQ entries as buttons. A click sends ``/show_more{"procedure_code":
  "1.001193", "aspect": "faq:12"}``: the button-only intent and the entities
  of "Xem thêm", answered by ``action_answer_procedure``, with the FAQ as
  one more "aspect" of the procedure. Nothing new in Rasa's domain, so the
  trained model serves it as is (Rasa drops an entity type its model does
  not know, so a new ``faq_id`` entity would need a retraining).

The index of FAQ questions follows staff edits within half a second
(``knowledge.faq_match.FaqBook``, the catalog's mechanism); the answer itself
is read from the database when it is given, so an edited answer is used at
once and a deactivated FAQ never. Staff-written text is sent as plain text
(every channel shows it as such: the widget sets ``textContent``, Telegram
escapes HTML), cleaned like the console cleans it, and without the
bidirectional controls that could make it display differently from what it is.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions import answers, db, messages
from actions.feedback import feedback_buttons
from knowledge.directory_edit import ANSWER_MAX, QUESTION_MAX, one_line, paragraphs
from knowledge.faq_match import FaqBook, FaqMatch
from knowledge.models import Faq, Procedure

logger = logging.getLogger(__name__)

# Linked FAQ entries offered as buttons under a procedure answer.
MAX_OFFERED = 3
# Characters of an FAQ question shown on its button.
BUTTON_QUESTION_CHARS = 60
OTHER_PROCEDURE_PAYLOAD = "/other_procedure"
# The "aspect" a button carries for FAQ 12: "faq:12".
ASPECT_PREFIX = "faq:"
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=4)
def _book(sessions: sessionmaker[Session]) -> FaqBook:
    return FaqBook(sessions)


def faq_book() -> FaqBook:
    """The FAQ index over the action server's database (``actions.db``)."""
    return _book(db.sessions())


def warm_up() -> int:
    """Build the FAQ index now rather than on the first question; the number of active entries."""
    return len(faq_book().index)


def plain(text: str, limit: int, multiline: bool = True) -> str:
    """Staff-written ``text`` as sent: NFC, no control characters, at most ``limit`` characters."""
    cleaned = _BIDI_CONTROLS.sub("", paragraphs(text) if multiline else one_line(text))
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class FaqAnswer:
    """An active FAQ ready to send, and the active procedure it is about (if any)."""

    faq_id: int
    question: str
    text: str
    procedure: Procedure | None

    @property
    def procedure_code(self) -> str | None:
        return self.procedure.code if self.procedure is not None else None


def load_answer(faq_id: int) -> FaqAnswer | None:
    """The FAQ ``faq_id`` as sent, or None when it is gone, inactive or about an inactive procedure."""
    with db.sessions()() as session:
        faq = session.get(Faq, faq_id)
        if faq is None or not faq.is_active:
            return None
        procedure = faq.procedure
        if procedure is not None and not procedure.is_active:
            return None
        question = plain(faq.question, QUESTION_MAX, multiline=False)
        text = messages.FAQ_ANSWER.format(question=question, answer=plain(faq.answer, ANSWER_MAX))
        return FaqAnswer(faq.id, question, text, procedure)


def _first_answer(found: list[FaqMatch]) -> FaqAnswer | None:
    for match in found:
        loaded = load_answer(match.entry.id)
        if loaded is not None:
            logger.info("answered with FAQ %s (score %.2f)", loaded.faq_id, match.score)
            return loaded
    return None


def answer_for(text: str, procedure_code: str | None = None) -> FaqAnswer | None:
    """The FAQ a typed message asks (among those about ``procedure_code`` when given), or None."""
    if not text.strip() or text.startswith("/"):
        return None
    return _first_answer(faq_book().matches(text, procedure_code))


def is_faq_aspect(aspect: str | None) -> bool:
    """True when a button's ``aspect`` names an FAQ ("faq:12")."""
    return bool(aspect) and str(aspect).startswith(ASPECT_PREFIX)


def faq_id_of(aspect: str | None) -> int | None:
    """The FAQ id in a button's ``aspect`` ("faq:12" -> 12), or None."""
    value = str(aspect or "").removeprefix(ASPECT_PREFIX).strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def offer_buttons(procedure_code: str, text: str = "", exclude: int | None = None) -> list[dict[str, str]]:
    """Up to ``MAX_OFFERED`` FAQ entries about a procedure as buttons, the closest to ``text`` first."""
    book = faq_book()
    if not book.linked(procedure_code):
        return []
    entries = [m.entry for m in book.ranked(text, procedure_code) if m.entry.id != exclude]
    return [
        {
            "title": messages.FAQ_BUTTON.format(
                question=plain(entry.question, BUTTON_QUESTION_CHARS, multiline=False)
            ),
            "payload": "/show_more"
            + json.dumps({"procedure_code": procedure_code, "aspect": f"{ASPECT_PREFIX}{entry.id}"}),
        }
        for entry in entries[:MAX_OFFERED]
    ]


def with_offers(buttons: list[dict[str, str]], offers: list[dict[str, str]]) -> list[dict[str, str]]:
    """``buttons`` with ``offers`` before "Hỏi thủ tục khác" (or at the end)."""
    at = next((i for i, b in enumerate(buttons) if b.get("payload") == OTHER_PROCEDURE_PAYLOAD), len(buttons))
    return [*buttons[:at], *offers, *buttons[at:]]


def reply_buttons(found: FaqAnswer, text: str = "") -> list[dict[str, str]]:
    """Under an FAQ answer: its procedure's aspects and other FAQ entries, or the 👍 / 👎 pair."""
    if found.procedure is None:
        return feedback_buttons()
    return with_offers(
        answers.follow_up_buttons(found.procedure),
        offer_buttons(found.procedure.code, text or found.question, exclude=found.faq_id),
    )


def send(dispatcher: CollectingDispatcher, found: FaqAnswer, text: str = "") -> None:
    """Send an FAQ answer with its buttons."""
    dispatcher.utter_message(text=found.text, buttons=reply_buttons(found, text))


def is_faq_answer(text: str | None) -> bool:
    """True for a bot message that is an FAQ answer."""
    heading = messages.FAQ_ANSWER.split("{", 1)[0]
    return bool(text) and str(text).startswith(heading)
