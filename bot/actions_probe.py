"""Whether the action server answers its ``/health`` (for ``/readyz`` and the busy notice)."""

from __future__ import annotations

import asyncio

import aiohttp

from knowledge.settings import Settings

CHECK_TIMEOUT_S = 3.0


async def actions_up(http: aiohttp.ClientSession, settings: Settings) -> bool:
    url = f"http://{settings.actions_host}:{settings.actions_port}/health"
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=CHECK_TIMEOUT_S)) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False
