"""Server-rendered pages: Jinja2 with autoescaping, and the data every page needs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.console.identity import LOGIN_CSRF, STAFF
from bot.console.permissions import ROLE_LABELS, Section, may
from knowledge.show import format_fee, format_time

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["Section"] = Section
    env.globals["may"] = may
    env.globals["role_labels"] = ROLE_LABELS
    env.globals["format_time"] = format_time
    env.globals["format_fee"] = format_fee
    return env


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    """The page ``template`` for the signed-in staff member (or the login page)."""
    staff = request.get(STAFF)
    page = (
        environment()
        .get_template(template)
        .render(
            staff=staff,
            csrf=staff.csrf_token if staff else request.get(LOGIN_CSRF, ""),
            path=request.path,
            **context,
        )
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8", status=status)


def see_other(location: str) -> web.Response:
    """A redirect after a form (303), as a response that can carry cookies."""
    return web.Response(status=303, headers={"Location": location})
