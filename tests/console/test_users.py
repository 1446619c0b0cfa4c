"""Accounts in the console (administrators only): create, change role, deactivate, reset password,
unlock, the rules that always keep an administrator, and the audit log page."""

from __future__ import annotations

import json
import re

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import audit
from knowledge import staff_accounts as accounts
from knowledge.models import AuditEntry, StaffRole, StaffSession, StaffUser
from knowledge.staff import find_user, verify_password
from tests.console.conftest import PASSWORD, ROLES
from tests.console.test_console_http import CSRF, csrf_of, login

NEW_PASSWORD = "một câu mật khẩu mới dài"
COOKIE = "tthc_staff"


def user(db: Session, username: str) -> StaffUser:
    db.expire_all()
    found = find_user(db, username)
    assert found is not None, username
    return found


def sessions_of(db: Session, user_id: int) -> int:
    return db.scalar(select(func.count(StaffSession.id)).where(StaffSession.user_id == user_id)) or 0


def account_entries(db: Session, user_id: int | None = None) -> list[AuditEntry]:
    db.expire_all()
    statement = select(AuditEntry).where(AuditEntry.entity == accounts.ENTITY)
    if user_id is not None:
        statement = statement.where(AuditEntry.entity_id == str(user_id))
    return list(db.scalars(statement.order_by(AuditEntry.id)))


async def sign_in_as(client: TestClient, username: str, password: str) -> int:
    token = await csrf_of(client, "/console/login")
    response = await client.post(
        "/console/login",
        data={"csrf": token, "username": username, "password": password, "next": "/console/"},
        allow_redirects=False,
    )
    return response.status


def staff_cookie(client: TestClient) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == COOKIE)


async def create(
    client: TestClient, username: str, role: str, password: str = PASSWORD
) -> aiohttp.ClientResponse:
    token = await csrf_of(client, "/console/users/new")
    return await client.post(
        "/console/users/new",
        data={
            "csrf": token,
            "username": username,
            "role": role,
            "password": password,
            "password_again": password,
        },
        allow_redirects=False,
    )


async def post_on_account(
    client: TestClient, user_id: int, action: str, **fields: str
) -> aiohttp.ClientResponse:
    token = await csrf_of(client, f"/console/users/{user_id}")
    return await client.post(
        f"/console/users/{user_id}/{action}", data={"csrf": token, **fields}, allow_redirects=False
    )


async def test_an_admin_lists_accounts_and_creates_one_who_can_sign_in(
    console: TestClient, db: Session
) -> None:
    assert await login(console, "admin") == 303
    home = await (await console.get("/console/")).text()
    assert 'href="/console/users"' in home and 'href="/console/audit"' in home
    page = await console.get("/console/users")
    text = await page.text()
    assert page.status == 200 and "<h1>Tài khoản</h1>" in text
    for username in ROLES.values():
        assert username in text
    assert "Quản trị" in text and "Biên tập" in text and "Chưa đăng nhập" in text

    response = await create(console, "  Nguyen.Van.An ", "editor")
    assert response.status == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/console/users/\d+\?saved=created", location)
    shown = await (await console.get(location)).text()
    assert "Đã tạo tài khoản" in shown and "nguyen.van.an" in shown and "Biên tập" in shown
    created = user(db, "nguyen.van.an")
    assert created.role == StaffRole.EDITOR.value and created.is_active
    assert created.password_hash.startswith("$argon2id$") and verify_password(created, PASSWORD)
    [entry] = account_entries(db, created.id)
    assert entry.action == "create" and entry.actor == ROLES["admin"] and entry.before is None
    assert entry.after == {
        "username": "nguyen.van.an",
        "role": "editor",
        "is_active": True,
        "failed_logins": 0,
        "locked_until": None,
    }

    console.session.cookie_jar.clear()
    assert await sign_in_as(console, "nguyen.van.an", PASSWORD) == 303
    assert (await console.get("/console/procedures")).status == 200
    assert (await console.get("/console/users")).status == 403


