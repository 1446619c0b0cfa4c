"""Cross-cutting HTTP concerns: allowed origins, security headers, clean errors."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot import texts
from bot.api import error

logger = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origin(request: web.Request, allowed: tuple[str, ...]) -> bool:
    """The page's origin is the gateway's own (as reached, or its public URL) or a configured one."""
    origin = request.headers.get("Origin", "").lower()
    own = f"{request.scheme}://{request.host}".lower()
    return origin in {own, *(origin_of(o) for o in allowed)}


def api_origins(allowed: tuple[str, ...]) -> Middleware:
    """The API answers pages of allowed origins only (CORS), and requests without an Origin."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        origin = request.headers.get("Origin")
        if origin is not None and not allowed_origin(request, allowed):
            logger.info("API call refused from a page of another origin")
            return error(403, "forbidden_origin", texts.FORBIDDEN_ORIGIN)
        if request.method == "OPTIONS":
            response: web.StreamResponse = web.Response(status=204)
        else:
            # Errors too carry the CORS headers below, so the widget can show their message.
            try:
                response = await handler(request)
            except web.HTTPException as exception:
                if exception.status < 400:
                    raise
                response = api_error(request, exception)
            except Exception as exception:
                response = api_error(request, exception)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        return response

    return middleware


# aiohttp would name itself and its version; this names nothing an attacker could look up.
SERVER = "tthc"


def _protect(request: web.Request, headers: MutableMapping[str, str]) -> None:
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers["Server"] = SERVER
    if request.path != "/widget.js" and not request.path.startswith("/api/"):
        headers.setdefault("Content-Security-Policy", CSP)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The headers on every answer, errors and redirects raised as exceptions included."""
    try:
        response = await handler(request)
    except web.HTTPException as exception:
        _protect(request, exception.headers)
        raise
    _protect(request, response.headers)
    return response


def api_error(request: web.Request, exception: Exception) -> web.Response:
    """The short JSON error for an HTTP error (4xx, 5xx) or an unexpected exception (500)."""
    if isinstance(exception, web.HTTPException):
        message = texts.NOT_FOUND if exception.status == 404 else texts.BAD_REQUEST
        return error(exception.status, exception.reason.lower().replace(" ", "_"), message)
    logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exception)
    return error(500, "server_error", texts.SERVER_ERROR)


@web.middleware
async def clean_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Errors as short JSON (API) or text, never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException as exception:
        if exception.status < 400 or not request.path.startswith("/api/"):
            raise
        return api_error(request, exception)
    except Exception as exception:
        return api_error(request, exception)
