"""Signing staff in and out: password check with lockout, sessions, CSRF tokens.

Five wrong passwords in a row lock an account for 15 minutes (the lock is
not revealed: the login page says the same as for a wrong password, plus
when to try again once locked). A session is a random token in the browser's
cookie; the database keeps only its SHA-256, so a leaked database does not
sign anyone in.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from knowledge.models import StaffSession, StaffUser
from knowledge.staff import find_user, verify_password

logger = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
SESSION_DURATION = timedelta(hours=8)


@dataclass(frozen=True)
class LoginResult:
    """The account signed in, or why not (``locked_until`` when locked)."""

    user: StaffUser | None
    locked_until: datetime | None = None


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a login; counts failures and locks the account after too many (caller commits)."""
    now = now or datetime.now(UTC)
    user = find_user(session, username)
    if user is None or not user.is_active:
        return LoginResult(None)
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        return LoginResult(None, locked_until)
    if not verify_password(user, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCK_DURATION
            user.failed_logins = 0
            logger.warning("staff account %s locked after %d failed logins", user.id, MAX_FAILED_LOGINS)
            return LoginResult(None, user.locked_until)
        return LoginResult(None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: StaffUser, now: datetime | None = None) -> tuple[str, StaffSession]:
    """A new session for ``user``: the cookie's token and the stored row (caller commits)."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    row = StaffSession(
        token_hash=_digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_DURATION,
    )
    session.add(row)
    # Sessions that ended are removed as new ones open.
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    session.flush()
    return token, row


def find_session(session: Session, token: str, now: datetime | None = None) -> StaffSession | None:
    """The live session of a cookie's token, with its (active) account."""
    if not token or len(token) > 128:
        return None
    now = now or datetime.now(UTC)
    row = session.scalar(
        select(StaffSession)
        .options(joinedload(StaffSession.user))
        .where(StaffSession.token_hash == _digest(token))
    )
    if row is None or (_aware(row.expires_at) or now) <= now or not row.user.is_active:
        return None
    return row


def close_session(session: Session, token: str) -> None:
    """Sign out: the token no longer opens anything (caller commits)."""
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
