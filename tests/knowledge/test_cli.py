"""The staff command line, run in-process on a test database."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from knowledge import cli
from knowledge.models import Dossier, Procedure
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


def test_extension_adds_a_command(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def register(commands: list[cli.Command]) -> None:
        def configure(parser: Any) -> None:
            parser.add_argument("query")

        def handler(args: Any, ctx: cli.Context) -> int:
            print(f"tìm: {args.query}", file=ctx.out)
            return 0

        commands.append(cli.Command("search", "tìm thủ tục", configure, handler))

    module = types.ModuleType("knowledge_test_extension")
    module.register = register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "knowledge_test_extension", module)
    monkeypatch.setattr(cli, "EXTENSIONS", ("knowledge_test_extension", "knowledge_missing_extension"))
    assert run(engine, tmp_path, "search", "sổ đỏ") == (0, "tìm: sổ đỏ\n")


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
    for command in ("import", "show", "stats", "alias", "export", "seed-demo", "migrate"):
        assert command in help_text