@pytest.mark.parametrize(
    ("username", "role", "password", "again", "expected"),
    [
        ("Nguyễn Văn An", "editor", PASSWORD, PASSWORD, "chữ cái không dấu"),
        ("", "editor", PASSWORD, PASSWORD, "Hãy nhập tên đăng nhập."),
        ("ab", "editor", PASSWORD, PASSWORD, "từ 3 đến 64 ký tự"),
        ("-abc", "editor", PASSWORD, PASSWORD, "phải bắt đầu bằng một chữ cái"),
        ("THU.Editor", "editor", PASSWORD, PASSWORD, "“thu.editor” đã có người dùng"),
        ("moi.nguoi", "superuser", PASSWORD, PASSWORD, "Hãy chọn một vai trò"),
        ("moi.nguoi", "viewer", "ngắn quá", "ngắn quá", "Mật khẩu phải có từ 12 đến 1024 ký tự"),
        ("moi.nguoi", "viewer", PASSWORD, PASSWORD + "x", "Hai lần nhập mật khẩu không khớp."),
    ],
)
async def test_a_bad_account_is_refused_with_the_reason(
    console: TestClient, db: Session, username: str, role: str, password: str, again: str, expected: str
) -> None:
    assert await login(console, "admin") == 303
    count = db.scalar(select(func.count(StaffUser.id)))
    token = await csrf_of(console, "/console/users/new")
    response = await console.post(
        "/console/users/new",
        data={
            "csrf": token,
            "username": username,
            "role": role,
            "password": password,
            "password_again": again,
        },
    )
    text = await response.text()
    assert response.status == 422 and expected in text, text
    assert 'role="alert"' in text
    db.expire_all()
    assert db.scalar(select(func.count(StaffUser.id))) == count
    assert account_entries(db) == []


async def test_a_role_change_ends_the_users_sessions(console: TestClient, db: Session) -> None:
    assert await login(console, "editor") == 303
    editor_cookie = staff_cookie(console)
    editor = user(db, ROLES["editor"])
    assert sessions_of(db, editor.id) == 1
    console.session.cookie_jar.clear()
    assert await login(console, "admin") == 303

    response = await post_on_account(console, editor.id, "role", role="operator")
    assert response.status == 303 and response.headers["Location"].endswith("?saved=role")
    assert user(db, ROLES["editor"]).role == StaffRole.OPERATOR.value
    assert sessions_of(db, editor.id) == 0
    async with aiohttp.ClientSession(headers={"Cookie": f"{COOKIE}={editor_cookie}"}) as browser:
        again = await browser.get(str(console.make_url("/console/procedures")), allow_redirects=False)
        assert again.status == 303 and again.headers["Location"].startswith("/console/login")
    [entry] = account_entries(db, editor.id)
    assert entry.action == "change_role" and entry.actor == ROLES["admin"]
    assert entry.before is not None and entry.before["role"] == "editor"
    assert (
        entry.after is not None and entry.after["role"] == "operator" and entry.after["sessions_ended"] == 1
    )

    unchanged = await post_on_account(console, editor.id, "role", role="operator")
    assert unchanged.headers["Location"].endswith("?saved=unchanged")
    assert len(account_entries(db, editor.id)) == 1


async def test_deactivating_ends_the_sessions_and_reactivating_lets_the_user_back(
    console: TestClient, db: Session
) -> None:
    assert await login(console, "viewer") == 303
    viewer = user(db, ROLES["viewer"])
    console.session.cookie_jar.clear()
    assert await login(console, "admin") == 303
    response = await post_on_account(console, viewer.id, "active", active="0")
    assert response.headers["Location"].endswith("?saved=deactivated")
    assert not user(db, ROLES["viewer"]).is_active and sessions_of(db, viewer.id) == 0
    page = await (await console.get(f"/console/users/{viewer.id}")).text()
    assert "Ngừng dùng" in page and "Cho dùng lại tài khoản" in page

    response = await post_on_account(console, viewer.id, "active", active="1")
    assert response.headers["Location"].endswith("?saved=activated")
    assert [e.action for e in account_entries(db, viewer.id)] == ["deactivate", "activate"]
    console.session.cookie_jar.clear()
    assert await login(console, "viewer") == 303


