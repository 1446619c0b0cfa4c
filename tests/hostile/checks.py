"""What every answer and every stored row must look like, whatever the input."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from bot import texts
from bot.telegram import texts as telegram_texts
from knowledge.models import ConversationMessage, InboxItem
from tests.hostile.cases import NOTICES, TOO_LONG_NOTICE, Expect

# A Vietnamese sentence has letters only Vietnamese writes (tones, ư, ơ, đ...).
_VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
# What must never reach a citizen: programmers' words.
_LEAKS = re.compile(
    r"Traceback|Exception|Internal Server Error|NoneType|KeyError|undefined|stack trace", re.IGNORECASE
)
# Characters nobody sees: blanks that are letters, as messengers' "empty" tricks use.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The gateway's own notices: not an answer of the assistant.
GATEWAY_NOTICES = frozenset(
    {
        texts.BUSY,
        texts.NO_ANSWER,
        texts.SERVER_ERROR,
        texts.TOO_FAST,
        texts.EMPTY,
        texts.BAD_REQUEST,
        TOO_LONG_NOTICE,
        telegram_texts.BUSY,
        telegram_texts.TEXT_ONLY,
        telegram_texts.UNKNOWN_COMMAND,
        telegram_texts.BUTTON_EXPIRED,
    }
)
REPLY_KEYS = {"id", "from", "author", "text", "buttons", "time"}


def is_vietnamese(text: str) -> bool:
    """Readable Vietnamese: NFC, with diacritics, no error jargon."""
    return (
        bool(text.strip())
        and unicodedata.is_normalized("NFC", text)
        and _VIETNAMESE.search(text) is not None
        and _LEAKS.search(text) is None
    )


def invisible(text: str) -> list[str]:
    """The characters of ``text`` nobody sees (controls but tab and newline, format marks, blanks)."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in "\t\n") or c in _BLANK_LETTERS
    ]


def notice_of(expect: Expect) -> str:
    return TOO_LONG_NOTICE if expect is Expect.TOO_LONG else NOTICES[expect]


def check_reply_body(body: Any) -> None:
    """``{"replies": [...]}`` as ``docs/openapi.yaml`` describes it."""
    assert isinstance(body, dict) and isinstance(body.get("replies"), list), body
    for reply in body["replies"]:
        assert set(reply) == REPLY_KEYS, reply
        assert reply["from"] == "bot" and isinstance(reply["text"], str) and isinstance(reply["id"], str)
        assert all(set(b) == {"title", "payload"} for b in reply["buttons"]), reply


def check_answer(replies: list[str], contains: str = "") -> None:
    """The assistant's own answer: Vietnamese, not one of the gateway's notices."""
    shown = [r for r in replies if r]
    assert shown, "no reply"
    for reply in shown:
        assert is_vietnamese(reply), reply
        assert reply not in GATEWAY_NOTICES, reply
    assert contains.lower() in "\n".join(shown).lower(), (contains, shown)


def rows_of(engine: Engine, sender_id: str) -> list[ConversationMessage]:
    """The conversation log of one sender, oldest first."""
    with Session(engine) as session:
        return list(
            session.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.sender_id == sender_id)
                .order_by(ConversationMessage.id)
            )
        )


def check_log(engine: Engine, sender_id: str, incoming: list[str]) -> None:
    """The log holds exactly ``incoming`` from the citizen, each answered, nothing invisible."""
    rows = rows_of(engine, sender_id)
    assert [r.text for r in rows if r.direction == "in"] == incoming
    for row in rows:
        if row.direction == "in":
            assert not invisible(row.text), (row.id, invisible(row.text))
            assert unicodedata.is_normalized("NFC", row.text), row.id
    answered = {r.reply_to_id for r in rows if r.direction == "out"}
    assert all(r.id in answered for r in rows if r.direction == "in"), "a stored message without its answer"


def inbox_texts(engine: Engine, patterns: tuple[str, ...]) -> list[tuple[str, str]]:
    """(sender, text) of the inbox items of the senders matching ``patterns`` (SQL LIKE)."""
    with Session(engine) as session:
        items = session.scalars(
            select(InboxItem).where(or_(*(InboxItem.sender_id.like(p) for p in patterns)))
        )
        return [(item.sender_id, item.text) for item in items]
