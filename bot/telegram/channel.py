"""The Telegram channel: one python-telegram-bot Application, polling or behind our webhook.

Without ``public_url`` the bot polls Telegram (development). With it, Telegram
posts updates to ``{public_url}/telegram/webhook`` on the gateway, which checks
the secret token on every call and queues the update for the Application.
An update Telegram delivers again (it retries when a gateway was slow to
answer, and the retry may reach another gateway) is taken once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Sequence

from aiohttp import web
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import Application, Defaults

from bot.dedup import Deduplicator, SeenMarks
from bot.replies import Button, Converse
from bot.telegram import texts
from bot.telegram.delivery import Delivery, RetryPolicy
from bot.telegram.formatting import build_keyboard
from bot.telegram.handlers import ALLOWED_UPDATES, ChatHandlers
from bot.telegram.payloads import PayloadStore
from bot.telegram.privacy import chat_ref
from knowledge.settings import Settings

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
WEBHOOK_CHECK_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What Telegram accepts as a webhook secret token.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Notices are tried briefly: the notifier tries an undelivered one again next round
# (a round must stay well within its lease, or another gateway could send it too).
NOTICE_RETRY = RetryPolicy(attempts=3, base_delay=1.0, max_delay=2.0)
# First and longest pause between attempts to reach Telegram when it is down at start.
STARTUP_RETRY_S = 15.0
STARTUP_RETRY_MAX_S = 300.0
# How long an update id is remembered: Telegram keeps an undelivered update for 24 hours.
UPDATE_SEEN_TTL_S = 24 * 3600.0


class TelegramConfigError(ValueError):
    """The settings do not allow the Telegram channel to run."""


def parse_chat_id(chat_id: int | str) -> int | str:
    """A Telegram chat id from an int, ``"123"``, or a sender id ``"tg:123"``."""
    if isinstance(chat_id, int):
        return chat_id
    value = chat_id.removeprefix("tg:").strip()
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"@\w{4,}", value):
        return value
    raise ValueError("not a Telegram chat id")


class TelegramChannel:
    """The Telegram bot of the gateway.

    Built from the settings and the gateway's ``converse``; the gateway calls
    :meth:`start` and :meth:`stop` (see :meth:`lifespan`), routes
    ``POST /telegram/webhook`` to :meth:`handle_webhook` in webhook mode, and
    calls :meth:`notify` to message a citizen first.
    """

    def __init__(
        self,
        settings: Settings,
        converse: Converse,
        *,
        retry: RetryPolicy | None = None,
        notice_retry: RetryPolicy = NOTICE_RETRY,
        payload_capacity: int = 10_000,
        startup_retry_s: float = STARTUP_RETRY_S,
        seen: Deduplicator | None = None,
    ) -> None:
        if not settings.telegram_token:
            raise TelegramConfigError("Telegram is off: set TELEGRAM_TOKEN to the bot's token")
        # The bot's id (the token's public part) keeps two bots sharing a Redis apart.
        self._bot_key = settings.telegram_token.split(":", 1)[0]
        self._seen: Deduplicator = seen if seen is not None else SeenMarks()
        self.webhook_url: str | None = None
        self._secret = settings.telegram_webhook_secret or ""
        if settings.public_url:
            if not SECRET_PATTERN.fullmatch(self._secret):
                raise TelegramConfigError(
                    "PUBLIC_URL is set, so Telegram will use a webhook: set TELEGRAM_WEBHOOK_SECRET "
                    "to 1-256 characters among A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`)"
                )
            self.webhook_url = settings.public_url.rstrip("/") + WEBHOOK_PATH
        self._startup_retry_s = startup_retry_s
        _keep_token_out_of_logs()

        builder = (
            Application.builder()
            .token(settings.telegram_token)
            .base_url(settings.telegram_api_url)
            .defaults(
                Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
            )
            # Citizens must not wait for each other; the gateway keeps each one's messages in order.
            .concurrent_updates(True)
        )
        if self.webhook_url:
            builder = builder.updater(None)
        self.application = builder.build()
        self.payloads = PayloadStore(payload_capacity)
        self.delivery = Delivery(self.application.bot, self.payloads, retry)
        self.notice_policy = notice_retry
        ChatHandlers(converse, self.delivery, self.payloads).register(self.application)
        self._ready = False
        self._retry_task: asyncio.Task[None] | None = None

    @property
    def mode(self) -> str:
        """``"webhook"`` or ``"polling"``."""
        return "webhook" if self.webhook_url else "polling"

    @property
    def ready(self) -> bool:
        """Whether the bot is connected to Telegram and handling updates."""
        return self._ready

    async def start(self) -> None:
        """Connect to Telegram, set the command menu, and start receiving updates.

        A misconfiguration (bad token, a webhook URL Telegram refuses) raises.
        When Telegram is only unreachable, the gateway starts anyway and the
        bot keeps trying in the background.
        """
        try:
            await self._bring_up()
        except BadRequest:
            raise
        except NetworkError as error:
            logger.warning("Telegram unreachable at start (%s); retrying in the background", error)
            self._retry_task = asyncio.create_task(self._bring_up_later())

    async def stop(self) -> None:
        """Stop receiving updates, finish the ones in progress, and close the connections.

        The webhook stays registered: Telegram keeps the updates until the
        gateway is back (or another instance takes them).
        """
        if self._retry_task is not None:
            self._retry_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry_task
            self._retry_task = None
        self._ready = False
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """For ``app.cleanup_ctx``: the bot runs while the gateway does."""
        await self.start()
        yield
        await self.stop()

    async def handle_webhook(self, request: web.Request) -> web.Response:
        """``POST /telegram/webhook``: an update from Telegram, checked and queued."""
        given = request.headers.get(WEBHOOK_CHECK_HEADER, "")
        if not self._secret or not hmac.compare_digest(given.encode(), self._secret.encode()):
            logger.warning("telegram webhook call refused: wrong or missing secret token")
            return web.Response(status=403, text="forbidden")
        if not self._ready:
            return web.Response(status=503, text="not ready")
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.Response(status=400, text="invalid JSON")
        if not isinstance(data, dict):
            return web.Response(status=400, text="not an update")
        try:
            update = Update.de_json(data, self.application.bot)
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("telegram webhook: malformed update (%s)", type(error).__name__)
            return web.Response(status=400, text="not an update")
        if not await self._seen.first(f"tg-update:{self._bot_key}:{update.update_id}", UPDATE_SEEN_TTL_S):
            logger.info("telegram update delivered again: taken once")
            return web.Response(text="ok")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def notify(self, chat_id: int | str, text: str, buttons: Sequence[Button] = ()) -> bool:
        """Send ``text`` (and buttons) to a chat unprompted; whether Telegram took it.

        ``chat_id`` is a Telegram chat id or a sender id ``"tg:<chat_id>"``.
        Flood control and network errors are retried; a blocked bot or a
        refused message gives up. Never raises.
        """
        try:
            target = parse_chat_id(chat_id)
        except ValueError:
            logger.warning("telegram notification not sent: invalid chat id")
            return False
        if not self._ready:
            logger.warning("telegram notification to %s not sent: bot not connected", chat_ref(target))
            return False
        try:
            keyboard = build_keyboard(buttons, self.payloads)
            return await self.delivery.send_text(
                target, text, reply_markup=keyboard, policy=self.notice_policy
            )
        except Exception:
            logger.exception("telegram notification to %s failed", chat_ref(target))
            return False

    async def _bring_up(self) -> None:
        application = self.application
        await application.initialize()
        await self._set_commands()
        if self.webhook_url:
            await application.bot.set_webhook(
                self.webhook_url, secret_token=self._secret, allowed_updates=list(ALLOWED_UPDATES)
            )
        elif application.updater is not None and not application.updater.running:
            await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
        await application.start()
        self._ready = True
        logger.info("telegram bot @%s running (%s)", application.bot.username, self.mode)

    async def _bring_up_later(self) -> None:
        delay = self._startup_retry_s
        while True:
            await asyncio.sleep(delay)
            try:
                await self._bring_up()
            except BadRequest as error:
                logger.error("telegram bot not started: %s", error)
                return
            except NetworkError as error:
                delay = min(delay * 2, STARTUP_RETRY_MAX_S)
                logger.warning("Telegram still unreachable (%s); next try in %.0f s", error, delay)
            except Exception:
                logger.exception("telegram bot not started")
                return
            else:
                return

    async def _set_commands(self) -> None:
        commands = [BotCommand(command, description) for command, description in texts.COMMANDS]
        try:
            await self.application.bot.set_my_commands(commands)
        except TelegramError as error:
            # The bot works without its menu; do not stop for it.
            logger.warning("telegram command menu not set: %s", error)


def _keep_token_out_of_logs() -> None:
    # httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:
        httpx_logger.setLevel(logging.WARNING)