async def test_an_admin_cannot_demote_or_deactivate_themselves(console: TestClient, db: Session) -> None:
    assert await login(console, "admin") == 303
    admin = user(db, ROLES["admin"])
    for action, fields in (("role", {"role": "editor"}), ("active", {"active": "0"})):
        response = await post_on_account(console, admin.id, action, **fields)
        text = await response.text()
        assert response.status == 409 and "Bạn không thể tự hạ quyền hay tự ngừng tài khoản" in text
    assert user(db, ROLES["admin"]).role == "admin" and user(db, ROLES["admin"]).is_active
    assert account_entries(db) == []
    assert (await console.get("/console/users")).status == 200  # still signed in


async def test_the_last_active_admin_is_never_demoted_or_deactivated(
    console: TestClient, db: Session
) -> None:
    admin, editor = user(db, ROLES["admin"]), user(db, ROLES["editor"])
    someone_else = accounts.Actor(editor.id, editor.username)
    with pytest.raises(accounts.AccountError) as refused:
        accounts.change_role(db, someone_else, admin.id, "viewer")
    assert refused.value.problems == [accounts.LAST_ADMIN]
    assert "tài khoản quản trị cuối cùng" in accounts.LAST_ADMIN
    with pytest.raises(accounts.AccountError):
        accounts.set_active(db, someone_else, admin.id, False)
    db.rollback()

    # With a second administrator, one of them can step down (not by themselves).
    assert await login(console, "admin") == 303
    assert (await create(console, "thu.admin2", "admin")).status == 303
    second = user(db, "thu.admin2")
    console.session.cookie_jar.clear()
    assert await sign_in_as(console, "thu.admin2", PASSWORD) == 303
    demoted = await post_on_account(console, admin.id, "role", role="editor")
    assert demoted.headers["Location"].endswith("?saved=role")
    # thu.admin2 is now the last administrator: refused, with the reason.
    themselves = await post_on_account(console, second.id, "active", active="0")
    assert themselves.status == 409
    db.expire_all()
    with pytest.raises(accounts.AccountError) as last:
        accounts.set_active(db, accounts.Actor(admin.id, admin.username), second.id, False)
    assert last.value.problems == [accounts.LAST_ADMIN]
    db.rollback()


async def test_non_admins_get_403_everywhere(console: TestClient, db: Session) -> None:
    target = user(db, ROLES["viewer"]).id
    for role in ("editor", "operator", "viewer"):
        console.session.cookie_jar.clear()
        assert await login(console, role) == 303
        home = await (await console.get("/console/")).text()
        assert 'href="/console/users"' not in home and 'href="/console/audit"' not in home
        for path in ("/console/users", "/console/users/new", f"/console/users/{target}", "/console/audit"):
            refused = await console.get(path)
            assert refused.status == 403 and "Không có quyền" in await refused.text(), (role, path)
        token = CSRF.search(home).group(1)  # type: ignore[union-attr]
        for path, fields in (
            ("/console/users/new", {"username": "ke.la", "role": "admin", "password": PASSWORD}),
            (f"/console/users/{target}/role", {"role": "admin"}),
            (f"/console/users/{target}/active", {"active": "0"}),
            (f"/console/users/{target}/password", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}),
            (f"/console/users/{target}/unlock", {}),
        ):
            response = await console.post(path, data={"csrf": token, **fields})
            assert response.status == 403, (role, path)
    assert find_user(db, "ke.la") is None
    assert user(db, ROLES["viewer"]).role == "viewer" and account_entries(db) == []


