"""What citizens asked about most: procedures and intents (part of ``knowledge.metrics``).

Top procedures: the database records no procedure per message, and
``Feedback.procedure_code`` exists only for the few answers citizens rate.
So they are counted from the assistant's own answers: a procedure answer
(``actions.answers.answer``) starts with the heading ``"📄 <name> (<levels>)"``
(``actions.answers.title``). Continuation pages ("Xem thêm", a heading ending
in " (tiếp)") continue the same question and are not counted again.

Top intents: see :func:`top_intents`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.local_days import checked_range, within
from knowledge.models import ConversationMessage, Direction, Feedback, InboxItem, Procedure
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE

BOT_AUTHOR = "bot"
TOP_LIMIT = 10
# The heading of a procedure answer (``actions.answers.title``) and the mark of its next pages.
PROCEDURE_HEADING = "📄 "
CONTINUED = " (tiếp)"
_LEVELS = frozenset({LEVEL_MINISTRY, LEVEL_PROVINCE, LEVEL_COMMUNE, LEVEL_OTHER})
MESSAGES, INBOX_AND_FEEDBACK = "messages", "inbox_and_feedback"


@dataclass(frozen=True)
class ProcedureCount:
    """How many answers the assistant gave about one procedure."""

    name: str
    levels: str  # as in the heading, "Cấp tỉnh, Cấp xã"; "" when it had none
    code: str | None  # the knowledge base's procedure with that name and levels, when exactly one
    answers: int


@dataclass(frozen=True)
class IntentCount:
    """One intent and how often it was seen."""

    intent: str
    count: int


@dataclass(frozen=True)
class IntentRanking:
    """The most frequent intents, and which data they were counted from.

    ``source`` is ``"messages"`` (every incoming message, when the log records
    an intent per message) or ``"inbox_and_feedback"`` (only inbox items and
    rated answers: a biased sample, see :func:`top_intents`).
    """

    source: str
    items: tuple[IntentCount, ...]


def procedure_heading(text: str) -> tuple[str, str] | None:
    """``(name, levels)`` from a procedure answer's first line; None for other texts and next pages."""
    first = text.split("\n", 1)[0].strip()
    if not first.startswith(PROCEDURE_HEADING) or first.endswith(CONTINUED):
        return None
    name = first[len(PROCEDURE_HEADING) :].strip()
    levels = ""
    # The levels come last, in parentheses; a name may end in parentheses of its own.
    if name.endswith(")") and " (" in name:
        head, _, tail = name[:-1].rpartition(" (")
        if all(part.strip() in _LEVELS for part in tail.split(",")):
            name, levels = head.strip(), tail.strip()
    return (name, levels) if name else None


def top_procedures(
    session: Session, start: datetime, end: datetime, limit: int = TOP_LIMIT
) -> list[ProcedureCount]:
    """The procedures the assistant answered about most often in ``[start, end)``, most first."""
    start, end = checked_range(start, end)
    texts = session.scalars(
        select(ConversationMessage.text).where(
            ConversationMessage.direction == Direction.OUT.value,
            ConversationMessage.author == BOT_AUTHOR,
            ConversationMessage.text.startswith(PROCEDURE_HEADING),
            *within(ConversationMessage.created_at, start, end),
        )
    )
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        heading = procedure_heading(text)
        if heading is not None:
            counts[heading] += 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    codes = _codes(session, [name for (name, _), _ in top])
    return [
        ProcedureCount(name, levels, codes.get((name, levels)), answers) for (name, levels), answers in top
    ]


def _codes(session: Session, names: Sequence[str]) -> dict[tuple[str, str], str | None]:
    """The procedure code of each (name, levels); None where several procedures share both."""
    found: dict[tuple[str, str], str | None] = {}
    if not names:
        return found
    for procedure in session.scalars(select(Procedure).where(Procedure.name.in_(sorted(set(names))))):
        key = (procedure.name, ", ".join(procedure.levels))
        found[key] = None if key in found else procedure.code
    return found


def _message_intent_column() -> Any:
    """``ConversationMessage.intent`` when the log records an intent per message, else None."""
    return getattr(ConversationMessage, "intent", None)


def top_intents(session: Session, start: datetime, end: datetime, limit: int = TOP_LIMIT) -> IntentRanking:
    """The most frequent intents in ``[start, end)``, most first.

    When ``ConversationMessage`` has an ``intent`` column, every incoming
    message with an intent counts (source ``"messages"``). Without it the
    database records an intent only with inbox items (messages the bot did not
    understand or could not answer, handoffs, complaints) and with rated
    answers (``Feedback.intent``); the ranking is then counted from those two
    (source ``"inbox_and_feedback"``), a sample that over-represents what went
    wrong and must be labelled so wherever it is shown.
    """
    start, end = checked_range(start, end)
    counts: Counter[str] = Counter()
    column = _message_intent_column()
    if column is not None:
        source = MESSAGES
        incoming = ConversationMessage.direction == Direction.IN.value
        counts.update(
            _grouped(session, column, incoming, *within(ConversationMessage.created_at, start, end))
        )
    else:
        source = INBOX_AND_FEEDBACK
        counts.update(_grouped(session, InboxItem.intent, *within(InboxItem.created_at, start, end)))
        counts.update(_grouped(session, Feedback.intent, *within(Feedback.created_at, start, end)))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return IntentRanking(source, tuple(IntentCount(intent, count) for intent, count in ranked))


def _grouped(session: Session, column: Any, *conditions: Any) -> dict[str, int]:
    rows = session.execute(
        select(column, func.count()).where(column.is_not(None), *conditions).group_by(column)
    )
    return {str(value): int(count) for value, count in rows if value}
