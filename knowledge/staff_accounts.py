"""Administrators manage staff accounts: create, change role, deactivate, reset password, unlock.

Usernames, password rules and hashing are ``knowledge.staff``'s (the same as
``create-admin``); this module adds the console's rules on top of them:

- an administrator cannot demote or deactivate their own account;
- the last active administrator can never be demoted or deactivated, so the
  console always keeps someone who can manage accounts;
- a role change, a deactivation or a password reset ends the account's
  sessions (signed-in browsers must sign in again, with the new rights).

Every change is written to the audit log (entity ``staff_user``) with the
values before and after, in the transaction of the change. The password hash
is never part of those values. Refusals come back as ``AccountError`` with a
Vietnamese sentence for the page.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from knowledge import audit, staff
from knowledge.local_days import as_utc
from knowledge.models import StaffRole, StaffSession, StaffUser
from knowledge.staff_login import find_session

logger = logging.getLogger(__name__)

ENTITY = "staff_user"
USERNAME_MAX = 64
USERNAME_MIN = 3
_USERNAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._@-")

# What the administrator reads when a change is refused.
USERNAME_EMPTY = "Hãy nhập tên đăng nhập."
USERNAME_LENGTH = f"Tên đăng nhập phải có từ {USERNAME_MIN} đến {USERNAME_MAX} ký tự."
USERNAME_CHARACTERS = (
    "Tên đăng nhập chỉ được có chữ cái không dấu (a–z), chữ số và các dấu . _ @ -, "
    "không có khoảng trắng; ký tự không dùng được: {characters}."
)
USERNAME_START = "Tên đăng nhập phải bắt đầu bằng một chữ cái hoặc một chữ số."
USERNAME_TAKEN = "Tên đăng nhập “{username}” đã có người dùng, hãy chọn tên khác."
ROLE_UNKNOWN = "Hãy chọn một vai trò trong danh sách."
PASSWORD_LENGTH = (
    f"Mật khẩu phải có từ {staff.MIN_PASSWORD_LENGTH} đến {staff.MAX_PASSWORD_LENGTH} ký tự "
    "(nên dùng một câu dễ nhớ, có dấu cũng được)."
)
PASSWORD_MISMATCH = "Hai lần nhập mật khẩu không khớp."  # noqa: S105 (a message, not a password)
SELF_DEMOTION = (
    "Bạn không thể tự hạ quyền hay tự ngừng tài khoản của chính mình. "
    "Hãy nhờ một quản trị viên khác làm việc này."
)
LAST_ADMIN = (
    "Đây là tài khoản quản trị cuối cùng đang hoạt động nên không thể hạ quyền hay ngừng dùng. "
    "Hãy cấp quyền quản trị cho một tài khoản khác trước."
)
NOT_FOUND = "Không tìm thấy tài khoản."


class AccountError(ValueError):
    """A change the console refuses; ``problems`` says why, in Vietnamese."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Actor:
    """The administrator making a change: their account and its username (for the audit log)."""

    user_id: int
    username: str


def is_locked(user: StaffUser, now: datetime | None = None) -> bool:
    """True while the account is locked after too many wrong passwords."""
    return user.locked_until is not None and as_utc(user.locked_until) > (now or datetime.now(UTC))


def snapshot(user: StaffUser) -> dict[str, Any]:
    """What the audit log keeps of an account: never the password hash."""
    return {
        "username": user.username,
        "role": user.role,
        "is_active": user.is_active,
        "failed_logins": user.failed_logins or 0,
        "locked_until": as_utc(user.locked_until).isoformat() if user.locked_until else None,
    }


def list_accounts(session: Session) -> list[StaffUser]:
    """Every account, the active ones first, by username."""
    return list(session.scalars(select(StaffUser).order_by(StaffUser.is_active.desc(), StaffUser.username)))


def get_account(session: Session, user_id: int) -> StaffUser:
    """The account ``user_id``; raises ``LookupError``."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(user_id)
    return user


def open_sessions(session: Session, user_id: int, now: datetime | None = None) -> int:
    """How many browsers are signed in to the account."""
    now = now or datetime.now(UTC)
    statement = select(func.count(StaffSession.id)).where(
        StaffSession.user_id == user_id, StaffSession.expires_at > now
    )
    return session.scalar(statement) or 0


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot be used (``None`` when ``knowledge.staff`` accepts it)."""
    try:
        staff.normalize_username(username)
    except staff.InvalidUsernameError:
        pass
    else:
        return None
    text = unicodedata.normalize("NFC", username).strip().lower()
    if not text:
        return USERNAME_EMPTY
    wrong = sorted({c for c in text if c not in _USERNAME_CHARACTERS})
    if wrong:
        shown = ", ".join("khoảng trắng" if c.isspace() else f"“{c}”" for c in wrong[:8])
        return USERNAME_CHARACTERS.format(characters=shown)
    if not USERNAME_MIN <= len(text) <= USERNAME_MAX:
        return USERNAME_LENGTH
    return USERNAME_START


