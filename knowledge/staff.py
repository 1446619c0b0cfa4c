"""Staff accounts: create them, set and check their passwords.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` and its
default parameters, RFC 9106's low-memory profile). A password is compared
in NFC, so the same Vietnamese letters typed on two keyboards (composed or
combining marks) are the same password. A hash made with weaker parameters
than the current ones is replaced at the next successful check.

Usernames are compared in lower case: ``normalize_username`` is applied
before storing and before looking one up. Signing in (active account, not
locked, counting failures) is the console's job; this module only answers
"is this the password?".
"""

from __future__ import annotations

import logging
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.models import StaffRole, StaffUser

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
# Longer input is refused before hashing: no one types it, and it costs time.
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")

_hasher = PasswordHasher()


class InvalidUsernameError(ValueError):
    """The username is not 3 to 64 of a-z, 0-9, ``.``, ``_``, ``@``, ``-``."""


class WeakPasswordError(ValueError):
    """The password is shorter than ``MIN_PASSWORD_LENGTH`` (or absurdly long)."""


class UsernameTakenError(ValueError):
    """Another account already has this username."""


def normalize_username(username: str) -> str:
    """``username`` as stored: trimmed, lower case; raises ``InvalidUsernameError``."""
    normalized = unicodedata.normalize("NFC", username).strip().lower()
    if not USERNAME_PATTERN.fullmatch(normalized):
        raise InvalidUsernameError(username)
    return normalized


def _checked(password: str) -> str:
    normalized = unicodedata.normalize("NFC", password)
    if not MIN_PASSWORD_LENGTH <= len(normalized) <= MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(f"a password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
    return normalized


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``; raises ``WeakPasswordError``."""
    return _hasher.hash(_checked(password))


def find_user(session: Session, username: str) -> StaffUser | None:
    """The account named ``username`` (any case), if there is one."""
    try:
        normalized = normalize_username(username)
    except InvalidUsernameError:
        return None
    return session.scalar(select(StaffUser).where(StaffUser.username == normalized))


def create_user(session: Session, username: str, password: str, role: StaffRole | str) -> StaffUser:
    """Add an active account (flushed, not committed).

    Raises ``InvalidUsernameError``, ``WeakPasswordError``, ``ValueError``
    for an unknown role, or ``UsernameTakenError``.
    """
    normalized = normalize_username(username)
    checked_role = StaffRole(role)
    _checked(password)
    if find_user(session, normalized) is not None:
        raise UsernameTakenError(normalized)
    user = StaffUser(
        username=normalized,
        password_hash=hash_password(password),
        role=checked_role.value,
        is_active=True,
        failed_logins=0,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # created meanwhile by another process
        raise UsernameTakenError(normalized) from error
    logger.info("Staff account %s created with role %s", user.id, user.role)
    return user


def set_password(user: StaffUser, password: str) -> None:
    """Give ``user`` a new password and clear its failed logins and lock."""
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    logger.info("Password of staff account %s set", user.id)


def reset_user(user: StaffUser, password: str, role: StaffRole | str) -> None:
    """Give ``user`` a new password and ``role``, and make the account usable again."""
    checked_role = StaffRole(role)
    set_password(user, password)
    user.role = checked_role.value
    user.is_active = True


def verify_password(user: StaffUser, password: str) -> bool:
    """True when ``password`` is the user's; upgrades an outdated hash in place.

    The caller commits the session when it wants the upgraded hash kept.
    """
    candidate = unicodedata.normalize("NFC", password)
    if len(candidate) > MAX_PASSWORD_LENGTH:
        return False
    try:
        _hasher.verify(user.password_hash, candidate)
    except VerifyMismatchError:
        return False
    except (VerificationError, InvalidHashError, UnicodeError):  # not a hash argon2 can read
        logger.warning("Staff account %s has an unusable password hash", user.id)
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(candidate)
        logger.info("Password hash of staff account %s upgraded", user.id)
    return True
