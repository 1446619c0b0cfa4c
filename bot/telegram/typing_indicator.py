"""The "typing…" indicator shown while the assistant prepares an answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

logger = logging.getLogger(__name__)

# Telegram shows a chat action for about 5 seconds; renew it a little sooner.
RENEW_EVERY_S = 4.0
# The answer waits at most this long for the first indicator to go out.
FIRST_WAIT_S = 2.0


async def _send(bot: Bot, chat_id: int) -> None:
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:
        # Cosmetic only: never let it break the answer.
        logger.debug("chat action not sent: %s", type(error).__name__)


async def _renew(bot: Bot, chat_id: int) -> None:
    while True:
        await asyncio.sleep(RENEW_EVERY_S)
        await _send(bot, chat_id)


@contextlib.asynccontextmanager
async def typing_indicator(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in ``chat_id`` while the block runs.

    The first indicator is sent alongside the block, and is let finish before
    the block's answer goes out, so it never shows up after the answer.
    """
    first = asyncio.create_task(_send(bot, chat_id))
    renewal = asyncio.create_task(_renew(bot, chat_id))
    try:
        yield
    finally:
        renewal.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewal
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(first, FIRST_WAIT_S)
