"""Conversations waiting for a person: handoff requests, and staff replies to citizens.

A handoff pauses the assistant for that citizen. Staff read the conversation,
answer on the citizen's own channel (``Delivery``: Telegram now, the web
widget through its history) and give the conversation back to the assistant
(Rasa's ``resume``). Complaints and other inbox items are answered the same
way from their own page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from bot.console import inbox_texts
from bot.console.identity import STAFF, Staff
from bot.console.inbox_view import Masker, labels, open_handoff_count, run
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.message_log import STAFF as STAFF_AUTHOR
from bot.message_log import SYSTEM
from bot.rasa_client import RasaUnavailableError
from bot.replies import Reply
from bot.state import DELIVERY, RASA
from knowledge import audit
from knowledge.inbox_conversations import Turn, conversation, open_handoffs, release
from knowledge.models import InboxItem, InboxKind, InboxStatus

logger = logging.getLogger(__name__)

MAX_REPLY = 2000
HANDOFFS = "handoffs"


@dataclass(frozen=True)
class Card:
    """An inbox item with its conversation, as a page shows it (citizen text masked)."""

    id: int
    kind: str
    status: str
    channel: str
    text: str
    reference: str | None
    created_at: datetime
    turns: list[Turn]

    @property
    def is_open_handoff(self) -> bool:
        return self.kind == InboxKind.HANDOFF.value and self.status == InboxStatus.OPEN.value


def _card(session: Session, item: InboxItem) -> Card:
    return Card(
        item.id,
        item.kind,
        item.status,
        item.channel,
        item.text,
        item.reference,
        item.created_at,
        conversation(session, item),
    )


def _masked(request: web.Request, card: Card) -> Card:
    masker = Masker(request)
    return Card(
        card.id,
        card.kind,
        card.status,
        card.channel,
        masker.text(card.text),
        card.reference,
        card.created_at,
        masker.turns(card.turns),
    )


def _handoffs(session: Session) -> list[Card]:
    return [_card(session, item) for item in open_handoffs(session)]


def _item(session: Session, item_id: int) -> Card | None:
    item = session.get(InboxItem, item_id)
    return _card(session, item) if item is not None else None


def _sender(session: Session, item_id: int) -> tuple[str, str, str] | None:
    item = session.get(InboxItem, item_id)
    return (item.sender_id, item.kind, item.channel) if item is not None else None


async def _handoffs_page(
    request: web.Request, status: int = 200, error: str | None = None, error_item: int = 0, draft: str = ""
) -> web.StreamResponse:
    cards = await run(request, _handoffs)
    return render(
        request,
        "inbox/handoffs.html",
        status=status,
        cards=[_masked(request, card) for card in cards],
        handoffs=len(cards),
        error=error,
        error_item=error_item,
        draft=draft,
        done=inbox_texts.DONE.get(request.query.get("done", "")),
        **labels(),
    )


async def _item_page(
    request: web.Request, item_id: int, status: int = 200, error: str | None = None, draft: str = ""
) -> web.StreamResponse:
    card = await run(request, _item, item_id)
    if card is None:
        raise web.HTTPNotFound(text=inbox_texts.BAD_GROUP)
    return render(
        request,
        "inbox/item.html",
        status=status,
        card=_masked(request, card),
        handoffs=await run(request, open_handoff_count),
        error=error,
        draft=draft,
        done=inbox_texts.DONE.get(request.query.get("done", "")),
        **labels(),
    )


@requires(Section.INBOX)
async def handoffs_page(request: web.Request) -> web.StreamResponse:
    return await _handoffs_page(request)


@requires(Section.INBOX)
async def item_page(request: web.Request) -> web.StreamResponse:
    return await _item_page(request, int(request.match_info["item"]))


async def _again(
    request: web.Request, back: str, item_id: int, status: int, error: str, draft: str = ""
) -> web.StreamResponse:
    """The page the form was on, with the error next to the form and the text kept."""
    if back == HANDOFFS:
        return await _handoffs_page(request, status, error, item_id, draft)
    return await _item_page(request, item_id, status, error, draft)


def _back(back: str, item_id: int, done: str) -> web.Response:
    if back == HANDOFFS:
        return see_other(f"/console/inbox/handoffs?done={done}")
    return see_other(f"/console/inbox/items/{item_id}?done={done}")


def _record(session: Session, actor: str, action: str, item_id: int, after: dict[str, Any]) -> None:
    audit.record(session, actor, action, "inbox_item", item_id, after=after)


@requires(Section.INBOX)
async def reply_action(request: web.Request) -> web.StreamResponse:
    item_id = int(request.match_info["item"])
    form = await request.post()
    back = str(form.get("back", ""))
    text = str(form.get("text", "")).replace("\r\n", "\n").strip()
    found = await run(request, _sender, item_id)
    if found is None:
        raise web.HTTPNotFound(text=inbox_texts.BAD_GROUP)
    sender_id, _, channel = found
    if not text or len(text) > MAX_REPLY:
        return await _again(request, back, item_id, 422, inbox_texts.NO_REPLY.format(limit=MAX_REPLY), text)
    staff: Staff = request[STAFF]
    if not await request.config_dict[DELIVERY].send(sender_id, Reply(text), author=STAFF_AUTHOR):
        logger.warning("inbox: a staff reply on %s was not delivered", channel)
        name = inbox_texts.CHANNEL_LABELS.get(channel, channel)
        return await _again(request, back, item_id, 503, inbox_texts.NOT_DELIVERED.format(channel=name), text)
    await run(request, _record, staff.username, "reply", item_id, {"channel": channel, "chars": len(text)})
    logger.info("inbox: %s replied to item %s on %s", staff.username, item_id, channel)
    return _back(back, item_id, "sent")


@requires(Section.INBOX)
async def release_action(request: web.Request) -> web.StreamResponse:
    item_id = int(request.match_info["item"])
    form = await request.post()
    back = str(form.get("back", ""))
    found = await run(request, _sender, item_id)
    if found is None:
        raise web.HTTPNotFound(text=inbox_texts.BAD_GROUP)
    sender_id, kind, channel = found
    if kind != InboxKind.HANDOFF.value:
        return await _again(request, back, item_id, 422, inbox_texts.NOT_A_HANDOFF)
    try:
        await request.config_dict[RASA].resume(sender_id)
    except RasaUnavailableError as problem:
        logger.warning("inbox: could not give a %s conversation back to the assistant: %s", channel, problem)
        return await _again(request, back, item_id, 503, inbox_texts.RASA_DOWN)
    staff: Staff = request[STAFF]
    await run(request, release, sender_id, staff.username)
    told = await request.config_dict[DELIVERY].send(
        sender_id, Reply(inbox_texts.RELEASED_TO_CITIZEN), author=SYSTEM
    )
    if not told:
        logger.warning("inbox: the citizen on %s was not told of the release", channel)
    logger.info("inbox: %s gave item %s back to the assistant", staff.username, item_id)
    return _back(back, item_id, "released")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/inbox/handoffs", handoffs_page)
    app.router.add_get("/inbox/items/{item:\\d{1,12}}", item_page)
    app.router.add_post("/inbox/items/{item:\\d{1,12}}/reply", reply_action)
    app.router.add_post("/inbox/items/{item:\\d{1,12}}/release", release_action)
