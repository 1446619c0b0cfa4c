"""The staff inbox, reviewed: what waits, grouped by similar text, and what staff do with it.

The inbox shows the questions the assistant could not answer well
(``InboxItem`` of kind unanswered or low_confidence), complaints, and the
answers citizens rated 👎 (``Feedback``). Each is an :class:`Entry` named by a
reference: ``i<id>`` for an inbox item, ``f<id>`` for a feedback. Entries with
the same normalised text, or nearly the same words, form one :class:`Group`
so that staff handle a question asked fifty times once.

Staff mark a group handled, teach the assistant a new way of naming a
procedure (an alias, searchable at once), or keep the text as a training
example of an intent for the next retraining. Every change is audited.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import aliases, audit
from knowledge.models import Feedback, InboxItem, InboxKind, InboxStatus, Rating, TrainingExample
from nlu.textnorm import normalize

logger = logging.getLogger(__name__)

FEEDBACK = "feedback"  # the kind of a 👎 feedback entry
REVIEW_KINDS = (InboxKind.UNANSWERED.value, InboxKind.LOW_CONFIDENCE.value, InboxKind.COMPLAINT.value)
KINDS = (*REVIEW_KINDS, FEEDBACK)
SIMILARITY = 0.8  # token Jaccard from which two texts are one group
LIST_LIMIT = 2000  # newest entries of each table considered for one page
_REF = re.compile(r"([if])(\d{1,12})")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """One thing waiting for staff: an inbox item or a 👎 feedback."""

    ref: str
    kind: str
    text: str
    created_at: datetime
    channel: str
    sender_id: str
    intent: str | None = None
    confidence: float | None = None
    bot_reply: str | None = None
    comment: str | None = None
    procedure_code: str | None = None
    reference: str | None = None
    item_id: int | None = None
    handled: bool = False


@dataclass
class Group:
    """Entries about the same question, newest first."""

    entries: list[Entry] = field(default_factory=list)

    @property
    def newest(self) -> Entry:
        return self.entries[0]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def refs(self) -> str:
        return ",".join(entry.ref for entry in self.entries)

    @property
    def kinds(self) -> dict[str, int]:
        """How many entries of each kind, in the order of :data:`KINDS`."""
        counts = Counter(entry.kind for entry in self.entries)
        return {kind: counts[kind] for kind in (*KINDS, *counts) if counts[kind]}


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _from_item(item: InboxItem) -> Entry:
    return Entry(
        ref=f"i{item.id}",
        kind=item.kind,
        text=item.text,
        created_at=_aware(item.created_at),
        channel=item.channel,
        sender_id=item.sender_id,
        intent=item.intent,
        confidence=item.confidence,
        bot_reply=item.bot_reply,
        reference=item.reference,
        item_id=item.id,
        handled=item.status == InboxStatus.HANDLED.value,
    )


def _from_feedback(feedback: Feedback) -> Entry:
    return Entry(
        ref=f"f{feedback.id}",
        kind=FEEDBACK,
        text=feedback.question,
        created_at=_aware(feedback.created_at),
        channel=feedback.channel,
        sender_id=feedback.sender_id,
        intent=feedback.intent,
        bot_reply=feedback.answer,
        comment=feedback.comment,
        procedure_code=feedback.procedure_code,
        handled=feedback.handled,
    )


def load_entries(session: Session, handled: bool = False, kind: str = "") -> list[Entry]:
    """Open (or handled) entries of ``kind`` (every kind if empty), newest first."""
    entries: list[Entry] = []
    item_kinds = [kind] if kind in REVIEW_KINDS else ([] if kind == FEEDBACK else list(REVIEW_KINDS))
    if item_kinds:
        status = InboxStatus.HANDLED.value if handled else InboxStatus.OPEN.value
        items = session.scalars(
            select(InboxItem)
            .where(InboxItem.kind.in_(item_kinds), InboxItem.status == status)
            .order_by(InboxItem.id.desc())
            .limit(LIST_LIMIT)
        )
        entries.extend(_from_item(item) for item in items)
    if kind in ("", FEEDBACK):
        rated = session.scalars(
            select(Feedback)
            .where(Feedback.rating == Rating.DOWN.value, Feedback.handled.is_(handled))
            .order_by(Feedback.id.desc())
            .limit(LIST_LIMIT)
        )
        entries.extend(_from_feedback(feedback) for feedback in rated)
    entries.sort(key=lambda entry: entry.created_at, reverse=True)
    return entries


def text_key(text: str) -> str:
    """The text as grouping sees it: normalised words, punctuation dropped."""
    return " ".join(_WORD.findall(normalize(text)))


def _tokens(key: str) -> frozenset[str]:
    return frozenset(key.split())


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Token Jaccard of two texts reaches :data:`SIMILARITY`."""
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= SIMILARITY


