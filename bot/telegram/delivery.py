"""Sending messages to Telegram reliably: flood control, retries, permanent failures.

Every message the channel sends (answers and notifications) goes through
:class:`Delivery`, which never raises: it returns whether Telegram accepted
the message and logs (without the text) when it gives up.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.replies import Reply
from bot.telegram import texts
from bot.telegram.formatting import build_keyboard, escape, split_text
from bot.telegram.payloads import PayloadStore
from bot.telegram.privacy import chat_ref

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: ``attempts`` in all, backoff from ``base_delay`` doubling up to ``max_delay``.

    The default keeps trying for about two minutes (1, 2, 4, 8, then every 15 s), so
    that a reply outlives a short outage of the Bot API (5xx, no connection) instead
    of being lost. A flood-control wait longer than ``max_retry_after`` seconds is
    not waited for.
    """

    attempts: int = 12
    base_delay: float = 1.0
    max_delay: float = 15.0
    max_retry_after: float = 120.0

    def backoff(self, attempt: int) -> float:
        """The delay after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.base_delay * 2 ** (attempt - 1), self.max_delay))


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds Telegram asked us to wait, whatever type this library version reports."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


class Delivery:
    """Sends texts and replies to chats through ``bot``, retrying what can be retried."""

    def __init__(
        self,
        bot: Bot,
        payloads: PayloadStore,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._payloads = payloads
        self.policy = policy or RetryPolicy()
        self._sleep = sleep

    async def send_text(
        self,
        chat_id: int | str,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
        policy: RetryPolicy | None = None,
    ) -> bool:
        """Send plain ``text`` (escaped here, split when too long); buttons go on the last part."""
        parts = split_text(text)
        if not parts:
            if reply_markup is None:
                return True
            parts = [texts.CHOOSE]
        delivered = True
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await self.send_html(
                chat_id,
                escape(part),
                reply_markup=reply_markup if last else None,
                reply_to=reply_to if index == 0 else None,
                policy=policy,
            )
            if sent is None:
                delivered = False
                break
            chat_id = sent.chat_id
        return delivered

    async def send_reply(self, chat_id: int | str, reply: Reply, *, reply_to: int | None = None) -> bool:
        """Send one of the assistant's replies, its buttons as an inline keyboard."""
        keyboard = build_keyboard(reply.buttons, self._payloads)
        return await self.send_text(chat_id, reply.text, reply_markup=keyboard, reply_to=reply_to)

    async def send_html(
        self,
        chat_id: int | str,
        html_text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
        policy: RetryPolicy | None = None,
    ) -> Message | None:
        """Send one HTML message of legal length; the sent message, or None after giving up."""
        policy = policy or self.policy
        reply_parameters = (
            ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to is not None else None
        )
        for attempt in range(1, policy.attempts + 1):
            try:
                return await self._bot.send_message(
                    chat_id,
                    html_text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply_markup,
                    reply_parameters=reply_parameters,
                )
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if wait > policy.max_retry_after:
                    return self._give_up(chat_id, f"flood control asks for {wait:.0f} s")
                delay = wait
            except ChatMigrated as error:
                # A group became a supergroup: it has a new id, try there at once.
                chat_id = error.new_chat_id
                continue
            except BadRequest as error:
                return self._give_up(chat_id, f"rejected ({error.message})")
            except NetworkError as error:
                delay = policy.backoff(attempt)
                logger.info("telegram send to %s failed (%s), attempt %d", chat_ref(chat_id), error, attempt)
            except TelegramError as error:
                # Forbidden (bot blocked), InvalidToken, Conflict...: retrying will not help.
                return self._give_up(chat_id, f"{type(error).__name__}: {error.message}")
            except Exception as error:
                logger.exception("telegram send to %s failed unexpectedly", chat_ref(chat_id))
                return self._give_up(chat_id, type(error).__name__)
            if attempt < policy.attempts:
                await self._sleep(delay)
        return self._give_up(chat_id, f"no success after {policy.attempts} attempts")

    @staticmethod
    def _give_up(chat_id: int | str, reason: str) -> None:
        logger.warning("telegram message to %s not delivered: %s", chat_ref(chat_id), reason)
        return None
