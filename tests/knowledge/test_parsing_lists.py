"""Steps, results, subjects, levels, text cleaning and section re-cutting."""

from __future__ import annotations

from typing import Any

from knowledge.parsing.lists import parse_levels, split_results, split_steps, split_subjects
from knowledge.parsing.record import parse_record
from knowledge.parsing.sections import find_cuts, recut
from knowledge.parsing.text import clean, strip_bullet
from knowledge.settings import LEVEL_COMMUNE, LEVEL_MINISTRY, LEVEL_OTHER, LEVEL_PROVINCE


def test_steps_readme_examples() -> None:
    assert split_steps(
        "Bước 1: Đăng ký thu hoạch\nBước 2: Tổ chức kiểm soát thu hoạch tại hiện trường.\n"
        "Bước 3: Cấp Giấy chứng nhận xuất xứ hoặc Phiếu kiểm soát thu hoạch"
    ) == [
        "Bước 1: Đăng ký thu hoạch",
        "Bước 2: Tổ chức kiểm soát thu hoạch tại hiện trường.",
        "Bước 3: Cấp Giấy chứng nhận xuất xứ hoặc Phiếu kiểm soát thu hoạch",
    ]
    assert split_steps(
        "- Bước 1: Nộp hồ sơ\n- Bước 2: Thẩm định hồ sơ: Bộ Tài chính "
        "(Vụ CĐKT&KT) tiếp nhận hồ sơ và thẩm định "
        "hồ sơ.\n- Bước 3: Cấp giấy chứng nhận \n- Bước 4: Công khai "
        "danh sách trên trang điện tử Bộ Tài chính"
    ) == [
        "Bước 1: Nộp hồ sơ",
        "Bước 2: Thẩm định hồ sơ: Bộ Tài chính (Vụ CĐKT&KT) tiếp nhận hồ sơ và thẩm định hồ sơ.",
        "Bước 3: Cấp giấy chứng nhận",
        "Bước 4: Công khai danh sách trên trang điện tử Bộ Tài chính",
    ]


def test_steps_run_together_on_one_line() -> None:
    assert split_steps("Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.") == [
        "Bước 1: Nộp hồ sơ.",
        "Bước 2: Nhận kết quả.",
    ]


def test_results_without_page_controls() -> None:
    results, text = split_results(
        "Công văn thông báoMã: 000.00.00.KQ-167Công văn từ chối, nêu rõ lý doMã: 000.00.00.KQ-189"
        "Từ khóaKhông có thông tinMô tảKhông có thông tin"
    )
    assert results == [
        {"name": "Công văn thông báo", "code": "000.00.00.KQ-167"},
        {"name": "Công văn từ chối, nêu rõ lý do", "code": "000.00.00.KQ-189"},
    ]
    assert text == "Công văn thông báoMã: 000.00.00.KQ-167Công văn từ chối, nêu rõ lý doMã: 000.00.00.KQ-189"
    results, _ = split_results(
        "Giấy chứng nhận an toàn kỹ thuật tàu cáMã: KQ.G10.000145Từ "
        "khóaKhông có thông tinMô tảKhông có thông "
        "tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ"
    )
    assert results == [{"name": "Giấy chứng nhận an toàn kỹ thuật tàu cá", "code": "KQ.G10.000145"}]


def test_subjects_keep_a_category_with_a_comma() -> None:
    assert split_subjects("Doanh nghiệp, Cán bộ, công chức, viên chức") == [
        "Doanh nghiệp",
        "Cán bộ, công chức, viên chức",
    ]
    assert split_subjects("Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam") == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Công dân Việt Nam",
    ]


def test_levels_any_capitalisation() -> None:
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác") == {
        LEVEL_MINISTRY,
        LEVEL_PROVINCE,
        LEVEL_COMMUNE,
        LEVEL_OTHER,
    }
    assert parse_levels("Cấp Bộ, Cấp Tỉnh") == {LEVEL_MINISTRY, LEVEL_PROVINCE}


def test_clean_makes_nfc_and_removes_invisible_spaces() -> None:
    decomposed = "hoa\u0323t \u0111o\u0323\u0302ng"  # "hoạt động" with combining marks
    assert clean(decomposed) == "hoạt động"
    assert clean("Ủy ban Nhân dân\u00a0xã,\u00a0phường") == "Ủy ban Nhân dân xã, phường"
    assert clean("đăng k\u200eý\t hộ tịch") == "đăng ký hộ tịch"
    assert strip_bullet("- Văn bản thành lập;;;;") == "Văn bản thành lập"
    assert strip_bullet("c) Văn bản của cảng;.") == "c) Văn bản của cảng."


def test_section_cut_by_the_source_is_recut_from_raw_text(seed_records: dict[str, dict[str, Any]]) -> None:
    # 2.000693: the steps stop at "...tại Mục 2.3 (" because the text continues "Thành phần hồ sơ) ..."
    record = seed_records["2.000693"]
    assert record["trinh_tu_thuc_hien"].rstrip().endswith("tại Mục 2.3 (")
    sections = recut(record["raw_text"])
    assert sections is not None
    cuts = {cut.field: cut.kind for cut in find_cuts(record, sections)}
    assert cuts["trinh_tu_thuc_hien"] == "ended_early"
    assert "Mục 2.3 (Thành phần hồ sơ)" in sections["trinh_tu_thuc_hien"]
    parsed = parse_record(record)
    assert "trinh_tu_thuc_hien" in parsed.cuts
    assert "Mục 2.3 (Thành phần hồ sơ)" in parsed.values["steps_text"]


def test_fee_note_cut_by_the_source_is_recut(seed_records: dict[str, dict[str, Any]]) -> None:
    # 3.000337: the channels stop at "100 VNĐ(": the note starts "Căn cứ pháp lý: ..."
    record = seed_records["3.000337"]
    assert record["cach_thuc_thuc_hien"].endswith("100 VNĐ(")
    parsed = parse_record(record)
    assert {"cach_thuc_thuc_hien", "can_cu_phap_ly"} <= set(parsed.cuts)
    assert [c.channel_text for c in parsed.channels] == ["Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp"]
    for channel in parsed.channels:
        assert channel.fee.note is not None
        assert channel.fee.note.startswith("Căn cứ pháp lý: Thông tư 269/2016/TT-BTC")
        assert "note_cut" not in channel.flags
    # The legal bases are the real (empty) section, not the fee note the source took for it.
    assert parsed.legal_bases == []
    assert parsed.values["legal_bases_text"] is None
