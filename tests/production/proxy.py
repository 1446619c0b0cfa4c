"""A small round-robin HTTP proxy in front of several gateways, as a load balancer would be.

Requests go to the upstreams in turn. Messages of the JSON API are routed by
sender so that each message of a conversation lands on another gateway than
the one before (the hardest case for ordering and deduplication); the proxy
records where each went. Like nginx's ``proxy_next_upstream error``, a
request whose upstream refuses the connection is tried on the next one; if
none answers, the proxy says 502 in JSON, as a load balancer's error page.
"""

from __future__ import annotations

import json
from collections import defaultdict

import aiohttp
from aiohttp import web

MESSAGES_PATH = "/api/v1/messages"
# Hop-by-hop and recomputed headers, not forwarded in either direction.
_SKIPPED = frozenset(
    {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "upgrade"}
)


class RoundRobinProxy:
    """Forwards every request to one of ``upstreams`` (base URLs), in turn."""

    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = [url.rstrip("/") for url in upstreams]
        self.routes: dict[str, list[int]] = defaultdict(list)  # sender -> upstream of each message
        self.refused: list[int] = []  # upstreams that refused a connection, in order
        self._turn = 0
        self._http: aiohttp.ClientSession | None = None

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        app.on_startup.append(self._open)
        app.on_cleanup.append(self._close)
        return app

    async def _open(self, _: web.Application) -> None:
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=300)
        )

    async def _close(self, _: web.Application) -> None:
        if self._http is not None:
            await self._http.close()

    def _first_choice(self, path: str, body: bytes) -> int:
        """The next upstream in turn; for a message, the one after its sender's previous (recorded)."""
        sender = _sender(body) if path == MESSAGES_PATH else None
        if sender is not None and self.routes[sender]:
            index = (self.routes[sender][-1] + 1) % len(self.upstreams)
        else:
            index = self._turn % len(self.upstreams)
            self._turn += 1
        if sender is not None:
            self.routes[sender].append(index)
        return index

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SKIPPED}
        first = self._first_choice(request.path, body)
        for attempt in range(len(self.upstreams)):
            index = (first + attempt) % len(self.upstreams)
            url = self.upstreams[index] + request.rel_url.raw_path_qs
            try:
                async with self._http.request(request.method, url, data=body, headers=headers) as answer:
                    content = await answer.read()
                    kept = {k: v for k, v in answer.headers.items() if k.lower() not in _SKIPPED}
                    return web.Response(status=answer.status, body=content, headers=kept)
            except aiohttp.ClientConnectorError:  # not connected: nothing was sent, try the next
                self.refused.append(index)
            except aiohttp.ClientError:  # sent, then lost: not sent twice (POST is not idempotent)
                break
        return web.json_response({"message": "Bad gateway"}, status=502)


def _sender(body: bytes) -> str | None:
    try:
        sender = json.loads(body).get("sender")
    except (ValueError, AttributeError):
        return None
    return sender if isinstance(sender, str) else None
