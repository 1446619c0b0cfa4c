"""A local stand-in of the Telegram Bot API, for tests.

Written from the public Bot API documentation (https://core.telegram.org/bots/api):
it serves ``/bot<token>/<method>`` on a loopback port, answers the methods the
channel uses the way Telegram does (``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": ..., "description": ...}``), records every call,
and lets a test queue incoming updates and make a method fail on purpose.

    async with TelegramAPIStandIn() as api:
        settings = Settings(telegram_token=api.token, telegram_api_url=api.base_url)
        api.queue_text(1001, "xin chào")
        [sent] = await api.wait_for_messages(1001)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

TOKEN = "123456789:TEST-token-for-the-stand-in"
BOT_ID = 123456789
BOT_USERNAME = "tthc_test_bot"
BOT_USER: JSON = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Trợ lý TTHC",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Message ids, unique across chats (Telegram's are per chat; unique is simpler and still valid).
_message_ids = itertools.count(1)
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
# Form fields whose values are plain strings, never JSON (everything else is JSON-encoded).
TEXT_FIELDS = frozenset(
    {"text", "caption", "secret_token", "callback_query_id", "url", "inline_message_id", "action"}
)
# The formatting tags Telegram accepts with parse_mode=HTML.
HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"code", "pre", "blockquote", "tg-emoji"}
)


@dataclass(frozen=True)
class Call:
    """One request the stand-in answered (recorded when answered), and the HTTP status."""

    method: str
    params: JSON
    status: int
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None


class _APIError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class _TelegramHTML(HTMLParser):
    """Checks Telegram's HTML subset and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS and self.error is None:
            self.error = f'Unsupported start tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.visible.append(data)


def _parse_html(text: str) -> str:
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.error:
        raise _APIError(400, f"Bad Request: can't parse entities: {parser.error}")
    return "".join(parser.visible)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str) -> list[JSON]:
    """The entities Telegram would mark: a leading /command and @mentions."""
    found: list[JSON] = []
    command = re.match(r"/\w{1,32}(@\w+)?", text, re.ASCII)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": _utf16_length(command.group())})
    for mention in re.finditer(r"(?<!\w)@\w+", text):
        if not command or mention.start() >= command.end():
            offset, length = _utf16_length(text[: mention.start()]), _utf16_length(mention.group())
            found.append({"type": "mention", "offset": offset, "length": length})
    return found


def _message(chat: JSON, sender: JSON, **fields: Any) -> JSON:
    return {"message_id": next(_message_ids), "date": int(time.time()), "chat": chat, "from": sender} | fields


def _person(user_id: int) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": "Công dân"}


