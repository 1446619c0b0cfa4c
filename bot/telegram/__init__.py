"""The Telegram channel of the gateway (python-telegram-bot 22)."""

from bot.telegram.channel import WEBHOOK_PATH, TelegramChannel, TelegramConfigError
from bot.telegram.delivery import RetryPolicy
from bot.telegram.routes import TELEGRAM_CHANNEL, add_webhook_route, setup_telegram

__all__ = [
    "TELEGRAM_CHANNEL",
    "WEBHOOK_PATH",
    "RetryPolicy",
    "TelegramChannel",
    "TelegramConfigError",
    "add_webhook_route",
    "setup_telegram",
]
