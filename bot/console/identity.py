"""Who is using the console, as the gate found it and the pages read it."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web


@dataclass(frozen=True)
class Staff:
    """The signed-in account, as pages see it."""

    user_id: int
    username: str
    role: str
    csrf_token: str
    token: str


# What the gate found, for the pages: the account (absent when signed out), and
# the login form's double-submit token before anyone signs in.
STAFF = web.RequestKey("staff", Staff)
LOGIN_CSRF = web.RequestKey("login_csrf", str)
