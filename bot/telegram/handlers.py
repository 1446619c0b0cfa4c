"""What the bot does with each kind of update: commands, texts, buttons, everything else.

Only new messages and button presses are handled. Edited messages are
ignored on purpose: the assistant has already answered the original, and
answering the edit too would give a second, out-of-order answer (and could
feed a half-finished form a value twice). Channel posts are ignored too.
"""

from __future__ import annotations

import logging
import re

from telegram import Chat, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.replies import Converse, Reply
from bot.sender_locks import KeyedLocks
from bot.telegram import texts
from bot.telegram.delivery import Delivery
from bot.telegram.payloads import PayloadStore
from bot.telegram.privacy import chat_ref
from bot.telegram.typing_indicator import typing_indicator

logger = logging.getLogger(__name__)

# The updates the bot asks Telegram for (polling and webhook alike).
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)

# What /start and the menu commands say to the assistant.
GREET_PAYLOAD = "/greet"
COMMAND_PAYLOADS = {
    "tracuu": "/check_dossier_status",
    "huy": "/deny",
    "nhanvien": "/human_handoff",
}

NEW_MESSAGE = filters.UpdateType.MESSAGE
GROUP_CHATS = (ChatType.GROUP, ChatType.SUPERGROUP)


def sender_id(chat_id: int) -> str:
    """The gateway's sender id for a Telegram chat."""
    return f"tg:{chat_id}"


def _mention_pattern(username: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)@{re.escape(username)}(?!\w)", re.IGNORECASE)


def addressed_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The text meant for the bot, or None when the message is not addressed to it.

    In a private chat every message is. In a group only a message that
    mentions the bot (``@username``, removed from the text) or replies to one
    of its messages is.
    """
    text = message.text if message.text is not None else (message.caption or "")
    chat_type = message.chat.type
    if chat_type == ChatType.PRIVATE:
        return text
    if chat_type not in GROUP_CHATS:
        return None
    pattern = _mention_pattern(bot_username)
    replied = message.reply_to_message
    replies_to_bot = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    if not (pattern.search(text) or replies_to_bot):
        return None
    return " ".join(pattern.sub(" ", text).split())


class ChatHandlers:
    """The bot's update handlers, talking to the assistant through ``converse``."""

    def __init__(self, converse: Converse, delivery: Delivery, payloads: PayloadStore) -> None:
        self._converse = converse
        self._delivery = delivery
        self._payloads = payloads
        # A chat's messages are answered, and their replies sent, in arrival order, also while
        # Telegram is down and sending is retried (per process: Telegram's updates reach one).
        self._chats = KeyedLocks()

    def register(self, application: Application) -> None:
        """Add every handler, and the error handler, to ``application``."""
        application.add_handler(CommandHandler("start", self.on_start, filters=NEW_MESSAGE))
        application.add_handler(CommandHandler("help", self.on_help, filters=NEW_MESSAGE))
        application.add_handler(
            CommandHandler(list(COMMAND_PAYLOADS), self.on_menu_command, filters=NEW_MESSAGE)
        )
        application.add_handler(MessageHandler(NEW_MESSAGE & filters.COMMAND, self.on_unknown_command))
        application.add_handler(MessageHandler(NEW_MESSAGE & filters.TEXT, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(
            MessageHandler(NEW_MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_other_message)
        )
        application.add_error_handler(self.on_error)

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: the assistant's greeting (with its privacy notice), then the commands."""
        message = update.message
        if message is None:
            return
        replies = await self._ask(context, message, GREET_PAYLOAD)
        if not replies:
            await self._delivery.send_text(message.chat_id, texts.WELCOME)
        await self._delivery.send_text(message.chat_id, texts.COMMANDS_HINT)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help: how to ask, and the commands."""
        if update.message is not None:
            await self._delivery.send_text(update.message.chat_id, texts.HELP)

    async def on_menu_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/tracuu, /huy, /nhanvien: the matching intent; words after the command follow it."""
        message = update.message
        if message is None or not message.text:
            return
        command = message.text.split(maxsplit=1)[0].lstrip("/").split("@", 1)[0].lower()
        payload = COMMAND_PAYLOADS.get(command)
        if payload is None:
            return
        await self._ask(context, message, payload)
        if context.args:
            await self._ask(context, message, " ".join(context.args))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command the bot does not have: point to /help (in groups only if it names the bot)."""
        message = update.message
        if message is None or not message.text:
            return
        if message.chat.type != ChatType.PRIVATE:
            first = message.text.split(maxsplit=1)[0]
            if not first.lower().endswith("@" + context.bot.username.lower()):
                return
        await self._delivery.send_text(message.chat_id, texts.UNKNOWN_COMMAND)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: to the assistant, and its replies back."""
        message = update.message
        if message is None:
            return
        text = addressed_text(message, context.bot.id, context.bot.username)
        if text is None:
            return
        await self._ask(context, message, text or GREET_PAYLOAD)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: acknowledge it, then send its payload to the assistant."""
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None:
            return
        payload = self._payloads.decode(query.data or "")
        try:
            await query.answer(text=texts.BUTTON_EXPIRED if payload is None else None)
        except TelegramError as error:
            # A press older than Telegram's answer window still deserves an answer.
            logger.info("callback query not answered: %s", type(error).__name__)
        if payload:
            await self._answer(context, chat, payload)

    async def on_other_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, stickers, voice, files, locations...: say that only text is read."""
        message = update.message
        if message is None:
            return
        if addressed_text(message, context.bot.id, context.bot.username) is None:
            return
        await self._delivery.send_text(message.chat_id, texts.TEXT_ONLY, reply_to=self._reply_to(message))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log an unexpected error (never the user's text) and tell the user to retry."""
        error = context.error
        logger.error("telegram update failed: %s", type(error).__name__, exc_info=error)
        if isinstance(update, Update) and update.effective_chat is not None:
            await self._delivery.send_text(update.effective_chat.id, texts.BUSY)

    async def _ask(self, context: ContextTypes.DEFAULT_TYPE, message: Message, text: str) -> list[Reply]:
        return await self._answer(context, message.chat, text, reply_to=self._reply_to(message))

    async def _answer(
        self, context: ContextTypes.DEFAULT_TYPE, chat: Chat, text: str, reply_to: int | None = None
    ) -> list[Reply]:
        """Send ``text`` to the assistant while showing "typing…", then send its replies."""
        async with self._chats.hold(str(chat.id)):
            async with typing_indicator(context.bot, chat.id):
                replies = await self._converse(sender_id(chat.id), text)
            logger.debug("chat %s: %d replies", chat_ref(chat.id), len(replies))
            for index, reply in enumerate(replies):
                await self._delivery.send_reply(chat.id, reply, reply_to=reply_to if index == 0 else None)
        return replies

    @staticmethod
    def _reply_to(message: Message) -> int | None:
        # In a group, answers quote the question so everyone sees what they answer.
        return message.message_id if message.chat.type in GROUP_CHATS else None
