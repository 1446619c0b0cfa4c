"""CSV import of one-stop exports: rows created, updated, unchanged or refused with their line and reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.notifier import pending_notices
from knowledge import cli
from knowledge.dossier_import import DossierImportError, RowOutcome, import_dossier_file, import_dossiers
from knowledge.dossiers import find_dossier, latest_event
from knowledge.models import Dossier, DossierEvent, Subscription
from knowledge.verification import verify_secret
from tests.dossiers.conftest import SAMPLE_CSV

FIRST = "000.22.31.H51-251201-0101"
SECOND = "000.22.31.H51-251201-0102"
# An update as a semicolon export with Vietnamese headers and a byte order mark.
UPDATE = (
    "\ufeffMã hồ sơ;Trạng thái;Bước hiện tại;Ghi chú;Nơi nhận kết quả;Cột khác\n"
    f"{SECOND};Đã có kết quả, chờ trả;Trả kết quả;Mời công dân đến nhận kết quả.;Bộ phận Một cửa xã;x\n"
    f"{FIRST};Đã tiếp nhận;;;;y\n"
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def outcomes(report: object) -> list[tuple[int, str, str]]:
    return [(row.line, row.outcome.value, row.detail) for row in report.rows]  # type: ignore[attr-defined]


def test_sample_file_creates_dossiers_and_reports_each_bad_row(session: Session) -> None:
    report = import_dossier_file(session, SAMPLE_CSV)
    session.commit()
    assert report.counts == {"created": 5, "updated": 0, "unchanged": 0, "error": 6}
    assert [(row.line, row.outcome) for row in report.rows][:5] == [
        (line, RowOutcome.CREATED) for line in (2, 3, 4, 5, 6)
    ]
    errors = {row.line: row.detail for row in report.errors}
    assert errors == {
        8: "Mã hồ sơ «SAI-MA-001» không đúng mẫu mã hồ sơ của tỉnh.",
        9: errors[9],
        10: "Không có thủ tục mã 9.999999 trong cơ sở tri thức.",
        11: "Hồ sơ mới cần đủ mã thủ tục, họ tên, số điện thoại và ngày tiếp nhận (thiếu: số điện thoại).",
        12: "Ngày tiếp nhận «31/02/2025» không đúng định dạng "
        "(dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd).",
        13: "Mã hồ sơ trùng với dòng 2.",
    }
    assert errors[9].startswith("Trạng thái «Đang chờ xét» không hợp lệ")

    assert count(session, Dossier) == 5
    first = find_dossier(session, FIRST)
    assert first is not None and first.status == "received" and first.current_step == "Tiếp nhận hồ sơ"
    assert verify_secret("0101", first.verification_hash)
    supplement = find_dossier(session, "000.22.31.H51-251202-0103")
    assert supplement is not None and supplement.status == "needs_supplement"
    assert supplement.supplement_request == [
        "Bản sao giấy tờ chứng minh chỗ ở hợp pháp",
        "Tờ khai có chữ ký của người yêu cầu",
    ]
    assert verify_secret("0103", supplement.verification_hash)  # "+84 900 000 103"
    ready = find_dossier(session, "000.22.31.H51-251202-0104")
    assert ready is not None and ready.status == "ready"
    assert ready.pickup_place == "Bộ phận Một cửa xã (hồ sơ mẫu), tỉnh Sơn La"
    returned = find_dossier(session, "000.00.04.H51-251203-0105")  # written "000.00.04.h51 251203 0105"
    assert returned is not None and returned.status == "returned" and returned.finished_at is not None
    assert {event.source for event in returned.events} == {"import"}


def test_importing_the_same_file_again_changes_nothing(session: Session) -> None:
    import_dossier_file(session, SAMPLE_CSV)
    session.commit()
    events = count(session, DossierEvent)
    report = import_dossier_file(session, SAMPLE_CSV)
    session.commit()
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 5, "error": 6}
    assert count(session, DossierEvent) == events


def test_a_status_change_is_an_event_the_notifier_sends(
    session: Session, sessions: sessionmaker[Session]
) -> None:
    import_dossier_file(session, SAMPLE_CSV)
    second = find_dossier(session, SECOND)
    assert second is not None
    last = latest_event(second)
    assert last is not None
    session.add(
        Subscription(
            dossier=second, sender_id="web:abcdefghijklmnop", channel="web", notified_event_id=last.id
        )
    )
    session.commit()
    assert pending_notices(sessions) == []

    report = import_dossiers(session, UPDATE.encode("utf-8"))
    session.commit()
    assert report.delimiter == ";" and report.ignored_columns == ["Cột khác"]
    assert outcomes(report) == [
        (
            2,
            "updated",
            "trạng thái: Đang giải quyết → Đã có kết quả, chờ trả; "
            "nơi nhận kết quả; bước hiện tại; ghi chú mới",
        ),
        (3, "unchanged", ""),
    ]
    assert second.status == "ready" and second.pickup_place == "Bộ phận Một cửa xã"
    event = latest_event(second)
    assert event is not None and (event.status, event.source) == ("ready", "import")
    [notice] = pending_notices(sessions)
    assert notice.event_id == event.id and notice.sender_id == "web:abcdefghijklmnop"
    assert "Tình trạng: Đã có kết quả, chờ trả" in notice.reply.text
    assert "Ghi chú: Mời công dân đến nhận kết quả." in notice.reply.text


def test_dry_run_reports_the_same_and_writes_nothing(session: Session) -> None:
    preview = import_dossier_file(session, SAMPLE_CSV, dry_run=True)
    session.commit()
    assert preview.dry_run and count(session, Dossier) == 0 and count(session, DossierEvent) == 0
    real = import_dossier_file(session, SAMPLE_CSV)
    session.commit()
    assert outcomes(preview) == outcomes(real)

    events = count(session, DossierEvent)
    preview = import_dossiers(session, UPDATE, dry_run=True)
    session.commit()
    second = find_dossier(session, SECOND)
    assert second is not None and second.status == "in_progress" and count(session, DossierEvent) == events
    assert outcomes(preview) == outcomes(import_dossiers(session, UPDATE))
    assert "Chạy thử: chưa ghi gì vào cơ sở dữ liệu." in preview.summary()


def test_phones_of_existing_dossiers_change_only_when_asked(session: Session) -> None:
    import_dossier_file(session, SAMPLE_CSV)
    session.commit()
    changed = f"ma_ho_so,so_dien_thoai\n{FIRST},0900 000 199\n"
    assert import_dossiers(session, changed).counts["unchanged"] == 1
    report = import_dossiers(session, changed, update_phones=True)
    session.commit()
    assert outcomes(report) == [(2, "updated", "số điện thoại")]
    first = find_dossier(session, FIRST)
    assert first is not None and verify_secret("0199", first.verification_hash)
    assert not verify_secret("0101", first.verification_hash)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # "Đã" in Windows-1258, as older Vietnamese spreadsheets save it.
        (b"ma_ho_so,trang_thai\nx,\xd0a\xde\n", "không phải văn bản UTF-8"),
        (b"", "Tệp trống"),
        (b"\xef\xbb\xbf\r\n \r\n", "Tệp trống"),
        (b"ho_ten,trang_thai\nA,B\n", "Thiếu cột mã hồ sơ"),
        (b"ma_ho_so,Ma ho so\n", "xuất hiện hai lần"),
    ],
)
def test_files_that_cannot_be_imported(session: Session, data: bytes, message: str) -> None:
    with pytest.raises(DossierImportError, match=message):
        import_dossiers(session, data)


def test_command_line(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> tuple[int, str]:
        out = io.StringIO()
        status = cli.main(["--database", url, "import-dossiers", *args], out=out, report_dir=tmp_path)
        return status, out.getvalue()

    status, output = run(str(SAMPLE_CSV), "--dry-run")
    assert status == 1  # rows with errors
    assert output.startswith("11 dòng hồ sơ: 5 tạo mới, 0 cập nhật, 0 không đổi, 6 lỗi.\nChạy thử")
    assert "  Dòng 13 (000.22.31.H51-251201-0101): lỗi: Mã hồ sơ trùng với dòng 2." in output
    status, output = run(str(SAMPLE_CSV))
    assert status == 1 and "Chạy thử" not in output and "Các dòng không lỗi vẫn được ghi" in output
    update = tmp_path / "update.csv"
    update.write_text(UPDATE, encoding="utf-8")
    status, output = run(str(update))
    assert status == 0
    assert f"  Dòng 2 ({SECOND}): cập nhật: trạng thái: Đang giải quyết → Đã có kết quả, chờ trả" in output
    assert run(str(tmp_path / "missing.csv"))[0] == 1
