"""The gateway's client of the Rasa server: REST channel and tracker API.

Messages go to Rasa's REST channel (``/webhooks/rest/webhook``). The tracker
API (behind Rasa's token) says whether a conversation is paused for a person
and resumes it. Every call has a timeout; any failure (refused, timed out,
5xx, not JSON) raises :class:`RasaUnavailableError`, which the caller turns into a
clear message for the citizen.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.replies import Reply

logger = logging.getLogger(__name__)


class RasaUnavailableError(Exception):
    """Rasa (or the action server behind it) did not answer in time or correctly."""


class RasaClient:
    """Talks to one Rasa server at ``base_url``."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str, timeout_s: float) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, sender_id: str, text: str) -> list[Reply]:
        """Rasa's replies to ``text`` from ``sender_id``."""
        body = await self._request(
            "POST", "/webhooks/rest/webhook", json={"sender": sender_id, "message": text}
        )
        if not isinstance(body, list):
            raise RasaUnavailableError("unexpected answer from the REST channel")
        replies = [Reply.from_rasa(item) for item in body if isinstance(item, dict)]
        return [reply for reply in replies if reply.text or reply.buttons]

    async def is_paused(self, sender_id: str) -> bool:
        """Whether the conversation waits for a person (Rasa's ``pause`` event)."""
        tracker = await self._request("GET", self._tracker_path(sender_id), params={"include_events": "NONE"})
        return bool(isinstance(tracker, dict) and tracker.get("paused"))

    async def resume(self, sender_id: str) -> None:
        """Give the conversation back to the bot.

        The rules expect a user turn to follow ``action_listen``; the handoff
        action adds one, and so does this (harmless twice), for a conversation
        paused by other means.
        """
        events = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
        await self._request("POST", self._tracker_path(sender_id) + "/events", json=events)

    async def is_ready(self) -> bool:
        """Whether Rasa answers and has a model loaded."""
        try:
            status = await self._request("GET", "/status")
        except RasaUnavailableError:
            return False
        return bool(isinstance(status, dict) and status.get("model_file"))

    @staticmethod
    def _tracker_path(sender_id: str) -> str:
        return f"/conversations/{quote(sender_id, safe='')}/tracker"

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        params = {**kwargs.pop("params", {}), **({"token": self._token} if self._token else {})}
        try:
            async with self._session.request(
                method, self._base + path, params=params, timeout=self._timeout, **kwargs
            ) as response:
                if response.status >= 400:
                    raise RasaUnavailableError(f"{method} {path.split('/')[1]} answered {response.status}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailableError(f"{method} {path.split('/')[1]}: {type(error).__name__}") from error
