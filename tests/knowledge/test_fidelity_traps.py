"""The data README's traps, on the records where they occur (imported from the seed)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.models import Procedure


def load(session: Session, code: str) -> Procedure:
    return session.scalars(
        select(Procedure)
        .where(Procedure.code == code)
        .options(selectinload(Procedure.channels), selectinload(Procedure.documents))
    ).one()


def fees(procedure: Procedure) -> list[tuple[object, ...]]:
    return [
        (c.channel, c.fee_text, c.fee_free, c.fee_amount, c.fee_currency, c.fee_amount_vnd, c.fee_flags)
        for c in procedure.channels
    ]


def test_free_but_an_amount_in_the_note(seeded_session: Session) -> None:
    procedure = load(seeded_session, "1.004281")
    assert fees(procedure) == [
        ("buu_chinh", "Miễn phí", True, None, None, None, ["free_but_amount_in_note"]),
        ("truc_tiep", "Miễn phí", True, None, None, None, ["free_but_amount_in_note"]),
    ]
    assert {c.fee_note for c in procedure.channels} == {"50.000 đồng/giấy"}
    listed = load(seeded_session, "1.007632")
    assert {c.fee_note for c in listed.channels} == {
        "- Cấp lại do hết hạn: 1.200.000 VNĐ - Cấp lại do thu hồi: "
        "800.000 VNĐ - Cấp lại do mất, hỏng: 300.000 VNĐ"
    }
    assert {c.fee_amount_vnd for c in listed.channels} == {None}


def test_amount_a_thousand_times_too_small(seeded_session: Session) -> None:
    procedure = load(seeded_session, "3.000368")
    assert fees(procedure) == [
        (channel, "150 VNĐ", None, 150, "VND", 150_000, ["amount_from_note_x1000"])
        for channel in ("truc_tuyen", "buu_chinh", "truc_tiep")
    ]


def test_bare_time_glued_to_a_small_amount(seeded_session: Session) -> None:
    # "Trực tuyến1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần ...)"
    procedure = load(seeded_session, "2.002085")
    assert [(c.channel, c.time_value, c.time_unit, c.time_text) for c in procedure.channels] == [
        ("truc_tuyen", 1, None, "1"),
        ("buu_chinh", 1, None, "1"),
        ("truc_tiep", 1, None, "1"),
    ]
    assert {c.fee_amount_vnd for c in procedure.channels} == {100_000}
    assert {tuple(c.fee_flags) for c in procedure.channels} == {
        ("amount_from_note_x1000", "time_amount_split")
    }
    # The same shape when the note does not confirm the amount: kept as stated, flagged.
    unconfirmed = load(seeded_session, "1.005136")
    assert {(c.time_value, c.fee_amount_vnd) for c in unconfirmed.channels} == {(1, 100)}
    assert {tuple(c.fee_flags) for c in unconfirmed.channels} == {("amount_below_1000", "time_amount_split")}


def test_bare_number_without_unit(seeded_session: Session) -> None:
    procedure = load(seeded_session, "1.000025")
    assert [
        (c.channel, c.time_value, c.time_unit, c.time_text, c.fee_amount_vnd) for c in procedure.channels
    ] == [("truc_tiep", 1, None, "1", 0)]


def test_currency_taken_from_the_note(seeded_session: Session) -> None:
    procedure = load(seeded_session, "1.003358")
    usd = [c for c in procedure.channels if "currency_from_note" in c.fee_flags]
    assert usd and all((c.fee_currency, c.fee_amount_vnd) == ("USD", None) for c in usd)


def test_sections_cut_by_the_source_are_repaired(seeded_session: Session) -> None:
    steps = load(seeded_session, "2.000693")
    assert steps.steps_text is not None and "tại Mục 2.3 (Thành phần hồ sơ)" in steps.steps_text
    assert any(
        issue.startswith("trinh_tu_thuc_hien: section cut by the source") for issue in steps.parse_issues
    )

    channels = load(seeded_session, "3.000337")
    assert len(channels.channels) == 3
    assert all(
        c.fee_note and c.fee_note.startswith("Căn cứ pháp lý: Thông tư 269/2016/TT-BTC")
        for c in channels.channels
    )
    assert channels.raw_record is not None and channels.raw_record["cach_thuc_thuc_hien"].endswith("100 VNĐ(")

    documents = load(
        seeded_session, "1.009539"
    )  # the published field stops at "Kết quả xử lý" inside a document
    assert len(documents.documents) == 3
    assert documents.results == [
        {"name": "Văn bản từ chối (nêu rõ lý do)", "code": "KQ.G12.001213"},
        {
            "name": "Quyết định thu hồi Giấy phép thành lập và hoạt động kinh doanh chứng khoán",
            "code": "KQ.G12.000139",
        },
    ]

    results = load(seeded_session, "3.000120")  # published result field empty: cut at "Thành phần hồ sơ"
    assert results.raw_record is not None and results.raw_record["ket_qua_xu_ly"] == ""
    assert [r["code"] for r in results.results] == ["KQ.G12.001333", "KQ.G12.001334"]


def test_page_controls_removed_from_results(seeded_session: Session) -> None:
    procedure = load(seeded_session, "1.003563")
    assert procedure.results == [{"name": "Giấy chứng nhận an toàn kỹ thuật tàu cá", "code": "KQ.G10.000145"}]
    assert procedure.results_text == "Giấy chứng nhận an toàn kỹ thuật tàu cáMã: KQ.G10.000145"


def test_text_shapes(seeded_session: Session) -> None:
    not_nfc = load(seeded_session, "1.010093")
    assert not_nfc.name == "Đăng ký hoạt động ứng phó và khắc phục hậu quả thiên tai tại Việt Nam"
    assert unicodedata.is_normalized("NFC", not_nfc.name)
    assert load(seeded_session, "2.002226").executing_agency == "Ủy ban Nhân dân xã, phường, thị trấn."
    assert load(seeded_session, "1.007797").subjects == ["Doanh nghiệp", "Cán bộ, công chức, viên chức"]
    line_break = load(seeded_session, "1.009644")
    assert "\n" not in line_break.name and line_break.name.startswith(
        "Thủ tục điều chỉnh Quyết định chấp thuận nhà đầu tư thuộc thẩm quyền của Chủ tịch"
    )
