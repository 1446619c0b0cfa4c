"""The public JSON API, used by the web widget and by integrations.

``POST /api/v1/messages`` takes ``{"sender", "text", "message_id"}`` and
answers the assistant's replies; ``GET /api/v1/history/{sender}`` gives the
conversation back (the widget after a reload). A sender is a session id the
client made up: 16 to 64 letters, digits, ``-`` or ``_``, stored as
``web:<id>``. It is the only key to the history, so it must be random; a
Telegram conversation (``tg:...``) cannot be reached from here. The contract
is ``docs/openapi.yaml``, served at ``/api/docs``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from typing import Any

from aiohttp import web

from bot import inputs, texts
from bot.conversations import TooFastError
from bot.state import CONVERSATIONS, LOG, SETTINGS
from bot.static_files import DOCS_DIR

logger = logging.getLogger(__name__)

# Vietnamese as UTF-8 in the answers, not \u escapes.
_dumps = functools.partial(json.dumps, ensure_ascii=False)
SENDER = re.compile(r"[A-Za-z0-9_-]{16,64}")
MESSAGE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
MAX_BODY_BYTES = 64 * 1024


def error(status: int, code: str, message: str) -> web.Response:
    """A JSON error with a Vietnamese message for the citizen."""
    return web.json_response({"error": code, "message": message}, status=status, dumps=_dumps)


def web_sender(raw: Any) -> str | None:
    """The stored sender id of a client's session id, or None if it is not one."""
    return f"web:{raw}" if isinstance(raw, str) and SENDER.fullmatch(raw) else None


def _too_large(request: web.Request) -> web.Response:
    """A body this large carries a text far over the limit: the citizen is told so."""
    return error(413, "too_large", inputs.too_long(request.app[SETTINGS].max_message_chars))


async def post_message(request: web.Request) -> web.Response:
    """One message in, the replies out."""
    if request.content_type != "application/json":
        return error(415, "unsupported_media_type", texts.BAD_REQUEST)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _too_large(request)
    try:
        raw = await request.content.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            return _too_large(request)
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        return error(400, "bad_json", texts.BAD_REQUEST)
    if not isinstance(body, dict):
        return error(400, "bad_json", texts.BAD_REQUEST)
    sender = web_sender(body.get("sender"))
    if sender is None:
        return error(422, "bad_sender", texts.BAD_SENDER)
    text = body.get("text")
    if not isinstance(text, str):
        return error(422, "bad_text", texts.BAD_REQUEST)
    message_id = body.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)):
        return error(422, "bad_message_id", texts.BAD_REQUEST)
    try:
        replies = await request.app[CONVERSATIONS].handle(sender, text, message_id)
    except TooFastError:
        return error(429, "too_many_messages", texts.TOO_FAST)
    return web.json_response({"replies": [reply.to_json() for reply in replies]}, dumps=_dumps)


async def get_history(request: web.Request) -> web.Response:
    """The conversation of a web session, oldest first."""
    sender = web_sender(request.match_info["sender"])
    if sender is None:
        return error(422, "bad_sender", texts.BAD_SENDER)
    messages = await asyncio.to_thread(request.app[LOG].history, sender)
    return web.json_response({"messages": [m.to_json() for m in messages]}, dumps=_dumps)


async def openapi(request: web.Request) -> web.FileResponse:
    """The API's OpenAPI description."""
    return web.FileResponse(DOCS_DIR / "openapi.yaml", headers={"Content-Type": "application/yaml"})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/v1/messages", post_message)
    app.router.add_get("/api/v1/history/{sender}", get_history)
    app.router.add_get("/api/docs", openapi)