def _role(value: str) -> StaffRole:
    try:
        return StaffRole(value)
    except ValueError:
        raise AccountError(ROLE_UNKNOWN) from None


def _end_sessions(session: Session, user_id: int, keep_token: str | None = None) -> int:
    """Sign the account out everywhere (but in the browser of ``keep_token``); how many ended."""
    kept = find_session(session, keep_token) if keep_token else None
    condition = StaffSession.user_id == user_id
    if kept is not None and kept.user_id == user_id:
        condition = condition & (StaffSession.id != kept.id)
    ended = session.scalar(select(func.count(StaffSession.id)).where(condition)) or 0
    session.execute(delete(StaffSession).where(condition))
    if ended:
        logger.info("%d session(s) of staff account %s ended", ended, user_id)
    return ended


def _check_keeps_an_admin(session: Session, actor: Actor, user: StaffUser) -> None:
    """Refuse to take away the rights of the actor's own account or of the last active admin."""
    if user.id == actor.user_id:
        raise AccountError(SELF_DEMOTION)
    if user.role != StaffRole.ADMIN.value or not user.is_active:
        return
    # The active admins' rows are locked (PostgreSQL), so two admins cannot remove each other at once.
    admins = session.scalars(
        select(StaffUser.id)
        .where(StaffUser.role == StaffRole.ADMIN.value, StaffUser.is_active.is_(True))
        .with_for_update()
    ).all()
    if len(set(admins) - {user.id}) == 0:
        raise AccountError(LAST_ADMIN)


def create_account(session: Session, actor: Actor, username: str, role: str, password: str) -> StaffUser:
    """Add an active account (flushed, audited); raises ``AccountError`` with every problem found."""
    problems = [p for p in (username_problem(username),) if p]
    try:
        checked_role = StaffRole(role)
    except ValueError:
        problems.append(ROLE_UNKNOWN)
    if problems:
        raise AccountError(*problems)
    try:
        user = staff.create_user(session, username, password, checked_role)
    except staff.WeakPasswordError:
        raise AccountError(PASSWORD_LENGTH) from None
    except staff.UsernameTakenError:
        raise AccountError(USERNAME_TAKEN.format(username=staff.normalize_username(username))) from None
    audit.record(session, actor.username, "create", ENTITY, user.id, after=snapshot(user))
    return user


def change_role(session: Session, actor: Actor, user_id: int, role: str) -> bool:
    """Give the account ``role`` and end its sessions; False when it already had it."""
    new_role = _role(role)
    user = get_account(session, user_id)
    if user.role == new_role.value:
        return False
    if new_role != StaffRole.ADMIN:
        _check_keeps_an_admin(session, actor, user)
    before = snapshot(user)
    user.role = new_role.value
    ended = _end_sessions(session, user.id)
    audit.record(
        session, actor.username, "change_role", ENTITY, user.id, before=before, after=_after(user, ended)
    )
    return True


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> bool:
    """Deactivate (ending the sessions) or reactivate the account; False when nothing changes."""
    user = get_account(session, user_id)
    if user.is_active == active:
        return False
    if not active:
        _check_keeps_an_admin(session, actor, user)
    before = snapshot(user)
    user.is_active = active
    ended = 0 if active else _end_sessions(session, user.id)
    action = "activate" if active else "deactivate"
    audit.record(session, actor.username, action, ENTITY, user.id, before=before, after=_after(user, ended))
    return True


def reset_password(
    session: Session, actor: Actor, user_id: int, password: str, keep_token: str | None = None
) -> None:
    """Set a new password chosen by the administrator; the account is unlocked and signed out.

    ``keep_token`` is the administrator's own session, kept when they reset their own password.
    """
    user = get_account(session, user_id)
    before = snapshot(user)
    try:
        staff.set_password(user, password)
    except staff.WeakPasswordError:
        raise AccountError(PASSWORD_LENGTH) from None
    ended = _end_sessions(session, user.id, keep_token)
    after = {**_after(user, ended), "password_changed": True}
    audit.record(session, actor.username, "reset_password", ENTITY, user.id, before=before, after=after)


def unlock(session: Session, actor: Actor, user_id: int) -> bool:
    """Clear the wrong-password count and the lock; False when there was nothing to clear."""
    user = get_account(session, user_id)
    if not user.failed_logins and user.locked_until is None:
        return False
    before = snapshot(user)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, actor.username, "unlock", ENTITY, user.id, before=before, after=snapshot(user))
    return True


def _after(user: StaffUser, sessions_ended: int) -> dict[str, Any]:
    after = snapshot(user)
    if sessions_ended:
        after["sessions_ended"] = sessions_ended
    return after
