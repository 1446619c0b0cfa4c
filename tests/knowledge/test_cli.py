"""The staff command line, run in-process on a test database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from knowledge import cli
from knowledge.models import Dossier, Procedure, StaffUser
from knowledge.staff import verify_password
from tests.knowledge.conftest import WriteJsonl

CODES = ("1.001193", "1.000894", "1.014061", "1.013978", "3.000368", "1.013124")


def run(engine: Engine, tmp_path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    url = engine.url.render_as_string(hide_password=False)
    status = cli.main(["--database", url, *args], out=out, report_dir=tmp_path / "var")
    return status, out.getvalue()


@pytest.fixture
def imported(
    engine: Engine, tmp_path: Path, seed_records: dict[str, dict[str, Any]], write_jsonl: WriteJsonl
) -> Engine:
    status, output = run(engine, tmp_path, "import", str(write_jsonl([seed_records[c] for c in CODES])))
    assert status == 0, output
    return engine


def test_import_prints_and_saves_the_report(imported: Engine, tmp_path: Path) -> None:
    [report] = (tmp_path / "var").glob("import-report-*.json")
    saved = json.loads(report.read_text(encoding="utf-8"))
    assert saved["records"]["created"] == len(CODES)
    assert saved["records"]["skipped"] == {}


def test_show_stats_migrate(imported: Engine, tmp_path: Path) -> None:
    status, output = run(imported, tmp_path, "show", "3.000368")
    assert status == 0
    assert "3.000368 – Cấp mới thẻ kiểm soát an ninh cảng hàng không" in output
    assert "Trực tuyến: 7 ngày làm việc; phí: 150.000 đồng (150.000 đồng/lần/thẻ.)" in output
    status, output = run(imported, tmp_path, "show", "3.000368", "--json")
    assert json.loads(output)["code"] == "3.000368"
    assert run(imported, tmp_path, "show", "9.999999") == (1, "Không tìm thấy thủ tục có mã 9.999999.\n")
    status, output = run(imported, tmp_path, "stats")
    assert status == 0 and f"Thủ tục: {len(CODES)}" in output
    assert run(imported, tmp_path, "migrate") == (0, "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n")


def test_alias_commands(imported: Engine, tmp_path: Path) -> None:
    status, output = run(imported, tmp_path, "alias", "add", "giấy kết hôn", "1.000894")
    assert (status, output) == (0, 'Đã thêm tên gọi "giấy kết hôn" cho: 1.000894\n')
    assert run(imported, tmp_path, "alias", "add", "sổ xanh", "9.999999")[0] == 1
    status, output = run(imported, tmp_path, "alias", "list")
    assert "giấy kết hôn: 1.000894" in output
    assert run(imported, tmp_path, "alias", "remove", "giay ket hon")[0] == 0
    assert run(imported, tmp_path, "alias", "list")[1] == "Chưa có tên gọi nào.\n"


def test_export_then_import_elsewhere(imported: Engine, tmp_path: Path, make_database: Any) -> None:
    target = tmp_path / "export.jsonl"
    status, output = run(imported, tmp_path, "export", "-o", str(target))
    assert status == 0 and f"Đã xuất {len(CODES)} thủ tục" in output
    with make_database("cli_target") as url:
        from knowledge.db import make_engine

        other = make_engine(url)
        try:
            assert run(other, tmp_path, "import", str(target))[0] == 0
            with Session(other) as session:
                assert session.scalar(select(func.count()).select_from(Procedure)) == len(CODES)
            again = tmp_path / "again.jsonl"
            run(other, tmp_path, "export", "-o", str(again))
            assert again.read_text(encoding="utf-8") == target.read_text(encoding="utf-8")
        finally:
            other.dispose()


def test_seed_demo(imported: Engine, tmp_path: Path, engine: Engine) -> None:
    status, output = run(imported, tmp_path, "seed-demo")
    assert status == 0 and output.startswith("Hồ sơ mẫu: ")
    with Session(imported) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 40
    assert run(imported, tmp_path, "seed-demo")[1] == "Hồ sơ mẫu: 0 tạo mới, 40 đã có (tổng 40).\n"


def test_seed_demo_needs_procedures(engine: Engine, tmp_path: Path) -> None:
    status, output = run(engine, tmp_path, "seed-demo")
    assert status == 1 and "python -m knowledge import" in output


# Land-use-right certificate ("sổ đỏ") procedures of the seed.
LAND_CERTIFICATE_CODES = {"1.012786", "1.012783", "1.013831", "1.013978", "1.012753", "1.012790"}


def test_search_lists_the_land_certificate_procedures_first(seeded_engine: Engine, tmp_path: Path) -> None:
    status, output = run(seeded_engine, tmp_path, "search", "lam so do", "--limit", "5")
    assert status == 0, output
    lines = output.splitlines()
    assert len(lines) == 6
    rank, code, *_ = lines[0].split()
    assert rank == "1." and code in LAND_CERTIFICATE_CODES
    assert "Giấy chứng nhận" in lines[0]
    assert [line.split()[1] for line in lines[:4]] == ["1.012786", "1.012783", "1.013831", "1.013978"]
    assert lines[-1].startswith("Thủ tục đầu tiên")


def test_search_says_when_the_top_procedure_is_clearly_ahead(seeded_engine: Engine, tmp_path: Path) -> None:
    status, output = run(seeded_engine, tmp_path, "search", "đăng", "ký", "khai", "sinh")
    lines = output.splitlines()
    assert status == 0 and lines[0].startswith("1. 1.001193 [Cấp xã] ")
    assert lines[0].endswith(" Thủ tục đăng ký khai sinh")
    assert len(lines) == 11
    assert lines[-1] == "Thủ tục đầu tiên rõ ràng vượt trội: trợ lý ảo trả lời ngay về thủ tục này."


def test_search_on_an_empty_knowledge_base(engine: Engine, tmp_path: Path) -> None:
    assert run(engine, tmp_path, "search", "sổ đỏ") == (1, "Không tìm thấy thủ tục nào phù hợp.\n")
    with pytest.raises(SystemExit):
        run(engine, tmp_path, "search", "sổ đỏ", "--limit", "0")


PASSWORD = "đủ dài và khó đoán 42"


def create_admin(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run(engine, tmp_path, "create-admin", "--password-stdin", *args)


def staff_user(engine: Engine, username: str) -> StaffUser | None:
    with Session(engine) as session:
        return session.scalar(select(StaffUser).where(StaffUser.username == username))


def test_create_admin_stores_a_hash_not_the_password(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, output = create_admin(engine, tmp_path, monkeypatch, PASSWORD + "\n", "--username", "Admin")
    assert (status, output) == (0, 'Đã tạo tài khoản quản trị "admin".\n')
    user = staff_user(engine, "admin")
    assert user is not None and user.role == "admin" and user.is_active and user.failed_logins == 0
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user, PASSWORD)
    assert not verify_password(user, "đủ dài và khó đoán 43")
    assert not verify_password(user, "")


def test_create_admin_refuses_an_existing_username_unless_reset(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert create_admin(engine, tmp_path, monkeypatch, PASSWORD, "--username", "admin")[0] == 0
    first = staff_user(engine, "admin")
    assert first is not None
    status, output = create_admin(engine, tmp_path, monkeypatch, "another password 1", "--username", "ADMIN")
    assert (status, output) == (1, 'Tài khoản "admin" đã có; thêm --reset để đặt lại mật khẩu.\n')
    unchanged = staff_user(engine, "admin")
    assert unchanged is not None and unchanged.password_hash == first.password_hash

    new_password = "another password 1"
    with Session(engine) as session:  # a locked-out, demoted account
        user = session.scalars(select(StaffUser)).one()
        user.failed_logins, user.role, user.is_active = 7, "viewer", False
        session.commit()
    status, output = create_admin(engine, tmp_path, monkeypatch, new_password, "--username=admin", "--reset")
    assert status == 0 and "Đã đặt lại mật khẩu" in output
    reset = staff_user(engine, "admin")
    assert reset is not None
    assert (reset.failed_logins, reset.role, reset.is_active) == (0, "admin", True)
    assert verify_password(reset, new_password) and not verify_password(reset, PASSWORD)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(StaffUser)) == 1


def test_create_admin_refuses_short_passwords_and_bad_usernames(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, output = create_admin(engine, tmp_path, monkeypatch, "short pass1\n", "--username", "admin")
    assert (status, output) == (1, "Mật khẩu phải có từ 12 đến 1024 ký tự.\n")
    assert create_admin(engine, tmp_path, monkeypatch, "", "--username", "admin")[0] == 1
    status, output = create_admin(engine, tmp_path, monkeypatch, PASSWORD, "--username", "nguyễn văn a")
    assert status == 1 and "không hợp lệ" in output
    assert staff_user(engine, "admin") is None


def test_create_admin_asks_for_the_password_twice(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter([PASSWORD, PASSWORD + "!", PASSWORD, PASSWORD])
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt: next(typed))
    assert run(engine, tmp_path, "create-admin", "--username", "admin") == (
        1,
        "Hai lần nhập mật khẩu không khớp.\n",
    )
    assert run(engine, tmp_path, "create-admin", "--username", "admin")[0] == 0
    user = staff_user(engine, "admin")
    assert user is not None and verify_password(user, PASSWORD)


def test_python_dash_m_knowledge(engine: Engine) -> None:
    import subprocess

    from knowledge.settings import PROJECT_ROOT

    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "--database", url, "migrate"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n"
    help_text = subprocess.run(
        [sys.executable, "-m", "knowledge", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    commands = ["import", "show", "stats", "alias", "export", "search", "create-admin", "seed-demo"]
    for command in [*commands, "migrate"]:
        assert command in help_text
