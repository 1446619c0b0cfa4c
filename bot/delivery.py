"""Messages the citizen did not ask for: dossier updates, staff answers.

Each is stored in the conversation log first (the widget shows it from
there), then pushed on the citizen's channel: Telegram sends it now; the
web widget picks it up from the history. ``send`` says whether the message
reached the channel, so the caller can try again later rather than lose it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.message_log import SYSTEM, MessageLog
from bot.replies import Reply
from knowledge.inbox import channel_of

logger = logging.getLogger(__name__)

# Sends a reply to a Telegram chat id; True once Telegram accepted it.
TelegramSend = Callable[[str, Reply], Awaitable[bool]]


class Delivery:
    """Push a reply to a sender on their channel."""

    def __init__(self, log: MessageLog) -> None:
        self._log = log
        self.telegram: TelegramSend | None = None

    async def send(self, sender_id: str, reply: Reply, author: str = SYSTEM) -> bool:
        """Deliver ``reply`` to ``sender_id``; False when it must be tried again."""
        channel = channel_of(sender_id)
        if channel == "telegram":
            if self.telegram is None:
                logger.warning("a Telegram message waits: Telegram is not configured")
                return False
            if not await self.telegram(sender_id.partition(":")[2], reply):
                return False
        await asyncio.to_thread(self._log.outgoing, sender_id, [reply], author=author)
        return True
