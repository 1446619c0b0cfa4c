"""One citizen message through the gateway: checks, order, Rasa, the log.

Every channel hands messages to :meth:`Conversations.handle`. Messages of one
sender are processed one at a time, in arrival order; different senders run
in parallel. With several gateways the rate limit, the order and the
recognition of a message sent again hold across them (:mod:`bot.coordination`).
The citizen always gets a reply: the assistant's, or a clear notice when the
text is refused, the sender is too fast, the conversation waits for a person,
the previous message is still not answered, Rasa or the action server is down
or slow, or the conversation log cannot store the message (logged, never a
stack trace).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot import inputs, texts
from bot.coordination import Coordination
from bot.message_log import BOT, SYSTEM, Logged, MessageLog
from bot.rasa_client import RasaClient, RasaUnavailableError
from bot.replies import Button, Reply
from bot.sender_locks import KeyedLocks, SenderBusyError
from knowledge.inbox import channel_of

logger = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["Conversations", "KeyedLocks", "TooFastError"]

# How long a client's message id is recognised when sent again (the log keeps it for good).
MESSAGE_ID_TTL_S = 3600.0
# Replies the log could not store (the database down just after the question was stored) are
# stored later: tried again this often, for this long.
LOG_RETRY_EVERY_S = 2.0
LOG_RETRY_S = 600.0


class TooFastError(Exception):
    """The sender is over its rate limit: the message was not processed (may be sent again)."""


def _unlogged(replies: list[Reply], author: str = SYSTEM) -> list[Logged]:
    """Replies to send although the log could not store them (id 0)."""
    now = datetime.now(UTC)
    return [Logged(0, "out", author, reply, now) for reply in replies]


class Conversations:
    """The gateway's conversations with Rasa, for every channel."""

    def __init__(
        self,
        rasa: RasaClient,
        log: MessageLog,
        max_chars: int,
        coordination: Coordination,
        actions_up: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self._rasa = rasa
        self._actions_up = actions_up
        self._later: set[asyncio.Task[None]] = set()
        self._log = log
        self._max_chars = max_chars
        self._limiter = coordination.limiter
        self._seen = coordination.seen
        self._locks = coordination.locks

    async def converse(self, sender_id: str, text: str) -> list[Reply]:
        """The replies to one message (the channels' :data:`bot.replies.Converse`)."""
        try:
            return [logged.reply for logged in await self.handle(sender_id, text)]
        except TooFastError:
            return [Reply(texts.TOO_FAST)]

    async def handle(self, sender_id: str, text: str, client_message_id: str | None = None) -> list[Logged]:
        """Process one message of ``sender_id``; a repeated ``client_message_id`` is answered once.

        A message sent again (same ``client_message_id``, on any gateway) does
        not count against the rate limit; it waits for the first to finish and
        gets its answer from the log. Raises :class:`TooFastError` when the
        sender is over its rate limit.
        """
        checked = inputs.check(text, self._max_chars)
        if checked.refusal:
            return _unlogged([Reply(checked.refusal)])
        mark = f"msg:{sender_id}:{client_message_id}" if client_message_id else None
        again = mark is not None and not await self._seen.first(mark, MESSAGE_ID_TTL_S)
        if not again and not await self._limiter.allow(sender_id):
            logger.info("rate limit reached on %s", channel_of(sender_id))
            if mark is not None:
                await self._seen.forget(mark)
            raise TooFastError
        try:
            async with self._locks.hold(sender_id):
                logged = await self._process(sender_id, checked.text, client_message_id)
        except SenderBusyError:
            logger.warning("a %s message waited too long for the previous one", channel_of(sender_id))
            logged = _unlogged([Reply(texts.BUSY)])
        if mark is not None and all(m.author == SYSTEM for m in logged):
            await self._seen.forget(mark)  # only a notice: a retry is processed again
        return logged

    async def _process(self, sender_id: str, text: str, client_message_id: str | None) -> list[Logged]:
        """Log the message, ask Rasa (unless it was answered before), log the replies."""
        stored = await self._store(self._log.incoming, sender_id, text, client_message_id)
        if stored is None:
            # Not kept, so not processed either: the citizen is told to send it again (a client
            # may resend the same message id), rather than answered with nothing on record.
            return _unlogged([Reply(texts.BUSY)])
        message_id, earlier = stored
        if earlier and any(r.author != SYSTEM for r in earlier):
            return earlier  # the same message again: the same answer, not a second one
        if earlier:
            await self._store(self._log.forget_replies, message_id)
        started = time.perf_counter()
        replies, author = await self._ask_rasa(sender_id, text)
        elapsed_ms = (time.perf_counter() - started) * 1000
        write = functools.partial(
            self._log.outgoing, sender_id, replies, reply_to=message_id, response_ms=elapsed_ms, author=author
        )
        logged = await self._store(write)
        if logged is None:  # answered all the same; the log gets the replies when it can
            self._store_later(write)
            return _unlogged(replies, author)
        return logged

    def _store_later(self, write: Callable[[], object]) -> None:
        task = asyncio.create_task(self._retry(write))
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    @staticmethod
    async def _retry(write: Callable[[], object]) -> None:
        """Try ``write`` again every few seconds until the database takes it, or give up."""
        deadline = time.monotonic() + LOG_RETRY_S
        while time.monotonic() < deadline:
            await asyncio.sleep(LOG_RETRY_EVERY_S)
            try:
                await asyncio.to_thread(write)
            except SQLAlchemyError:
                continue
            logger.info("replies stored in the conversation log after it came back")
            return
        logger.error("replies not stored in the conversation log: it was unavailable for %.0f s", LOG_RETRY_S)

    async def _ask_rasa(self, sender_id: str, text: str) -> tuple[list[Reply], str]:
        try:
            replies = await self._rasa.send(sender_id, text)
            if replies:
                return replies, BOT
            if await self._rasa.is_paused(sender_id):
                return [Reply(texts.WITH_STAFF, (Button(texts.BUTTON_RESUME, "/restart"),))], SYSTEM
            if self._actions_up is not None and not await self._actions_up():
                # Rasa answers nothing when the action it chose cannot run: not "no answer", busy.
                logger.warning("actions down: a %s message got the busy notice", channel_of(sender_id))
                return [Reply(texts.BUSY)], SYSTEM
            return [Reply(texts.NO_ANSWER)], SYSTEM
        except RasaUnavailableError as error:
            logger.warning("Rasa unavailable for a %s message: %s", channel_of(sender_id), error)
            return [Reply(texts.BUSY)], SYSTEM

    async def _store(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a log function in a worker thread; a database failure is logged, not fatal."""
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except SQLAlchemyError:
            logger.exception("the conversation log is unavailable; the message is answered unlogged")
            return None
