"""Plugging the Telegram channel into the gateway's aiohttp application."""

from __future__ import annotations

from aiohttp import web

from bot.dedup import Deduplicator
from bot.replies import Converse
from bot.telegram.channel import WEBHOOK_PATH, TelegramChannel
from knowledge.settings import Settings

TELEGRAM_CHANNEL = web.AppKey("telegram_channel", TelegramChannel)


def add_webhook_route(app: web.Application, channel: TelegramChannel) -> None:
    """Route ``POST /telegram/webhook`` to ``channel``."""
    app.router.add_post(WEBHOOK_PATH, channel.handle_webhook)


def setup_telegram(
    app: web.Application, settings: Settings, converse: Converse, seen: Deduplicator | None = None
) -> TelegramChannel | None:
    """Add the Telegram channel to ``app`` when a token is set; None when Telegram is off.

    The channel is kept as ``app[TELEGRAM_CHANNEL]``, runs in ``app.cleanup_ctx``,
    and gets its webhook route when ``public_url`` is set. ``seen`` marks the
    updates already taken (shared by the gateways when Redis is).
    """
    if not settings.telegram_token:
        return None
    channel = TelegramChannel(settings, converse, seen=seen)
    app[TELEGRAM_CHANNEL] = channel
    if channel.webhook_url:
        add_webhook_route(app, channel)
    app.cleanup_ctx.append(channel.lifespan)
    return channel
