"""Submission channels, processing times and fees, on the data README's verbatim examples."""

from __future__ import annotations

import pytest

from knowledge.models import ChannelKind, TimeUnit
from knowledge.parsing import fees
from knowledge.parsing.channels import Channel, parse_glued, parse_structured, parse_time


def rows(text: str) -> list[tuple[object, ...]]:
    return [
        (
            row.kind,
            row.time_value,
            row.time_unit,
            row.time_text,
            row.fee.text,
            row.fee.free,
            row.fee.amount_vnd,
            row.fee.note,
        )
        for row in parse_glued(text)
    ]


def test_time_and_fee_with_note() -> None:
    # 1.001321: 7 working days, 2,000 VND
    text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việc2,000 Việt Nam Đồng(2.000 đồng/thẻ)"
    assert rows(text) == [
        (
            ChannelKind.IN_PERSON,
            7,
            TimeUnit.WORKING_DAYS,
            "7 Ngày làm việc",
            "2,000 Việt Nam Đồng",
            None,
            2000,
            "2.000 đồng/thẻ",
        )
    ]


def test_bare_number_without_unit() -> None:
    # 1.000025: time "1" without unit, kept as number and text, unit None
    [row] = parse_glued("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1Miễn phí")
    assert (row.time_value, row.time_unit, row.time_text) == (1, None, "1")
    assert (row.fee.free, row.fee.amount_vnd, row.fee.flags) == (True, 0, [])


def test_free_with_an_amount_in_the_note_is_flagged() -> None:
    # 1.004281: "Miễn phí" but 50.000 đồng in the note
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảDịch vụ bưu chính1 Ngày làm việcMiễn phí(50.000 đồng/giấy)"
        "Trực tiếp1 Ngày làm việcMiễn phí(50.000 đồng/giấy)"
    )
    parsed = parse_glued(text)
    assert [row.kind for row in parsed] == [ChannelKind.POSTAL, ChannelKind.IN_PERSON]
    for row in parsed:
        assert row.fee.free is True
        assert row.fee.amount_vnd is None
        assert row.fee.note == "50.000 đồng/giấy"
        assert row.fee.flags == [fees.FLAG_FREE_BUT_AMOUNT]


def test_amount_a_thousand_times_too_small_takes_the_note() -> None:
    # 3.000368: "150 VNĐ" next to "150.000 đồng"
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc150 VNĐ(150.000 đồng/lần/thẻ.)"
        "Dịch vụ bưu chính7 Ngày làm việc150 VNĐ(150.000 đồng/lần/thẻ.)"
        "Trực tiếp7 Ngày làm việc150 VNĐ(150.000 đồng/lần/thẻ.)"
    )
    parsed = parse_glued(text)
    assert [row.kind for row in parsed] == [ChannelKind.ONLINE, ChannelKind.POSTAL, ChannelKind.IN_PERSON]
    for row in parsed:
        assert (row.fee.text, row.fee.amount, row.fee.amount_vnd) == ("150 VNĐ", 150, 150_000)
        assert row.fee.flags == [fees.FLAG_FROM_NOTE]
        assert (row.time_value, row.time_unit) == (7, TimeUnit.WORKING_DAYS)


def test_small_amount_not_confirmed_by_the_note_is_kept_and_flagged() -> None:
    [row] = parse_glued("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việc20 VNĐ")
    assert (row.fee.amount_vnd, row.fee.flags) == (20, [fees.FLAG_BELOW_1000])


def test_small_amount_the_note_states_in_usd() -> None:
    [row] = parse_glued(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việc145 VNĐ"
        "(Thẻ tạm trú có thời hạn không quá 02 năm: 145 USD/thẻ.)"
    )
    assert (row.fee.currency, row.fee.amount, row.fee.amount_vnd) == ("USD", 145, None)
    assert row.fee.flags == [fees.FLAG_CURRENCY_FROM_NOTE]


def test_bare_time_glued_to_the_amount_is_split() -> None:
    # 2.002085: "1" (time) + "100 VNĐ" (fee), the note says 100.000 đồng
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: "
        "100.000 đồng/lần)"
    )
    [row] = parse_glued(text)
    assert (row.time_value, row.time_unit, row.time_text) == (1, None, "1")
    assert (row.fee.text, row.fee.amount_vnd) == ("100 VNĐ", 100_000)
    assert "time_amount_split" in row.flags


def test_note_cut_short_by_the_source_is_detected() -> None:
    # 3.000337: the published field stops at "100 VNĐ(" (its note starts "Căn cứ pháp lý: ...")
    [row] = parse_glued("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 Ngày100 VNĐ(")
    assert (row.time_value, row.time_unit) == (1, TimeUnit.DAYS)
    assert "note_cut" in row.flags


