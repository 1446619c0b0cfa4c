"""Turning the assistant's replies into Telegram messages: HTML, length, keyboards."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.replies import Button
from bot.telegram.payloads import PayloadStore

MAX_MESSAGE_LENGTH: int = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted after HTML parsing
# Two buttons share a row when both titles are at most this long.
SHORT_TITLE = 20


def escape(text: str) -> str:
    """Text made safe for ``parse_mode=HTML``; URLs stay plain text (Telegram links them)."""
    return html.escape(text, quote=False)


def _length(text: str) -> int:
    # Telegram counts UTF-16 code units; outside the BMP a character counts twice.
    return len(text.encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = _length(char)
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """``text`` cut into messages of at most ``limit`` characters, at line breaks when possible.

    A single line longer than ``limit`` is cut wherever the limit falls.
    Blank parts are dropped.
    """
    if _length(text) <= limit:
        return [text] if text.strip() else []
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if _length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if _length(line) <= limit:
            current = line
        else:
            *full, current = _hard_split(line, limit)
            parts.extend(full)
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def build_keyboard(buttons: Sequence[Button], payloads: PayloadStore) -> InlineKeyboardMarkup | None:
    """An inline keyboard: one button per row, two per row when both titles are short."""
    if not buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    pending: InlineKeyboardButton | None = None
    for button in buttons:
        key = InlineKeyboardButton(button.title, callback_data=payloads.encode(button.payload))
        if len(button.title) > SHORT_TITLE:
            if pending is not None:
                rows.append([pending])
                pending = None
            rows.append([key])
        elif pending is None:
            pending = key
        else:
            rows.append([pending, key])
            pending = None
    if pending is not None:
        rows.append([pending])
    return InlineKeyboardMarkup(rows)
