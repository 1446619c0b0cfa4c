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

from sqlalchemy import Boolean, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, TimestampMixin


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
