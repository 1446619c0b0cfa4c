"""Staff changes to the structured parts of a procedure, its names and its frequent questions.

Required documents (add, change, move, remove), legal bases (add, change,
remove), submission channels (add, remove), aliases and linked frequent
questions. Row changes go through ``procedure_edit.save``: the whole
procedure's snapshot is audited before and after, the child table is marked
as edited (a re-import keeps it), and ``updated_at`` moves so the bot follows
within seconds. Alias and question changes are audited on the procedure too,
with what they name, so the procedure's history shows them and can undo them
(``revert``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge import aliases, audit
from knowledge import directory_edit as faq_edit
from knowledge.messages import CHANNEL_LABELS
from knowledge.models import AuditEntry, Faq
from knowledge.procedure_edit import ENTITY, FIELD_LABELS, changed_fields, is_snapshot, load, save
from knowledge.procedure_rows import check_row, rows_snapshot

# The fields of one row as its console form sends them.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "documents": ("group", "case_title", "name", "originals", "copies", "template", "note"),
    "legal_bases": ("code", "title", "issued_on", "issuer"),
    "channels": (
        "channel",
        "time_value",
        "time_max",
        "time_unit",
        "time_text",
        "fee_amount_vnd",
        "fee_free",
        "fee_text",
        "fee_note",
    ),
}
# The audit action of each change, by kind of row.
ADD_ACTIONS = {"documents": "add_document", "legal_bases": "add_legal_basis", "channels": "add_channel"}
EDIT_ACTIONS = {"documents": "edit_document", "legal_bases": "edit_legal_basis", "channels": "edit_channel"}
REMOVE_ACTIONS = {
    "documents": "remove_document",
    "legal_bases": "remove_legal_basis",
    "channels": "remove_channel",
}
MOVE_ACTIONS = {"documents": "move_document", "legal_bases": "move_legal_basis", "channels": "move_channel"}
# Changes that are not snapshots, and the change that undoes each.
INVERSE = {
    "add_alias": "remove_alias",
    "remove_alias": "add_alias",
    "link_faq": "unlink_faq",
    "unlink_faq": "link_faq",
    "add_faq": "deactivate_faq",
    "deactivate_faq": "activate_faq",
    "activate_faq": "deactivate_faq",
}
FAQ_CHOICES = 300


def form_row(kind: str, form: Mapping[str, Any]) -> dict[str, Any]:
    """One row of ``kind`` as its form sends it (a checkbox not sent is unchecked)."""
    row = {name: form.get(name, "") for name in FORM_FIELDS[kind]}
    if kind == "channels":
        row["fee_free"] = form.get("fee_free") == "on"
    return row


def _rows(session: Session, code: str, kind: str) -> list[dict[str, Any]]:
    return rows_snapshot(load(session, code), kind)


def _index(rows: list[dict[str, Any]], row_id: int) -> int:
    for index, row in enumerate(rows):
        if row["id"] == row_id:
            return index
    raise LookupError(row_id)


def add_row(
    session: Session, code: str, kind: str, given: dict[str, Any], actor: str, position: int | None = None
) -> list[str]:
    """Add a row of ``kind`` at ``position`` (None: at the end); returns the fields that changed.

    Raises ``InvalidEntryError`` (nothing saved) and ``LookupError`` (no such procedure).
    """
    rows = _rows(session, code, kind)
    check_row(kind, given)
    index = len(rows) if position is None else max(0, min(position, len(rows)))
    rows.insert(index, {key: value for key, value in given.items() if key != "id"})
    return save(session, code, {kind: rows}, actor, ADD_ACTIONS[kind])


def update_row(
    session: Session, code: str, kind: str, row_id: int, given: dict[str, Any], actor: str
) -> list[str]:
    """Change the row ``row_id`` of ``kind``; returns the fields that changed (none: nothing saved)."""
    procedure = load(session, code)
    rows = rows_snapshot(procedure, kind)
    index = _index(rows, row_id)
    check_row(kind, given, getattr(procedure, kind)[index])
    rows[index] = {**rows[index], **given, "id": row_id}
    return save(session, code, {kind: rows}, actor, EDIT_ACTIONS[kind])


def remove_row(session: Session, code: str, kind: str, row_id: int, actor: str) -> list[str]:
    """Remove the row ``row_id`` of ``kind``; raises ``LookupError`` when it is not there."""
    rows = _rows(session, code, kind)
    del rows[_index(rows, row_id)]
    return save(session, code, {kind: rows}, actor, REMOVE_ACTIONS[kind])


def move_row(session: Session, code: str, kind: str, row_id: int, step: int, actor: str) -> list[str]:
    """Move the row ``row_id`` of ``kind`` ``step`` places (-1: up, 1: down); nothing at either end."""
    rows = _rows(session, code, kind)
    index = _index(rows, row_id)
    target = index + step
    if not 0 <= target < len(rows) or target == index:
        return []
    rows.insert(target, rows.pop(index))
    return save(session, code, {kind: rows}, actor, MOVE_ACTIONS[kind])


# ----------------------------------------------------------------------- aliases


def add_alias(session: Session, code: str, text: str, actor: str) -> None:
    """Link the alias ``text`` to the procedure (audited on the procedure)."""
    aliases.add(session, text, [code])
    audit.record(session, actor, "add_alias", ENTITY, code, after={"alias": text})


def remove_alias(session: Session, code: str, text: str, actor: str) -> None:
    """Unlink the alias ``text`` from the procedure (audited on the procedure)."""
    aliases.remove(session, text, [code])
    audit.record(session, actor, "remove_alias", ENTITY, code, before={"alias": text})


# ------------------------------------------------------------ frequent questions


def linked_faqs(session: Session, procedure_id: int) -> list[Faq]:
    """The questions linked to the procedure, those in use first."""
    statement = (
        select(Faq).where(Faq.procedure_id == procedure_id).order_by(Faq.is_active.desc(), Faq.id.desc())
    )
    return list(session.scalars(statement))


def other_faqs(session: Session, procedure_id: int, limit: int = FAQ_CHOICES) -> list[Faq]:
    """Questions that could be linked to the procedure: not linked to it, those in use first."""
    statement = (
        select(Faq)
        .options(selectinload(Faq.procedure))
        .where((Faq.procedure_id != procedure_id) | Faq.procedure_id.is_(None))
        .order_by(Faq.is_active.desc(), Faq.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _about(faq: Faq) -> dict[str, Any]:
    return {"faq_id": faq.id, "question": faq.question}


def _relink(session: Session, faq: Faq, code: str | None, actor: str) -> None:
    values = faq_edit.FaqValues(faq.question, faq.answer, code)
    faq_edit.update_faq(session, faq.id, values, actor)


def add_faq(session: Session, code: str, question: Any, answer: Any, actor: str) -> Faq:
    """A new question about the procedure; raises ``InvalidEntryError`` (in Vietnamese)."""
    load(session, code)
    values = faq_edit.faq_values({"question": question, "answer": answer, "procedure_code": code})
    faq = faq_edit.create_faq(session, values, actor)
    audit.record(session, actor, "add_faq", ENTITY, code, after=_about(faq))
    return faq


def link_faq(session: Session, code: str, faq_id: int, actor: str) -> bool:
    """Link the question ``faq_id`` to the procedure (from another one, if so); False when already linked."""
    procedure = load(session, code)
    faq = faq_edit.get_faq(session, faq_id)
    if faq.procedure_id == procedure.id:
        return False
    previous = faq.procedure.code if faq.procedure is not None else None
    _relink(session, faq, code, actor)
    audit.record(session, actor, "link_faq", ENTITY, code, after={**_about(faq), "from_code": previous})
    return True


def unlink_faq(session: Session, code: str, faq_id: int, actor: str) -> bool:
    """Unlink the question ``faq_id`` from the procedure; False when it is not linked to it."""
    procedure = load(session, code)
    faq = faq_edit.get_faq(session, faq_id)
    if faq.procedure_id != procedure.id:
        return False
    _relink(session, faq, None, actor)
    audit.record(session, actor, "unlink_faq", ENTITY, code, before=_about(faq))
    return True


def set_faq_active(session: Session, code: str, faq_id: int, active: bool, actor: str) -> bool:
    """Use a question again, or stop using it, from the procedure's page; False when already so."""
    load(session, code)
    faq = faq_edit.get_faq(session, faq_id)
    if not faq_edit.set_faq_active(session, faq_id, active, actor):
        return False
    if active:
        audit.record(session, actor, "activate_faq", ENTITY, code, after=_about(faq))
    else:
        audit.record(session, actor, "deactivate_faq", ENTITY, code, before=_about(faq))
    return True