async def test_a_post_without_the_right_csrf_token_is_refused(console: TestClient, db: Session) -> None:
    assert await login(console, "admin") == 303
    viewer = user(db, ROLES["viewer"])
    missing = await console.post(
        "/console/users/new",
        data={"username": "khong.co.ma", "role": "admin", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert missing.status == 403 and "mã bảo vệ biểu mẫu" in await missing.text()
    wrong = await console.post(f"/console/users/{viewer.id}/role", data={"csrf": "sai-ma", "role": "admin"})
    assert wrong.status == 403
    assert find_user(db, "khong.co.ma") is None and user(db, ROLES["viewer"]).role == "viewer"
    assert account_entries(db) == []


async def test_reset_password_and_unlock_are_audited_without_hashes(console: TestClient, db: Session) -> None:
    operator = user(db, ROLES["operator"])
    old_hash = operator.password_hash
    for _ in range(5):  # locks the account
        assert await login(console, "operator", "không phải mật khẩu") == 401
    assert accounts.is_locked(user(db, ROLES["operator"]))
    assert await login(console, "admin") == 303
    listing = await (await console.get("/console/users")).text()
    assert "Tạm khóa đến" in listing

    unlocked = await post_on_account(console, operator.id, "unlock")
    assert unlocked.headers["Location"].endswith("?saved=unlocked")
    assert not accounts.is_locked(user(db, ROLES["operator"]))

    short = await post_on_account(console, operator.id, "password", password="ngắn", password_again="ngắn")
    assert short.status == 422 and "Mật khẩu phải có từ 12" in await short.text()
    mismatch = await post_on_account(
        console, operator.id, "password", password=NEW_PASSWORD, password_again=NEW_PASSWORD + "!"
    )
    assert mismatch.status == 422 and "không khớp" in await mismatch.text()
    reset = await post_on_account(
        console, operator.id, "password", password=NEW_PASSWORD, password_again=NEW_PASSWORD
    )
    assert reset.headers["Location"].endswith("?saved=password")
    changed = user(db, ROLES["operator"])
    assert changed.password_hash != old_hash and verify_password(changed, NEW_PASSWORD)

    # An administrator resetting their own password stays signed in.
    admin = user(db, ROLES["admin"])
    own = await post_on_account(
        console, admin.id, "password", password=NEW_PASSWORD, password_again=NEW_PASSWORD
    )
    assert own.status == 303 and (await console.get("/console/users")).status == 200

    entries = account_entries(db)
    assert [e.action for e in entries] == ["unlock", "reset_password", "reset_password"]
    assert entries[0].before is not None and entries[0].before["locked_until"] is not None
    assert entries[0].after is not None and entries[0].after["locked_until"] is None
    assert entries[1].after is not None and entries[1].after["password_changed"] is True
    for entry in account_entries(db):
        stored = json.dumps([entry.before, entry.after], ensure_ascii=False)
        assert "$argon2" not in stored and "password_hash" not in stored
        assert PASSWORD not in stored and NEW_PASSWORD not in stored

    console.session.cookie_jar.clear()
    assert await login(console, "operator") == 401
    assert await login(console, "operator", NEW_PASSWORD) == 303


async def test_the_audit_page_filters_and_pages_newest_first(console: TestClient, db: Session) -> None:
    for number in range(55):
        audit.record(
            db, "thu.editor", "edit", "agency", 9000 + number, before={"name": "A"}, after={"name": "B"}
        )
    db.commit()
    assert await login(console, "admin") == 303
    assert (await create(console, "nhat.ky", "viewer")).status == 303

    page = await console.get("/console/audit")
    text = await page.text()
    assert page.status == 200 and "<h1>Nhật ký thay đổi</h1>" in text
    assert text.index("nhat.ky") < text.index("9054")  # newest first
    assert "Thêm mới" in text and "Vai trò: Xem" in text
    assert "Tên: A → B" in text and "Trang sau" in text and "Trang trước" not in text

    mine = await (await console.get("/console/audit?actor=thu.admin&entity=staff_user")).text()
    assert "nhat.ky" in mine and "9054" not in mine and "1 thay đổi" in mine
    second = await (await console.get("/console/audit?actor=thu.editor&entity=agency&page=1")).text()
    assert "Trang trước" in second and "trang 2/2" in second and "9004" in second and "9005" not in second
    nothing = await (await console.get("/console/audit?from=2001-01-01&to=2001-01-31")).text()
    assert "Không có thay đổi nào." in nothing and "0 thay đổi" in nothing
    bad = await (await console.get("/console/audit?from=2025-13-45")).text()
    assert "không hợp lệ" in bad
    reversed_days = await (await console.get("/console/audit?from=2025-02-01&to=2025-01-01")).text()
    assert "Ngày kết thúc trước ngày bắt đầu" in reversed_days
