"""Grouping inbox entries by similar text, and masking phone numbers in what staff see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from knowledge.inbox_review import Entry, group_entries, parse_refs, text_key
from knowledge.masking import mask_digits
from knowledge.settings import Settings

RECEIPT = Settings().receipt_code_pattern


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("sđt của tôi 0912345678 nhé", "sđt của tôi *******678 nhé"),
        ("gọi 0912 345 678 hoặc 0912.345.679", "gọi *******678 hoặc *******679"),
        ("+84 912 345 678", "********678"),
        ("cccd 034095001234", "cccd *********234"),
        ("số 1234567", "số ****567"),
        ("năm 2025 nộp 123456 đồng", "năm 2025 nộp 123456 đồng"),
        ("lệ phí 1.200.000 đồng", "lệ phí 1.200.000 đồng"),
        ("mã 000.22.31.H51-251101-0001, sđt 0900000001", "mã 000.22.31.H51-251101-0001, sđt *******001"),
        ("mã 000.22.31.h51-251101-0001", "mã 000.22.31.h51-251101-0001"),
    ],
)
def test_long_digit_runs_are_masked_but_receipt_codes_and_amounts_kept(text: str, shown: str) -> None:
    assert mask_digits(text, RECEIPT) == shown


def entry(ref: str, text: str, minutes: int) -> Entry:
    moment = datetime(2026, 11, 29, 8, tzinfo=UTC) - timedelta(minutes=minutes)
    return Entry(ref=ref, kind="unanswered", text=text, created_at=moment, channel="web", sender_id="web:x")


def test_equal_and_nearly_equal_texts_are_one_group_newest_first() -> None:
    entries = [
        entry("i5", "Lệ phí làm SỔ ĐỎ bao nhiêu?", 1),
        entry("f2", "le phi lam so do bao nhieu vay", 2),
        entry("i4", "thủ tục nhận nuôi con nuôi", 3),
        entry("i3", "lệ phí làm sổ đỏ bao nhiêu", 4),
        entry("i2", "lệ phí", 5),
        entry("i1", "ko dc cấp cccd", 6),
        entry("i0", "không được cấp căn cước công dân", 7),
    ]
    groups = group_entries(entries)
    assert [g.refs for g in groups] == ["i5,f2,i3", "i4", "i2", "i1,i0"]
    assert groups[0].newest.text == "Lệ phí làm SỔ ĐỎ bao nhiêu?" and groups[0].count == 3
    assert text_key("Lệ phí làm SỔ ĐỎ bao nhiêu?") == "le phi lam so do bao nhieu"


def test_references_are_checked() -> None:
    assert parse_refs("i12,f3") == [("i", 12), ("f", 3)]
    for bad in ("", "x1", "i", "i1;f2", "i1,,f2"):
        with pytest.raises(ValueError):
            parse_refs(bad)
