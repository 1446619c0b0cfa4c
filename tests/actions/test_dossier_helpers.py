"""Receipt codes as citizens type them, and masked names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from actions.dossier import describe
from knowledge.masking import mask_name
from knowledge.receipt_codes import normalize_receipt_code

PATTERN = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}"


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.04.H51-200221-0001",
        "000.00.04.h51-200221-0001",
        "000.00.04.H51 200221 0001",
        " 000 00 04 h51 200221 0001 ",
        "000.00.04.H51200221-0001",
        "mã hồ sơ 000.00.04.H51-200221-0001 nhé",
        "０００.００.０４.H５１-２００２２１-０００１",  # a full-width keyboard
        "٠٠٠.٠٠.٠٤.H٥١-٢٠٠٢٢١-٠٠٠١",  # Arabic-Indic digits
    ],
)
def test_receipt_codes_are_normalised(typed: str) -> None:
    assert normalize_receipt_code(typed, PATTERN) == "000.00.04.H51-200221-0001"


@pytest.mark.parametrize(
    "typed",
    ["", "abc", "000.00.04", "'; DROP TABLE dossiers; --", "9" * 20_000, "😀😀", "<script>x</script>"],
)
def test_malformed_codes_are_refused(typed: str) -> None:
    assert normalize_receipt_code(typed, PATTERN) is None


def test_names_are_masked() -> None:
    assert mask_name("Nguyễn Văn A") == "N***** V** A"
    assert mask_name("  Lê   Thị Thử ") == "L* T** T**"


def _dossier(**fields: object) -> SimpleNamespace:
    base = {
        "receipt_code": "000.00.04.H51-251101-0001",
        "applicant_name": "Trần Thị Mẫu",
        "status": "in_progress",
        "current_step": "Thẩm định hồ sơ",
        "received_at": datetime(2025, 11, 1, tzinfo=UTC),
        "due_at": datetime(2025, 11, 10, tzinfo=UTC),
        "supplement_request": [],
        "pickup_place": None,
        "procedure": SimpleNamespace(name="Đăng ký thường trú", executing_agency="Công an cấp xã"),
    }
    return SimpleNamespace(**{**base, **fields})


def test_late_dossier_gets_days_and_an_apology() -> None:
    text = describe(_dossier(), now=datetime(2025, 11, 13, tzinfo=UTC))  # type: ignore[arg-type]
    assert "quá hạn 3 ngày" in text and "xin lỗi" in text
    assert "Trần Thị Mẫu" not in text and "T*** T** M**" in text


def test_supplement_and_pickup_are_listed() -> None:
    needs = describe(_dossier(status="needs_supplement", supplement_request=["Bản sao sổ hộ khẩu"]))  # type: ignore[arg-type]
    assert "Bản sao sổ hộ khẩu" in needs
    ready = describe(  # type: ignore[arg-type]
        _dossier(status="ready", pickup_place="Bộ phận Một cửa", due_at=datetime.now(UTC) + timedelta(days=1))
    )
    assert "Nơi nhận kết quả: Bộ phận Một cửa" in ready
    assert "quá hạn" not in ready
