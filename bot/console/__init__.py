"""The staff console: a sub-application of the gateway under ``/console``.

Server-rendered pages (Jinja2), in Vietnamese, behind a login; see
``security.py`` for sessions, CSRF and roles, ``permissions.py`` for who may
do what. Data work runs in worker threads through ``knowledge/``.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console import (
    audit_pages,
    auth_pages,
    dashboard_pages,
    directory_pages,
    dossier_pages,
    home_page,
    import_pages,
    inbox_pages,
    procedure_pages,
    procedure_structure_pages,
    training_pages,
    user_pages,
)
from bot.console.security import protect_prepared, staff_gate

STATIC = Path(__file__).resolve().parent / "static"


def create_console() -> web.Application:
    """The console, to mount with ``app.add_subapp("/console", create_console())``."""
    # The upload limit first: the gate reads the whole form (CSRF) before any page does.
    console = web.Application(middlewares=[import_pages.upload_limit, staff_gate])
    console.on_response_prepare.append(protect_prepared)
    console.router.add_static("/static", STATIC)
    auth_pages.add_routes(console)
    home_page.add_routes(console)
    procedure_pages.add_routes(console)
    procedure_structure_pages.add_routes(console)
    dashboard_pages.add_routes(console)
    dossier_pages.add_routes(console)
    directory_pages.add_routes(console)
    import_pages.add_routes(console)
    inbox_pages.add_routes(console)
    training_pages.add_routes(console)
    user_pages.add_routes(console)
    audit_pages.add_routes(console)
    return console
