"""Staff accounts: the migration, creating accounts, checking passwords."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge import staff
from knowledge.db import make_engine
from knowledge.migrate import downgrade, upgrade
from knowledge.models import StaffRole, StaffUser

PASSWORD = "Mật khẩu đủ mười hai ký tự"


def test_staff_migration_goes_down_and_up(
    make_database: Callable[[str], AbstractContextManager[str]],
) -> None:
    with make_database("staff_updown") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            columns = {c["name"] for c in inspect(engine).get_columns("staff_users")}
            assert {"username", "password_hash", "role", "failed_logins", "locked_until"} <= columns
            downgrade(engine, "0001")
            tables = set(inspect(engine).get_table_names())
            assert "staff_users" not in tables and "procedures" in tables
            with engine.connect() as connection:
                assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0001"
            upgrade(engine)
            assert "staff_users" in inspect(engine).get_table_names()
        finally:
            engine.dispose()


def test_create_user_and_check_passwords(session: Session) -> None:
    user = staff.create_user(session, "  Can.Bo-01 ", PASSWORD, StaffRole.EDITOR)
    session.commit()
    assert (user.username, user.role, user.is_active, user.failed_logins) == ("can.bo-01", "editor", True, 0)
    assert user.locked_until is None and user.last_login_at is None and user.created_at is not None
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert staff.find_user(session, "CAN.BO-01") is user
    assert staff.verify_password(user, PASSWORD)
    assert not staff.verify_password(user, PASSWORD.upper())
    assert not staff.verify_password(user, PASSWORD + " ")
    # The same letters typed with combining marks are the same password.
    decomposed = unicodedata.normalize("NFD", PASSWORD)
    assert decomposed != PASSWORD and staff.verify_password(user, decomposed)


def test_duplicates_bad_usernames_weak_passwords_and_unknown_roles_are_refused(session: Session) -> None:
    staff.create_user(session, "admin", PASSWORD, StaffRole.ADMIN)
    with pytest.raises(staff.UsernameTakenError):
        staff.create_user(session, "Admin", PASSWORD, StaffRole.VIEWER)
    for username in ("ab", "nguyễn", "has space", "-leading", "x" * 65):
        with pytest.raises(staff.InvalidUsernameError):
            staff.create_user(session, username, PASSWORD, StaffRole.VIEWER)
    for password in ("", "11 ký tự...", "x" * 1025):
        with pytest.raises(staff.WeakPasswordError):
            staff.create_user(session, "viewer", password, StaffRole.VIEWER)
    with pytest.raises(ValueError, match="boss"):
        staff.create_user(session, "viewer", PASSWORD, "boss")
    session.commit()
    assert session.scalars(select(StaffUser.username)).all() == ["admin"]


def test_the_database_refuses_duplicates_and_unknown_roles(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(StaffUser(username="x", password_hash="-", role="boss"))
        with pytest.raises(IntegrityError):
            session.commit()
    with Session(engine) as session:
        session.add_all([StaffUser(username="x", password_hash="-") for _ in range(2)])
        with pytest.raises(IntegrityError):
            session.commit()


def test_an_outdated_hash_is_upgraded_after_a_right_password(session: Session) -> None:
    user = staff.create_user(session, "operator", PASSWORD, StaffRole.OPERATOR)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    assert not staff.verify_password(user, "wrong password!")
    assert user.password_hash == weak
    assert staff.verify_password(user, PASSWORD)
    assert user.password_hash != weak and not PasswordHasher().check_needs_rehash(user.password_hash)
    upgraded = user.password_hash
    assert staff.verify_password(user, PASSWORD) and user.password_hash == upgraded


def test_an_unusable_hash_never_matches(session: Session) -> None:
    user = staff.create_user(session, "viewer", PASSWORD, StaffRole.VIEWER)
    user.password_hash = PASSWORD  # e.g. a password stored in clear by mistake
    assert not staff.verify_password(user, PASSWORD)


def test_set_password_unlocks(session: Session) -> None:
    user = staff.create_user(session, "viewer", PASSWORD, StaffRole.VIEWER)
    user.failed_logins = 5
    staff.set_password(user, "a brand new password")
    assert user.failed_logins == 0 and user.locked_until is None
    assert staff.verify_password(user, "a brand new password") and not staff.verify_password(user, PASSWORD)
    with pytest.raises(staff.WeakPasswordError):
        staff.set_password(user, "too short")
