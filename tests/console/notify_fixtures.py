"""Helpers of the dossier-notification browser tests: a Telegram citizen driven through the
Bot API stand-in, signed pushes of the one-stop system, and reads of what the database holds."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.dossier_events import PATH, sign
from knowledge.db import make_engine, make_session_factory
from knowledge.demo import DemoDossier, phone_of
from knowledge.masking import mask_name
from knowledge.models import Dossier, DossierEvent, DossierEventReceipt, Subscription
from tests.conftest import PRISTINE
from tests.console.conftest import add_accounts
from tests.telegram_api import Call, TelegramAPIStandIn, visible_text

# The shared secret of the one-stop system, as the test configures it (at least 16 characters).
SECRET = "mot-cua-bi-mat-thu-nghiem-2026-abcdef"
# The bot's first answer can take a while (Rasa's first prediction); later ones are quick.
ANSWER_TIMEOUT_S = 60.0
# How long a citizen may wait for a notice: the notifier looks every 5 s.
NOTICE_TIMEOUT_S = 15.0
# A phone number, or any long run of digits, in a text meant for a citizen.
LONG_DIGITS = re.compile(r"(?<![\d-])\d(?:[ .]?\d){8,}(?![\d-])")


def private_database(seeded_database_url: str, folder: Path) -> str:
    """A copy of the seeded knowledge base in ``folder``, with one staff account per role."""
    source = Path(str(make_url(seeded_database_url).database)).with_name(PRISTINE)
    target = folder / "console-notify.db"
    shutil.copyfile(source, target)
    url = f"sqlite:///{target}"
    add_accounts(url)
    return url


def buttons(call: Call) -> list[dict[str, str]]:
    """The inline buttons under a sent message."""
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def text_of(call: Call) -> str:
    """What the citizen sees of a sent message."""
    text = str(call.params.get("text", ""))
    return visible_text(text) if str(call.params.get("parse_mode", "")).upper() == "HTML" else text


def personal_data_in(text: str, dossier: DemoDossier) -> list[str]:
    """The applicant's personal data found in ``text`` (empty when there is none)."""
    found = [part for part in (dossier.applicant_name, dossier.phone) if part in text]
    given = dossier.applicant_name.split(maxsplit=1)[1]  # "Văn Thử": the name without its surname
    if given in text:
        found.append(given)
    found.extend(LONG_DIGITS.findall(text))
    return found


@dataclass
class Citizen:
    """A person writing to the bot on Telegram, in chat ``chat``."""

    api: TelegramAPIStandIn
    chat: int

    def messages(self) -> list[Call]:
        return self.api.sent_messages(self.chat)

    async def send(self, update: dict[str, Any]) -> list[Call]:
        """Queue an update; every message the bot sends back, once it has finished answering."""
        before = len(self.messages())
        self.api.queue(update)
        await self.api.wait_for_messages(self.chat, before + 1, timeout=ANSWER_TIMEOUT_S)
        # Some answers are several messages: wait until the chat is quiet for a moment.
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        count = len(self.messages())
        while time.monotonic() < deadline:
            await asyncio.sleep(0.7)
            if len(self.messages()) == count:
                break
            count = len(self.messages())
        return self.messages()[before:]

    async def say(self, text: str) -> list[Call]:
        return await self.send(self.api.message_update(self.chat, text))

    async def press(self, call: Call, title_start: str) -> list[Call]:
        """Press the button of ``call`` whose title starts with ``title_start``."""
        found = [b for b in buttons(call) if b["text"].startswith(title_start)]
        assert found, f"no button {title_start!r} in {[b['text'] for b in buttons(call)]}"
        return await self.send(self.api.callback_update(self.chat, found[0]["callback_data"]))

    async def subscribe(self, dossier: DemoDossier) -> None:
        """Look the dossier up as the bot asks (code, then proof), then ask to be told of changes."""
        asked = await self.say("/tracuu")
        assert any("mã hồ sơ" in text_of(c) for c in asked), [text_of(c) for c in asked]
        asked = await self.say(dossier.receipt_code.lower())
        assert any("4 chữ số cuối" in text_of(c) for c in asked), [text_of(c) for c in asked]
        answer = await self.say(phone_of(dossier.number)[-4:])
        status = next((c for c in answer if dossier.receipt_code in text_of(c)), None)
        assert status is not None, [text_of(c) for c in answer]
        shown = text_of(status)
        # The answer names the applicant by initials only, and never shows the phone.
        assert mask_name(dossier.applicant_name) in shown, shown
        assert not personal_data_in(shown, dossier), shown
        confirmed = await self.press(status, "🔔")
        assert any("Đã đăng ký" in text_of(c) for c in confirmed), [text_of(c) for c in confirmed]
        assert self.api.calls_to("answerCallbackQuery")

    async def notice(self, code: str, since: float, timeout: float = NOTICE_TIMEOUT_S) -> Call:
        """The first notice about dossier ``code`` this chat received after ``since`` (monotonic)."""

        def is_notice(call: Call) -> bool:
            return (
                call.ok
                and call.at >= since
                and call.params.get("chat_id") == self.chat
                and text_of(call).startswith(f"🔔 Hồ sơ {code}")
            )

        calls = await self.api.wait_for_calls("sendMessage", where=is_notice, timeout=timeout)
        return calls[0]


@dataclass(frozen=True)
class Pushed:
    """The answer of the gateway to one push."""

    status: int
    body: dict[str, Any]


def signed(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """The headers of a push of ``body`` signed with ``secret``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "X-Timestamp": str(stamp),
        "X-Signature": sign(secret, stamp, body),
    }


async def push(base_url: str, body: bytes, headers: dict[str, str]) -> Pushed:
    """POST ``body`` with ``headers`` to the gateway's dossier-events endpoint."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(base_url + PATH, data=body, headers=headers) as response,
    ):
        return Pushed(response.status, await response.json())


@dataclass(frozen=True)
class Stored:
    """What the database holds about one dossier."""

    status: str
    events: list[tuple[str, str | None, str | None]]  # (status, note, source), oldest first
    supplements: list[str]
    receipts: int  # the one-stop system's events stored, for any dossier
    subscribers: list[str]  # sender ids of the active subscriptions


def stored(database_url: str, code: str) -> Stored:
    """Read the dossier ``code`` and the stored pushes from ``database_url``."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            dossier = session.scalars(select(Dossier).where(Dossier.receipt_code == code)).one()
            events = session.execute(
                select(DossierEvent.status, DossierEvent.note, DossierEvent.source)
                .where(DossierEvent.dossier_id == dossier.id)
                .order_by(DossierEvent.id)
            ).all()
            subscribers = session.scalars(
                select(Subscription.sender_id).where(
                    Subscription.dossier_id == dossier.id, Subscription.is_active.is_(True)
                )
            ).all()
            receipts = session.scalar(select(func.count(DossierEventReceipt.id))) or 0
            return Stored(
                status=dossier.status,
                events=[tuple(row) for row in events],  # type: ignore[misc]
                supplements=list(dossier.supplement_request or []),
                receipts=receipts,
                subscribers=list(subscribers),
            )
    finally:
        engine.dispose()
