"""Fixtures of the security tests: the console's (a private knowledge base with one account per role)."""

from __future__ import annotations

from tests.console.conftest import console, console_database_url, db

__all__ = ["console", "console_database_url", "db"]
