"""The widget's files and the demo portal page, served by the gateway."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

STATIC_DIR = Path(__file__).resolve().parent / "static"
DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
# Browsers may keep the widget an hour; the demo page is always fresh.
_CACHE = {"Cache-Control": "public, max-age=3600"}


async def demo_page(request: web.Request) -> web.FileResponse:
    """``/``: a provincial portal page with the widget on it."""
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def _file(name: str, content_type: str) -> Handler:
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name, headers={**_CACHE, "Content-Type": content_type})

    return handler


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", demo_page)
    for path in sorted(STATIC_DIR.iterdir()):
        kind = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}.get(path.suffix)
        if kind and path.is_file():
            app.router.add_get(f"/{path.name}", _file(path.name, f"{kind}; charset=utf-8"))
