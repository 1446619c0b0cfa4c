"""A tiny stand-in for the gateway's widget API, for the widget's browser tests.

It serves ``bot/static`` and implements the contract the widget relies on:
``POST /api/v1/messages`` (de-duplicated by sender and message_id),
``GET /api/v1/history/<session>``, CORS with preflight for allowed origins. It
answers deterministically (an echo with quick replies, a few canned answers)
and can drop the next connections or answer an error, to play a bad network.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

STATIC = Path(__file__).resolve().parents[2] / "bot" / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
TEXT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")

FEEDBACK = [
    {"title": "👍", "payload": '/feedback{"rating": "up"}'},
    {"title": "👎", "payload": '/feedback{"rating": "down"}'},
]
WELCOME = (
    "Xin chào! Tôi là trợ lý ảo của Trung tâm Phục vụ hành chính công. Tôi có thể giúp bạn tìm hiểu "
    "thủ tục hành chính (hồ sơ cần nộp, lệ phí, thời hạn, nơi nộp) và tra cứu tình trạng hồ sơ. "
    "Bạn cần hỏi gì ạ?"
)
BIRTH = (
    "📄 Thủ tục đăng ký khai sinh (Cấp xã)\n"
    "Giấy tờ phải nộp:\n"
    "1. Giấy chứng sinh; nếu không có thì văn bản của người làm chứng xác nhận về việc sinh – 1 bản chính\n"
    "2. Văn bản uỷ quyền (được chứng thực) nếu uỷ quyền đăng ký khai sinh – 1 bản chính\n"
    "Giấy tờ phải xuất trình:\n"
    "3. Giấy tờ chứng minh nơi cư trú khi không khai thác được từ Cơ sở dữ liệu quốc gia về dân cư\n"
    "Chi tiết: https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"
)
ASPECTS = [
    {"title": "Lệ phí", "payload": "/ask_fee"},
    {"title": "Thời hạn", "payload": "/ask_duration"},
    {"title": "Nộp ở đâu", "payload": "/ask_where"},
]


def answer(text: str) -> list[tuple[str, list[dict[str, str]]]]:
    """The deterministic replies (text, buttons) to one message."""
    if text == "/greet":
        return [(WELCOME, [{"title": "Tra cứu hồ sơ", "payload": "/check_dossier_status"}])]
    if text.startswith("/feedback"):
        return [("Cảm ơn bạn đã đánh giá câu trả lời!", [])]
    if text == "/ask_fee":
        return [("Lệ phí: miễn lệ phí đăng ký khai sinh đúng hạn.", [*ASPECTS[1:], *FEEDBACK])]
    if "khai sinh" in text:
        return [(BIRTH, [*ASPECTS, *FEEDBACK])]
    return [(f"Bạn vừa gửi: {text}", [ASPECTS[0], *FEEDBACK])]


@dataclass
class FakeGateway:
    """State of the fake gateway, which tests read and steer."""

    allowed_origins: set[str] = field(default_factory=set)
    drop_next: int = 0
    """Drop the connection of the next N message posts without answering."""
    drop_after_processing: bool = False
    """Whether a dropped post is processed first (its answer lost on the way back)."""
    error_next: tuple[int, str, str] | None = None
    """Answer the next message post with this (status, error code, message)."""
    delay: float = 0.0
    posts: Counter[str] = field(default_factory=Counter)
    """message_id -> how many times it was posted."""
    processed: Counter[str] = field(default_factory=Counter)
    """message_id -> how many times it was processed (must never exceed 1)."""
    texts: list[str] = field(default_factory=list)
    """Texts processed, in order."""
    senders: set[str] = field(default_factory=set)
    preflights: int = 0
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    answered: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    clock: str | None = None
    """A fixed time for every message (screenshots), else now."""
    _ids: int = 0

    def next_id(self) -> str:
        self._ids += 1
        return f"m{self._ids}"

    def now(self) -> str:
        return self.clock or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def process(self, sender: str, message_id: str, text: str) -> list[dict[str, Any]]:
        self.processed[message_id] += 1
        self.texts.append(text)
        self.senders.add(sender)
        log = self.history.setdefault(sender, [])
        log.append({"id": self.next_id(), "from": "user", "text": text, "buttons": [], "time": self.now()})
        replies = [
            {"id": self.next_id(), "text": reply, "buttons": buttons, "time": self.now()}
            for reply, buttons in answer(text)
        ]
        log.extend({"from": "bot", **reply} for reply in replies)
        return replies


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


def create_app(state: FakeGateway) -> web.Application:
    """The fake gateway: the widget API plus bot/static."""

    @web.middleware
    async def cors(request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        origin = request.headers.get("Origin")
        if origin is not None and origin not in state.allowed_origins:
            return error(403, "origin_not_allowed", "Trang này không được phép dùng trợ lý ảo.")
        if request.method == "OPTIONS":
            state.preflights += 1
            response: web.StreamResponse = web.Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        else:
            response = await handler(request)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        return response

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return error(400, "bad_request", "Yêu cầu không hợp lệ.")
        sender, text, message_id = body.get("sender"), body.get("text"), body.get("message_id")
        if not (isinstance(sender, str) and SESSION_RE.match(sender)) or not isinstance(message_id, str):
            return error(422, "bad_request", "Yêu cầu không hợp lệ.")
        if not isinstance(text, str) or not text.strip():
            return error(422, "empty", "Tin nhắn trống.")
        if len(text) > 1000:
            return error(413, "too_long", "Tin nhắn quá dài, bạn vui lòng viết ngắn hơn 1000 ký tự.")
        state.posts[message_id] += 1
        if state.error_next is not None:
            status, code, message = state.error_next
            state.error_next = None
            return error(status, code, message)
        key = (sender, message_id)
        dropping = state.drop_next > 0
        if dropping:
            state.drop_next -= 1
        if dropping and not state.drop_after_processing:
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if key not in state.answered:
            state.answered[key] = state.process(sender, message_id, text)
        if dropping:
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if state.delay:
            await asyncio.sleep(state.delay)
        return web.json_response({"replies": state.answered[key]})

    async def history(request: web.Request) -> web.Response:
        session = request.match_info["session"]
        if not SESSION_RE.match(session):
            return error(404, "not_found", "Không tìm thấy.")
        return web.json_response({"messages": state.history.get(session, [])})

    async def static(request: web.Request) -> web.StreamResponse:
        name = request.match_info.get("name") or "index.html"
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise web.HTTPNotFound()
        response = web.FileResponse(path)
        kind = TEXT_TYPES.get(path.suffix)
        if kind:  # UTF-8 said explicitly: a host page in another encoding still reads widget.js right
            response.headers["Content-Type"] = f"{kind}; charset=utf-8"
        if name.endswith(".html"):
            response.headers["Content-Security-Policy"] = PAGE_CSP
        return response

    app = web.Application(middlewares=[cors])
    app.router.add_post("/api/v1/messages", messages)
    app.router.add_get("/api/v1/history/{session}", history)
    app.router.add_get("/", static)
    app.router.add_get("/{name}", static)
    return app
