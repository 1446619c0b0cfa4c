"""The console over HTTP: login, lockout, CSRF, roles, editing a procedure with its history."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from tests.console.conftest import PASSWORD, ROLES

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_of(client: TestClient, path: str) -> str:
    page = await client.get(path)
    assert page.status == 200, path
    match = CSRF.search(await page.text())
    assert match, path
    return match.group(1)


async def login(client: TestClient, role: str, password: str = PASSWORD) -> int:
    token = await csrf_of(client, "/console/login")
    response = await client.post(
        "/console/login",
        data={"csrf": token, "username": ROLES[role], "password": password, "next": "/console/"},
        allow_redirects=False,
    )
    return response.status


async def test_pages_need_a_login_and_the_cookie_is_protected(console: TestClient) -> None:
    response = await console.get("/console/procedures", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/console/login")
    assert await login(console, "editor") == 303
    cookie = next(c for c in console.session.cookie_jar if c.key == "tthc_staff")
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await console.get("/console/procedures")
    assert page.status == 200 and "Thủ tục hành chính" in await page.text()
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


async def test_five_wrong_passwords_lock_the_account(console: TestClient) -> None:
    for _ in range(4):
        assert await login(console, "viewer", "sai mật khẩu rồi") == 401
    response_status = await login(console, "viewer", "sai mật khẩu rồi")
    assert response_status == 401
    page = await console.get("/console/login")
    assert page.status == 200
    # Even the right password is refused while locked, with when to try again.
    token = await csrf_of(console, "/console/login")
    response = await console.post(
        "/console/login",
        data={"csrf": token, "username": ROLES["viewer"], "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status == 401 and "tạm khóa" in await response.text()


async def test_a_post_without_the_csrf_token_is_refused(console: TestClient) -> None:
    assert await login(console, "editor") == 303
    response = await console.post("/console/procedures/1.000656/active", data={"active": "0"})
    assert response.status == 403
    login_page = await console.post("/console/login", data={"username": ROLES["admin"], "password": PASSWORD})
    assert login_page.status in (403, 303)


async def test_roles_are_checked_on_every_page(console: TestClient) -> None:
    assert await login(console, "viewer") == 303
    assert (await console.get("/console/")).status == 200
    refused = await console.get("/console/procedures")
    assert refused.status == 403 and "Không có quyền" in await refused.text()
    token = await csrf_of(console, "/console/")
    response = await console.post("/console/procedures/1.000656/active", data={"csrf": token, "active": "0"})
    assert response.status == 403


async def test_an_editor_edits_a_fee_sees_the_history_and_reverts(console: TestClient) -> None:
    assert await login(console, "editor") == 303
    code = "1.000656"  # đăng ký khai tử
    edit = await console.get(f"/console/procedures/{code}/edit")
    text = await edit.text()
    token = CSRF.search(text).group(1)  # type: ignore[union-attr]
    channel = re.search(r'name="channel-(\d+)-fee_amount_vnd"', text).group(1)  # type: ignore[union-attr]
    fields = dict(re.findall(r'<input id="([a-z_]+)" name="\1" value="([^"]*)"', text))
    form = {
        "csrf": token,
        "name": "Thủ tục đăng ký khai tử",
        **fields,
        f"channel-{channel}-fee_amount_vnd": "25.000",
    }
    saved = await console.post(f"/console/procedures/{code}/edit", data=form, allow_redirects=False)
    assert saved.status == 303
    view = await (await console.get(saved.headers["Location"])).text()
    assert "25.000 đồng" in view and "Đã lưu" in view and ROLES["editor"] in view
    entry = re.search(rf"/console/procedures/{re.escape(code)}/revert/(\d+)", view).group(1)  # type: ignore[union-attr]
    reverted = await console.post(f"/console/procedures/{code}/revert/{entry}", data={"csrf": token})
    assert reverted.status == 200
    assert "25.000 đồng" not in await reverted.text()


async def test_a_bad_value_is_explained(console: TestClient) -> None:
    assert await login(console, "admin") == 303
    code = "1.000656"
    edit = await (await console.get(f"/console/procedures/{code}/edit")).text()
    token = CSRF.search(edit).group(1)  # type: ignore[union-attr]
    channel = re.search(r'name="channel-(\d+)-fee_amount_vnd"', edit).group(1)  # type: ignore[union-attr]
    response = await console.post(
        f"/console/procedures/{code}/edit",
        data={
            "csrf": token,
            "name": "Thủ tục đăng ký khai tử",
            f"channel-{channel}-fee_amount_vnd": "mười nghìn",
        },
    )
    assert response.status == 422 and "phải là một số" in await response.text()


async def test_logout_ends_the_session(console: TestClient) -> None:
    assert await login(console, "operator") == 303
    token = await csrf_of(console, "/console/")
    out = await console.post("/console/logout", data={"csrf": token}, allow_redirects=False)
    assert out.status == 303
    again = await console.get("/console/", allow_redirects=False)
    assert again.status == 303
