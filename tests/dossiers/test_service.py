"""The dossier service: status changes become events, fields follow, bad input is refused in Vietnamese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from knowledge.dossier_fields import DossierError, parse_status, parse_when, stored_utc
from knowledge.dossiers import change_status, create_dossier, find_dossier, latest_event, list_dossiers
from knowledge.models import Dossier, DossierEvent, DossierStatus
from knowledge.verification import verify_secret
from tests.dossiers.conftest import CODE


def event_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DossierEvent)) or 0


def test_created_dossier_keeps_only_the_proof_of_the_phone(session: Session, dossier: Dossier) -> None:
    assert dossier.receipt_code == CODE
    assert verify_secret("0201", dossier.verification_hash)
    row = session.execute(text("SELECT * FROM dossiers")).one()
    assert not any("0900000201" in str(value) or "0900 000 201" in str(value) for value in row)
    assert [(e.status, e.source) for e in dossier.events] == [
        ("received", "console"),
        ("in_progress", "console"),
    ]
    assert dossier.status == "in_progress" and dossier.current_step == "Thẩm định hồ sơ"
    # Receipt codes are found however they are typed.
    assert find_dossier(session, "000.22.31.h51 251201 0201") is dossier
    assert find_dossier(session, "không phải mã") is None


def test_status_change_appends_an_event_and_updates_the_dossier(session: Session, dossier: Dossier) -> None:
    before = event_count(session)
    event = change_status(
        session,
        dossier,
        "needs_supplement",
        note="Đề nghị bổ sung giấy tờ.",
        step="Chờ công dân bổ sung",
        supplements=["Tờ khai có chữ ký ", "", "Tờ khai có chữ ký"],
        source="api",
    )
    session.commit()
    assert event is not None and event.id is not None
    assert event_count(session) == before + 1
    assert (event.status, event.step, event.note, event.source) == (
        "needs_supplement",
        "Chờ công dân bổ sung",
        "Đề nghị bổ sung giấy tờ.",
        "api",
    )
    assert dossier.supplement_request == ["Tờ khai có chữ ký"]
    assert latest_event(dossier) is event

    # Done: finished_at is set, the step without a new one is cleared, the documents too.
    when = datetime(2025, 12, 3, 9, 0, tzinfo=UTC)
    change_status(session, dossier, DossierStatus.RETURNED, occurred_at=when, pickup_place="Bộ phận Một cửa")
    session.commit()
    assert dossier.status == "returned" and dossier.current_step is None
    assert dossier.supplement_request == [] and dossier.pickup_place == "Bộ phận Một cửa"
    assert dossier.finished_at is not None and stored_utc(dossier.finished_at) == when
    # Back in progress (a correction): no longer finished.
    change_status(session, dossier, "Đang giải quyết")
    assert dossier.finished_at is None


def test_no_op_is_not_recorded_unless_a_note_is_given(session: Session, dossier: Dossier) -> None:
    before = event_count(session)
    assert change_status(session, dossier, "in_progress") is None
    assert change_status(session, dossier, "in_progress", step="Thẩm định hồ sơ") is None
    assert event_count(session) == before
    event = change_status(session, dossier, "in_progress", note="Đã liên hệ công dân qua điện thoại.")
    assert event is not None and event.status == "in_progress" and event.step == "Thẩm định hồ sơ"
    assert event_count(session) == before + 1


def test_bad_input_is_refused_with_a_vietnamese_message(session: Session, dossier: Dossier) -> None:
    with pytest.raises(DossierError, match="Trạng thái «lost» không hợp lệ; dùng một trong: Đã tiếp nhận"):
        change_status(session, dossier, "lost")
    with pytest.raises(
        DossierError, match="Chỉ ghi giấy tờ cần bổ sung khi trạng thái là «Cần bổ sung hồ sơ»"
    ):
        change_status(session, dossier, "ready", supplements=["Tờ khai"])
    with pytest.raises(DossierError, match="Ghi chú dài quá 2000 ký tự"):
        change_status(session, dossier, "ready", note="x" * 2001)
    with pytest.raises(DossierError, match="Nguồn cập nhật"):
        change_status(session, dossier, "ready", source="fax")
    session.commit()
    assert dossier.status == "in_progress"  # nothing half-done
    assert [e.status for e in dossier.events] == ["received", "in_progress"]


def test_statuses_are_read_from_codes_labels_and_one_stop_words() -> None:
    assert parse_status("ready") is DossierStatus.READY
    assert parse_status("Đã có kết quả, chờ trả") is DossierStatus.READY
    assert parse_status("DA CO KET QUA, CHO TRA") is DossierStatus.READY
    assert parse_status("Cần bổ sung hồ sơ") is DossierStatus.NEEDS_SUPPLEMENT
    assert parse_status("Đang xử lý") is DossierStatus.IN_PROGRESS
    assert parse_status(" in-progress ") is DossierStatus.IN_PROGRESS
    with pytest.raises(DossierError):
        parse_status("")


def test_creating_refuses_what_cannot_be_stored(session: Session, dossier: Dossier) -> None:
    received = datetime(2025, 12, 1, 8, 0)
    with pytest.raises(DossierError, match=f"Mã hồ sơ {CODE} đã có"):
        create_dossier(session, CODE.lower(), "1.001193", "Trần Thị Mẫu", "0900000202", received)
    with pytest.raises(DossierError, match=r"Không có thủ tục mã 9\.999999"):
        create_dossier(
            session, "000.22.31.H51-251201-0202", "9.999999", "Trần Thị Mẫu", "0900000202", received
        )
    with pytest.raises(DossierError, match="Số điện thoại không hợp lệ"):
        create_dossier(session, "000.22.31.H51-251201-0202", "1.001193", "Trần Thị Mẫu", "12", received)
    with pytest.raises(DossierError, match="không đúng mẫu"):
        create_dossier(session, "HS-0202", "1.001193", "Trần Thị Mẫu", "0900000202", received)
    with pytest.raises(DossierError, match="Ngày hẹn trả trước ngày tiếp nhận"):
        create_dossier(
            session,
            "000.22.31.H51-251201-0202",
            "1.001193",
            "Trần Thị Mẫu",
            "0900000202",
            received,
            datetime(2025, 11, 30),
        )
    with pytest.raises(DossierError, match="Thiếu họ tên"):
        create_dossier(session, "000.22.31.H51-251201-0202", "1.001193", "  ", "0900000202", received)
    assert session.scalar(select(func.count()).select_from(Dossier)) == 1


def test_times_without_a_zone_are_vietnam_time(session: Session) -> None:
    stored = create_dossier(
        session,
        "000.22.31.H51-251201-0203",
        "1.001193",
        "Lê Văn Mẫu",
        "0900000203",
        datetime(2025, 12, 1, 8, 0),
    )
    session.commit()
    session.expire_all()
    assert stored_utc(stored.received_at) == datetime(2025, 12, 1, 1, 0, tzinfo=UTC)
    assert parse_when("01/12/2025 08:30", "Ngày") == datetime(2025, 12, 1, 1, 30, tzinfo=UTC)
    assert parse_when("08:30 01/12/2025", "Ngày") == datetime(2025, 12, 1, 1, 30, tzinfo=UTC)
    assert parse_when("2025-12-01T08:30:00+07:00", "Ngày") == datetime(2025, 12, 1, 1, 30, tzinfo=UTC)
    # A date alone: the office day's start, or its end for a deadline; the same day in UTC.
    assert parse_when("01/12/2025", "Ngày") == datetime(2025, 12, 1, 0, 0, tzinfo=UTC)
    assert parse_when("2025-12-01", "Ngày", end_of_day=True) == datetime(2025, 12, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(DossierError, match="Ngày hẹn trả «31/02/2025» không đúng định dạng"):
        parse_when("31/02/2025", "Ngày hẹn trả")


def test_list_dossiers_by_status(session: Session, dossier: Dossier) -> None:
    create_dossier(
        session, "000.22.31.H51-251201-0204", "1.000894", "Phạm Thị Thử", "0900000204", datetime(2025, 12, 1)
    )
    session.commit()
    assert [d.receipt_code for d in list_dossiers(session, status="Đang giải quyết")] == [CODE]
    assert len(list_dossiers(session)) == 2
    assert [d.receipt_code for d in list_dossiers(session, procedure_code="1.000894")] == [
        "000.22.31.H51-251201-0204"
    ]
