"""The staff inbox: questions the assistant could not answer, 👎 answers and complaints, grouped.

Staff mark a group handled, teach the assistant a new name of a procedure (an
alias, answerable at once) or keep the question as a training example of an
intent for the next retraining. Handoff requests and replies to citizens are
in ``handoff_pages``; :func:`add_routes` adds both.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import handoff_pages, inbox_texts
from bot.console.identity import STAFF, Staff
from bot.console.inbox_view import Masker, labels, open_handoff_count, run
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import CATALOG
from knowledge.inbox_review import (
    KINDS,
    add_training_example,
    entries_by_refs,
    group_entries,
    load_entries,
    mark_handled,
    parse_refs,
    teach_alias,
)
from knowledge.models import Procedure
from nlu import training_data

logger = logging.getLogger(__name__)

MAX_ALIAS = 200
MAX_EXAMPLE = 500
CANDIDATES = 5
Refs = list[tuple[str, int]]


# Intents only buttons send (👍/👎, "Xem thêm"): they have no typed examples to learn from.
BUTTON_ONLY_INTENTS = frozenset({"feedback", "show_more"})


@lru_cache(maxsize=1)
def domain_intents() -> tuple[str, ...]:
    """The intents of Rasa's domain people type, in their order."""
    return tuple(name for name in training_data.domain_intents() if name not in BUTTON_ONLY_INTENTS)


def _intent_choices() -> list[tuple[str, str]]:
    return [(name, inbox_texts.INTENT_LABELS.get(name, name)) for name in domain_intents()]


def _one_line(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _list(session: Session, handled: bool, kind: str) -> dict[str, Any]:
    return {
        "groups": group_entries(load_entries(session, handled, kind)),
        "handoffs": open_handoff_count(session),
    }


@requires(Section.INBOX)
async def list_page(request: web.Request) -> web.StreamResponse:
    kind = request.query.get("kind", "")
    kind = kind if kind in KINDS else ""
    handled = request.query.get("status") == "handled"
    data = await run(request, _list, handled, kind)
    masker = Masker(request)
    for group in data["groups"]:
        group.entries = [masker.entry(entry) for entry in group.entries]
    return render(
        request,
        "inbox/list.html",
        kind=kind,
        kinds=KINDS,
        handled=handled,
        done=inbox_texts.DONE.get(request.query.get("done", "")),
        **data,
        **labels(),
    )


def _refs(raw: Any) -> Refs:
    try:
        return parse_refs(str(raw or ""))
    except ValueError:
        raise web.HTTPNotFound(text=inbox_texts.BAD_GROUP) from None


async def _group_page(
    request: web.Request, refs: Refs, status: int = 200, error: str | None = None, **kept: Any
) -> web.StreamResponse:
    entries = await run(request, entries_by_refs, refs)
    if not entries:
        raise web.HTTPNotFound(text=inbox_texts.BAD_GROUP)
    masker = Masker(request)
    entries = [masker.entry(entry) for entry in entries]
    newest = entries[0]
    q = _one_line(request.query.get("q", "") or kept.get("q", "") or newest.text, MAX_EXAMPLE)
    result = await asyncio.to_thread(request.config_dict[CATALOG].search, q, CANDIDATES)
    # Nothing is chosen for staff: a careless "save" must not teach the assistant a guess.
    values = {
        "alias": _one_line(newest.text, MAX_ALIAS),
        "code": "",
        "example": _one_line(newest.text, MAX_EXAMPLE),
        "intent": "",
        "procedure_code": newest.procedure_code or "",
    }
    values.update({key: value for key, value in kept.items() if key in values})
    return render(
        request,
        "inbox/group.html",
        status=status,
        error=error,
        entries=entries,
        newest=newest,
        refs=",".join(entry.ref for entry in entries),
        q=q,
        candidates=result.candidates,
        intents=_intent_choices(),
        values=values,
        **labels(),
    )


@requires(Section.INBOX)
async def group_page(request: web.Request) -> web.StreamResponse:
    return await _group_page(request, _refs(request.query.get("refs")))


@requires(Section.INBOX)
async def handled_action(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    refs = _refs(form.get("refs"))
    staff: Staff = request[STAFF]
    await run(request, mark_handled, refs, staff.username)
    return see_other("/console/inbox?done=handled")


def _teach(session: Session, refs: Refs, text: str, code: str, actor: str) -> str | None:
    """Save the alias; the error to show, if any."""
    try:
        teach_alias(session, refs, text, code, actor)
    except LookupError:
        return inbox_texts.UNKNOWN_PROCEDURE.format(code=code)
    return None


@requires(Section.INBOX)
async def assign_procedure(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    refs = _refs(form.get("refs"))
    code = _one_line(form.get("code"), 32)
    alias = _one_line(form.get("alias"), MAX_ALIAS + 1)
    kept = {"q": _one_line(form.get("q"), MAX_EXAMPLE), "alias": alias, "code": code}
    if not code:
        return await _group_page(request, refs, 422, inbox_texts.NO_PROCEDURE, **kept)
    if not alias or len(alias) > MAX_ALIAS:
        return await _group_page(request, refs, 422, inbox_texts.NO_ALIAS.format(limit=MAX_ALIAS), **kept)
    staff: Staff = request[STAFF]
    error = await run(request, _teach, refs, alias, code, staff.username)
    if error:
        return await _group_page(request, refs, 422, error, **kept)
    logger.info("inbox: %s taught a new alias of %s", staff.username, code)
    return see_other("/console/inbox?done=alias")


def _example(
    session: Session, refs: Refs, text: str, intent: str, code: str | None, actor: str
) -> str | None:
    """Save the training example; the error to show, if any."""
    if code and session.scalar(select(Procedure.id).where(Procedure.code == code)) is None:
        return inbox_texts.UNKNOWN_PROCEDURE.format(code=code)
    add_training_example(session, refs, text, intent, code, actor)
    return None


@requires(Section.INBOX)
async def assign_intent(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    refs = _refs(form.get("refs"))
    intent = _one_line(form.get("intent"), 64)
    text = _one_line(form.get("example"), MAX_EXAMPLE + 1)
    code = _one_line(form.get("procedure_code"), 32) or None
    kept = {"intent": intent, "example": text, "procedure_code": code or ""}
    if intent not in domain_intents():
        return await _group_page(request, refs, 422, inbox_texts.NO_INTENT, **kept)
    if not text or len(text) > MAX_EXAMPLE:
        return await _group_page(request, refs, 422, inbox_texts.NO_EXAMPLE.format(limit=MAX_EXAMPLE), **kept)
    staff: Staff = request[STAFF]
    error = await run(request, _example, refs, text, intent, code, staff.username)
    if error:
        return await _group_page(request, refs, 422, error, **kept)
    logger.info("inbox: %s added a training example of %s", staff.username, intent)
    return see_other("/console/inbox?done=intent")


def add_routes(app: web.Application) -> None:
    """The inbox and the handoff pages, under the console."""
    app.router.add_get("/inbox", list_page)
    app.router.add_get("/inbox/group", group_page)
    app.router.add_post("/inbox/handled", handled_action)
    app.router.add_post("/inbox/assign-procedure", assign_procedure)
    app.router.add_post("/inbox/assign-intent", assign_intent)
    handoff_pages.add_routes(app)