# ----------------------------------------------------------------------- history


def _row_names(kind: str, rows: list[dict[str, Any]]) -> dict[Any, str]:
    names = {}
    for row in rows:
        if kind == "channels":
            names[row.get("id")] = CHANNEL_LABELS.get(row.get("channel") or "", row.get("channel_text") or "")
        elif kind == "documents":
            names[row.get("id")] = str(row.get("name") or "")
        else:
            names[row.get("id")] = str(row.get("code") or row.get("title") or "")
    return names


def change_summary(entry: AuditEntry) -> str:
    """What a change of the procedure was about, in a few words, for its history.

    The fields changed, with the rows added or removed (documents by name,
    legal bases by number); an alias or a question by its text. Never the
    values of fees or times: the page itself shows those.
    """
    named = entry.after or entry.before or {}
    if "alias" in named:
        return str(named["alias"])
    if "faq_id" in named:
        return str(named.get("question") or "")
    fields = changed_fields(entry.before, entry.after)
    parts = []
    for name in fields:
        label = FIELD_LABELS[name]
        if name in ("channels", "documents", "legal_bases"):
            before = _row_names(name, (entry.before or {}).get(name) or [])
            after = _row_names(name, (entry.after or {}).get(name) or [])
            added = [text for key, text in after.items() if key not in before]
            removed = [text for key, text in before.items() if key not in after]
            touched = added + removed
            if touched:
                label += " (" + "; ".join(text[:80] for text in touched[:3]) + ")"
        parts.append(label)
    return ", ".join(parts)


