"""A console gateway whose uploads go to the test's own folder.

A sub-application is frozen once mounted, so the folder is set on the
console as ``create_app`` creates it (``bot.app.create_console`` wrapped).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

import bot.app
from bot.console import create_console, import_pages
from knowledge.settings import Settings
from nlu.engine import free_port


def console_app(app: web.Application) -> web.Application:
    """The console sub-application mounted at ``/console``."""
    for resource in app.router.resources():
        info = resource.get_info()
        if info.get("prefix") == "/console" and isinstance(info.get("app"), web.Application):
            return info["app"]
    raise LookupError("no console sub-application")


def wire(console: web.Application, import_dir: Path) -> None:
    """Keep the console's uploads in ``import_dir``."""
    console[import_pages.IMPORT_DIR] = import_dir


async def wired_console(
    database_url: str, import_dir: Path, aiohttp_client: AiohttpClient, monkeypatch: pytest.MonkeyPatch
) -> tuple[TestClient, web.Application]:
    """A test client of the gateway on ``database_url`` (the console's fixture, with the pages wired)."""

    def wired() -> web.Application:
        console = create_console()
        wire(console, import_dir)
        return console

    monkeypatch.setattr(bot.app, "create_console", wired)
    settings = dataclasses.replace(
        Settings(),
        database_url=database_url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        actions_port=free_port(),
    )
    app = bot.app.create_app(settings, notify=False)
    return await aiohttp_client(app), console_app(app)