def test_time_as_text_and_no_fee_information() -> None:
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: "
        "10 USD/bản.Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng DVC Quốc gia"
    )
    first, second = parse_glued(text)
    assert (first.time_value, first.time_text) == (None, "Không có thông tin")
    assert (first.fee.amount, first.fee.currency, first.fee.amount_vnd) == (10, "USD", None)
    assert first.description == "Tại cơ quan đại diện: 10 USD/bản."
    assert (second.kind, second.time_text) == (
        ChannelKind.ONLINE,
        "Không phải trả kết quả cho người nộp thuế",
    )
    assert (second.fee.free, second.description) == (True, "Qua Cổng DVC Quốc gia")


def test_channel_names_inside_a_description_do_not_open_rows() -> None:
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việcKhông có thông tin"
        "Trực tuyến qua Cổng dịch vụ công; + Trực tiếp: tại Bộ phận Một cửa"
    )
    [row] = parse_glued(text)
    assert row.fee.flags == [fees.FLAG_NO_INFORMATION]
    assert row.description == "Trực tuyến qua Cổng dịch vụ công; + Trực tiếp: tại Bộ phận Một cửa"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 Ngày làm việc", (7, None, TimeUnit.WORKING_DAYS)),
        ("15 Ngày", (15, None, TimeUnit.DAYS)),
        ("0.5 Giờ", (0.5, None, TimeUnit.HOURS)),
        ("3 Tháng", (3, None, TimeUnit.MONTHS)),
        ("10-25", (10, 25, None)),
        ("1200", (1200, None, None)),
        ("Không quy định", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_parse_time(text: str, expected: tuple[object, ...]) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "amount", "currency", "amount_vnd", "free", "note"),
    [
        (
            "Phí : 50.000 Đồng (50.000 đồng/hồ sơ. Riêng sơ tuyển các ngành năng khiếu: 120.000 đồng/hồ sơ "
            "(bao gồm tất cả các môn).)",
            50_000,
            "VND",
            50_000,
            None,
            "50.000 đồng/hồ sơ. Riêng sơ tuyển các ngành năng khiếu: "
            "120.000 đồng/hồ sơ (bao gồm tất cả các môn).",
        ),
        (
            "Lệ phí : 03 USD (Lệ phí: 03 USD/Giấy phép (trừ trường hợp được miễn lệ phí theo quy định của Bộ "
            "Tài chính))",
            3,
            "USD",
            None,
            None,
            "Lệ phí: 03 USD/Giấy phép (trừ trường hợp được miễn lệ phí theo quy định của Bộ Tài chính)",
        ),
        ("Phí : 0 Đồng", 0, "VND", 0, True, None),
        ("Phí : Không Đồng", 0, "VND", 0, True, None),
        ("", None, None, None, None, None),
    ],
)
def test_structured_fees(
    text: str,
    amount: float | None,
    currency: str | None,
    amount_vnd: int | None,
    free: bool | None,
    note: str | None,
) -> None:
    fee = fees.parse_structured(text)
    assert (fee.amount, fee.currency, fee.amount_vnd, fee.free, fee.note) == (
        amount,
        currency,
        amount_vnd,
        free,
        note,
    )


def test_structured_fee_in_prose_stays_text() -> None:
    text = (
        "Phí : 1.\tMức thu bằng 50% mức thu phí quy định tại Mục I và "
        "Mục II Biểu mức thu phí, lệ phí ban hành "
        "kèm theo Thông tư số 249/2016/TT-BTC ngày 11 tháng 11 năm "
        "2016 Đồng (Thông tư số 64/2025/TT-BTC ngày "
        "30/6/2025 quy định mức thu, miễn một số khoản phí, lệ phí nhằm hỗ trợ cho doanh nghiệp, người dân)"
    )
    fee = fees.parse_structured(text)
    assert (fee.amount, fee.amount_vnd, fee.flags) == (None, None, [fees.FLAG_TEXT_ONLY])
    assert fee.text is not None and fee.text.startswith("Phí : 1. Mức thu bằng 50%")


def test_structured_rows() -> None:
    [row] = parse_structured(
        [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "0 Giờ",
                "phi_le_phi": "Lệ phí : 03 USD (Lệ phí: 03 USD/Giấy phép)",
                "mo_ta": "Ngay sau khi Biên phòng cửa khẩu cảng tiếp "
                "nhận đề nghị cho phép thuyền viên đi bờ.",
            }
        ]
    )
    assert isinstance(row, Channel)
    assert (row.kind, row.time_value, row.time_unit) == (ChannelKind.IN_PERSON, 0, TimeUnit.HOURS)
    assert row.as_row()["fee_currency"] == "USD"