class TelegramAPIStandIn:
    """The Bot API on a loopback port, with helpers to drive and inspect it."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.webhook: JSON | None = None
        self.commands: list[JSON] = []
        self.allowed_updates: list[str] | None = None
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._chats: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._open_callbacks: set[str] = set()
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._outages: dict[str, int] = {}  # method -> the status every call gets until mended
        self._changed = asyncio.Condition()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # Running -----------------------------------------------------------------

    def make_app(self) -> web.Application:
        """The aiohttp application serving the API."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    async def start(self) -> None:
        """Serve on a free loopback port; ``base_url`` is then set."""
        self._runner = web.AppRunner(self.make_app(), shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/bot"

    async def close(self) -> None:
        """Wake pending long polls and stop serving."""
        self._closing.set()
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramAPIStandIn:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # Driving -------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429 takes ``retry_after``)."""
        if description is None:
            description = {
                400: "Bad Request: chat not found",
                403: "Forbidden: bot was blocked by the user",
                429: f"Too Many Requests: retry after {retry_after}",
            }.get(status, "Internal Server Error")
        for _ in range(times):
            self._failures[method.lower()].append(_Failure(status, description, retry_after))

    def break_method(self, method: str, status: int = 502) -> None:
        """Answer every call of ``method`` with ``status`` until :meth:`mend_method`."""
        self._outages[method.lower()] = status

    def mend_method(self, method: str) -> None:
        self._outages.pop(method.lower(), None)

    def chat(self, chat_id: int, chat_type: str = "private") -> JSON:
        """The chat object for ``chat_id`` (remembered for the bot's answers)."""
        if chat_id not in self._chats:
            chat: JSON = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = "Công dân"
            else:
                chat["title"] = "Nhóm thử"
            self._chats[chat_id] = chat
        return self._chats[chat_id]

    def message_update(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        reply_to_bot: bool = False,
        photo: bool = False,
        caption: str | None = None,
        edited: bool = False,
    ) -> JSON:
        """An update carrying a new (or edited) message from a person, not queued."""
        chat = self.chat(chat_id, chat_type)
        message = _message(chat, _person(user_id or abs(chat_id)))
        if text is not None:
            message["text"] = text
            if entities := _entities(text):
                message["entities"] = entities
        if photo:
            message["photo"] = [
                {"file_id": "photo-1", "file_unique_id": "u1", "width": 90, "height": 90, "file_size": 1000}
            ]
            if caption is not None:
                message["caption"] = caption
        if reply_to_bot:
            message["reply_to_message"] = _message(chat, BOT_USER, text="Tôi có thể giúp gì cho bạn?")
        if edited:
            message["edit_date"] = int(time.time())
        return {"update_id": next(self._update_ids), "edited_message" if edited else "message": message}

    def callback_update(self, chat_id: int, data: str, *, user_id: int | None = None) -> JSON:
        """An update for a press on a button with ``data`` under a bot message, not queued."""
        chat = self.chat(chat_id)
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": query_id,
                "from": _person(user_id or abs(chat_id)),
                "chat_instance": f"ci-{chat_id}",
                "message": _message(chat, BOT_USER, text="Bạn chọn một mục:"),
                "data": data,
            },
        }

    def queue(self, update: JSON) -> JSON:
        """Make ``update`` available to ``getUpdates``."""
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def queue_text(self, chat_id: int, text: str, **kwargs: Any) -> JSON:
        """Queue a text message from ``chat_id`` (see :meth:`message_update` for options)."""
        return self.queue(self.message_update(chat_id, text, **kwargs))

    def queue_photo(self, chat_id: int, caption: str | None = None, **kwargs: Any) -> JSON:
        """Queue a photo from ``chat_id``."""
        return self.queue(self.message_update(chat_id, photo=True, caption=caption, **kwargs))

    def queue_callback(self, chat_id: int, data: str, **kwargs: Any) -> JSON:
        """Queue a button press in ``chat_id``."""
        return self.queue(self.callback_update(chat_id, data, **kwargs))

    # Inspecting ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every call of ``method`` (failed ones included), oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[Call]:
        """The messages delivered (answered 200), to ``chat_id`` or to anyone."""
        return [
            call
            for call in self.calls_to("sendMessage")
            if call.ok and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        *,
        where: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
    ) -> list[Call]:
        """Wait until at least ``count`` calls of ``method`` (matching ``where``) arrived; all of them."""

        def matching() -> list[Call]:
            return [call for call in self.calls_to(method) if where is None or where(call)]

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: len(matching()) >= count), timeout)
            except TimeoutError:
                found = len(matching())
                raise AssertionError(
                    f"{found} call(s) of {method} after {timeout} s, wanted {count}"
                ) from None
        return matching()

    async def wait_for_messages(self, chat_id: int, count: int = 1, *, timeout: float = 5.0) -> list[Call]:
        """Wait until ``count`` messages were delivered to ``chat_id``; all delivered there."""
        return await self.wait_for_calls(
            "sendMessage",
            count,
            where=lambda call: call.ok and call.params.get("chat_id") == chat_id,
            timeout=timeout,
        )

    # Serving -------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _read_params(request)
        key = method.lower()
        if key in self._outages:
            await self._record(method, params, self._outages[key])
            return _error(
                self._outages[key], "Bad Gateway" if self._outages[key] == 502 else "Internal Server Error"
            )
        failures = self._failures.get(key)
        if failures:
            failure = failures.popleft()
            await self._record(method, params, failure.status)
            extra = {"retry_after": failure.retry_after} if failure.retry_after is not None else None
            return _error(failure.status, failure.description, extra)
        handler = getattr(self, f"_api_{key}", None)
        if handler is None:
            await self._record(method, params, 404)
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _APIError as error:
            await self._record(method, params, error.status)
            return _error(error.status, error.description)
        await self._record(method, params, 200)
        return web.json_response({"ok": True, "result": result})

    async def _record(self, method: str, params: JSON, status: int) -> None:
        self.calls.append(Call(method, params, status))
        await self._notify()

    async def _api_getme(self, params: JSON) -> JSON:
        return BOT_USER

    async def _api_getupdates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise _APIError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        if offset > 0:
            # Calling with an offset confirms every earlier update.
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

        def available() -> list[JSON]:
            return [update for update in self._updates if self._is_allowed(update)][:limit]

        if not available() and timeout > 0 and not self._closing.is_set():
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(available()) or self._closing.is_set()), timeout
                    )
        return available()

    def _is_allowed(self, update: JSON) -> bool:
        if not self.allowed_updates:
            return True
        return any(kind in update for kind in self.allowed_updates)

    async def _api_setwebhook(self, params: JSON) -> bool:
        if not params.get("url"):
            raise _APIError(400, "Bad Request: bad webhook: URL must be provided")
        self.webhook = params
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_deletewebhook(self, params: JSON) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getwebhookinfo(self, params: JSON) -> JSON:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_setmycommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _APIError(400, "Bad Request: commands must be an array")
        self.commands = commands
        return True

    async def _api_getmycommands(self, params: JSON) -> list[JSON]:
        return self.commands

    async def _api_sendchataction(self, params: JSON) -> bool:
        self._require_chat(params)
        return True

    async def _api_answercallbackquery(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise _APIError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._open_callbacks.discard(query_id)
        return True

    async def _api_sendmessage(self, params: JSON) -> JSON:
        chat = self._require_chat(params)
        message = _message(chat, BOT_USER, text=self._visible_text(params))
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    async def _api_editmessagetext(self, params: JSON) -> JSON:
        chat = self._require_chat(params)
        message = self._messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise _APIError(400, "Bad Request: message to edit not found")
        message["text"] = self._visible_text(params)
        message["edit_date"] = int(time.time())
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _require_chat(self, params: JSON) -> JSON:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _APIError(400, "Bad Request: chat not found")
        return self.chat(chat_id)

    @staticmethod
    def _visible_text(params: JSON) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _APIError(400, "Bad Request: message text is empty")
        visible = _parse_html(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text
        if _utf16_length(visible) > MAX_TEXT_LENGTH:
            raise _APIError(400, "Bad Request: message is too long")
        return visible

    @staticmethod
    def _check_markup(markup: Any) -> JSON | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _APIError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise _APIError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup


async def _read_params(request: web.Request) -> JSON:
    """The call's parameters, from the query string and a JSON or form body."""
    params: JSON = {key: _form_value(key, value) for key, value in request.query.items()}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _form_value(key, value)
    return params


def _form_value(key: str, value: str) -> Any:
    # In form bodies Bot API clients send strings as-is and everything else JSON-encoded.
    if key in TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _error(status: int, description: str, parameters: JSON | None = None) -> web.Response:
    body: JSON = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def visible_text(html_text: str) -> str:
    """What a user sees of an HTML message (tags dropped, entities decoded)."""
    return _parse_html(html_text)
