"""A stand-in for Rasa's REST channel that notices two messages of one sender at once."""

from __future__ import annotations

import asyncio
from collections import Counter

from aiohttp import web


class StubRasa:
    """Answers "Trả lời: <text>" after ``delay_s``; records arrivals and overlaps per sender."""

    def __init__(self, delay_s: float = 0.1) -> None:
        self.delay_s = delay_s
        self.received: list[tuple[str, str]] = []
        self.overlaps = 0
        self._inside: Counter[str] = Counter()

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_get("/conversations/{sender}/tracker", self._tracker)
        app.router.add_get("/status", self._status)
        return app

    def texts(self, sender: str) -> list[str]:
        return [text for who, text in self.received if who == sender]

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, text = body["sender"], body["message"]
        self._inside[sender] += 1
        if self._inside[sender] > 1:
            self.overlaps += 1
        self.received.append((sender, text))
        try:
            await asyncio.sleep(self.delay_s)
        finally:
            self._inside[sender] -= 1
        return web.json_response([{"recipient_id": sender, "text": f"Trả lời: {text}"}])

    async def _tracker(self, request: web.Request) -> web.Response:
        return web.json_response({"paused": False})

    async def _status(self, request: web.Request) -> web.Response:
        return web.json_response({"model_file": "stub.tar.gz"})