# ------------------------------------------------------------------------ revert


def _named(entry: AuditEntry) -> dict[str, Any]:
    """What an alias or question change names (``alias`` or ``faq_id``)."""
    return entry.after or entry.before or {}


def revertable(entry: AuditEntry) -> bool:
    """True when the procedure's history can undo ``entry``."""
    if is_snapshot(entry.before):
        return True
    named = _named(entry)
    return entry.action in INVERSE and bool(named.get("alias") or named.get("faq_id"))


def revert(session: Session, code: str, entry_id: int, actor: str) -> bool:
    """Undo the change ``entry_id`` of the procedure ``code``; False when nothing changed.

    A snapshot is put back whole (the version before the change); an alias or
    question change is undone by its inverse. Raises ``LookupError`` for an
    entry of another record or one that cannot be undone, ``InvalidEntryError``
    when the version before no longer passes the checks.
    """
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.entity != ENTITY or entry.entity_id != code or not revertable(entry):
        raise LookupError(entry_id)
    before = entry.before
    if before is not None and is_snapshot(before):
        return bool(save(session, code, before, actor, "revert"))
    named = _named(entry)
    inverse = INVERSE[entry.action]
    if inverse == "add_alias":
        add_alias(session, code, str(named["alias"]), actor)
        return True
    if inverse == "remove_alias":
        remove_alias(session, code, str(named["alias"]), actor)
        return True
    faq_id = int(named["faq_id"])
    if inverse == "link_faq":
        return link_faq(session, code, faq_id, actor)
    if inverse == "unlink_faq":
        return unlink_faq(session, code, faq_id, actor)
    return set_faq_active(session, code, faq_id, inverse == "activate_faq", actor)