def group_entries(entries: Iterable[Entry]) -> list[Group]:
    """Entries grouped by equal :func:`text_key`, or nearly equal words; newest group first.

    ``entries`` come newest first; each group is compared through its newest
    entry, so a group never drifts away from what staff see as its example.
    """
    groups: list[Group] = []
    by_key: dict[str, Group] = {}
    heads: list[tuple[frozenset[str], Group]] = []
    for entry in entries:
        key = text_key(entry.text)
        group = by_key.get(key)
        if group is None:
            tokens = _tokens(key)
            group = next((g for head, g in heads if similar(tokens, head)), None)
            if group is None:
                group = Group()
                groups.append(group)
                heads.append((tokens, group))
            by_key[key] = group
        group.entries.append(entry)
    return groups


def parse_refs(raw: str) -> list[tuple[str, int]]:
    """``"i12,f3"`` as ``[("i", 12), ("f", 3)]``; ValueError on anything else."""
    refs = []
    for part in raw.split(","):
        match = _REF.fullmatch(part.strip())
        if match is None:
            raise ValueError("bad reference")
        refs.append((match.group(1), int(match.group(2))))
    if not refs:
        raise ValueError("no reference")
    return refs


def entries_by_refs(session: Session, refs: list[tuple[str, int]]) -> list[Entry]:
    """The entries named by ``refs`` that exist (handled or not), newest first."""
    item_ids = [number for table, number in refs if table == "i"]
    feedback_ids = [number for table, number in refs if table == "f"]
    entries = [_from_item(i) for i in session.scalars(select(InboxItem).where(InboxItem.id.in_(item_ids)))]
    entries += [
        _from_feedback(f) for f in session.scalars(select(Feedback).where(Feedback.id.in_(feedback_ids)))
    ]
    entries.sort(key=lambda entry: entry.created_at, reverse=True)
    return entries


def mark_handled(session: Session, refs: list[tuple[str, int]], actor: str, reason: str = "handled") -> int:
    """Mark the open entries of ``refs`` handled; how many changed."""
    changed = 0
    for table, number in refs:
        if table == "i":
            item = session.get(InboxItem, number)
            if item is None or item.status == InboxStatus.HANDLED.value:
                continue
            item.status = InboxStatus.HANDLED.value
            entity = "inbox_item"
        else:
            feedback = session.get(Feedback, number)
            if feedback is None or feedback.handled:
                continue
            feedback.handled = True
            entity = "feedback"
        changed += 1
        audit.record(
            session,
            actor,
            "mark_handled",
            entity,
            number,
            before={"status": InboxStatus.OPEN.value},
            after={"status": InboxStatus.HANDLED.value, "via": reason},
        )
    return changed


def teach_alias(session: Session, refs: list[tuple[str, int]], text: str, code: str, actor: str) -> int:
    """Save ``text`` as a new name of procedure ``code`` and mark the entries handled.

    Raises ``LookupError`` when the procedure does not exist, ``ValueError`` on an empty text.
    """
    alias = aliases.add(session, text, [code])
    audit.record(session, actor, "add_alias", "procedure", code, after={"alias": alias.text, "from": "inbox"})
    return mark_handled(session, refs, actor, reason="alias")


def add_training_example(
    session: Session,
    refs: list[tuple[str, int]],
    text: str,
    intent: str,
    procedure_code: str | None,
    actor: str,
) -> TrainingExample:
    """Keep ``text`` as an example of ``intent`` for the next retraining; mark the entries handled."""
    example = TrainingExample(text=text, intent=intent, procedure_code=procedure_code, created_by=actor)
    session.add(example)
    session.flush()
    audit.record(
        session,
        actor,
        "add_training_example",
        "training_example",
        example.id,
        after={"text": text, "intent": intent, "procedure_code": procedure_code},
    )
    mark_handled(session, refs, actor, reason="training_example")
    return example
