"""Staff accounts of the console and the command line.

A password is never stored: ``password_hash`` holds an Argon2id hash in the
PHC string form (``$argon2id$v=19$m=...``), made and checked by
``knowledge.staff``. ``failed_logins`` and ``locked_until`` let the login
slow down password guessing; ``last_login_at`` tells staff when an account
was last used.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.models.base import Base, TimestampMixin, utcnow


class StaffRole(StrEnum):
    """What a staff member may do, most powerful first."""

    ADMIN = "admin"  # quản trị: tài khoản và mọi việc khác
    EDITOR = "editor"  # biên tập thủ tục, tên gọi khác, câu hỏi thường gặp
    OPERATOR = "operator"  # tiếp nhận, trả lời người dân, cập nhật hồ sơ
    VIEWER = "viewer"  # chỉ xem


_ROLE_CHECK = "role IN ({})".format(", ".join(f"'{r.value}'" for r in StaffRole))


class StaffUser(TimestampMixin, Base):
    """A staff member who signs in with a username and a password."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower case, see ``knowledge.staff.normalize_username``.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=StaffRole.VIEWER.value)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="role"),)

    def __repr__(self) -> str:
        return f"StaffUser({self.id!r}, {self.role!r})"


class StaffSession(Base):
    """A signed-in browser: the cookie carries ``token``; only its SHA-256 is stored.

    Kept in the database so that every gateway instance knows it. ``csrf_token``
    is put in every form of the console and checked on every change.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[StaffUser] = relationship()


class AuditEntry(Base):
    """One change made by staff: who, when, what, and the values before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # The account's username at the time (kept if the account is deleted).
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
