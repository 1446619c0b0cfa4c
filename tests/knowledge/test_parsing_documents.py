"""Required documents and legal bases, on the data README's verbatim examples."""

from __future__ import annotations

from knowledge.models import DocumentGroup
from knowledge.parsing.documents import parse_glued as parse_documents
from knowledge.parsing.documents import parse_structured as structured_documents
from knowledge.parsing.documents import split_template
from knowledge.parsing.legal_bases import parse_glued as parse_legal
from knowledge.parsing.legal_bases import parse_structured as structured_legal


def names_and_counts(text: str) -> list[tuple[str, int | None, int | None, str | None]]:
    documents, _ = parse_documents(text)
    return [(d.name, d.originals, d.copies, d.template) for d in documents]


def test_document_with_template_file() -> None:
    # 1.002508
    text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai xóa đăng ký theo mẫuMuTkhaixaK.docx1 bản chính"
    assert names_and_counts(text) == [("Tờ khai xóa đăng ký theo mẫu", 1, 0, "MuTkhaixaK.docx")]


def test_document_with_copies() -> None:
    # 1.002181
    text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy tờ chứng minh về trụ sở0 bản chính,1 bản sao"
    assert names_and_counts(text) == [("Giấy tờ chứng minh về trụ sở", 0, 1, None)]


def test_quantities_inside_names_are_not_cells() -> None:
    # 1.007881: "(01 bản chính)" is part of the name; the cell is "0 bản chính"
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng+ Văn bản đề nghị xin tái xuất (01 bản chính)0 bản chính"
        "+ Đơn đề nghị theo mẫu quy định tại Phụ lục số 031 bản chính"
    )
    assert names_and_counts(text) == [
        ("Văn bản đề nghị xin tái xuất (01 bản chính)", 0, 0, None),
        ("Đơn đề nghị theo mẫu quy định tại Phụ lục số 03", 1, 0, None),
    ]


def test_groups_and_cases() -> None:
    text = (
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đăng ký khai sinh theo mẫu1 bản chính"
        "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy tờ tùy thân1 bản chính"
        "* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượngBản chụp phải rõ nét.0 bản chính"
    )
    documents, leftover = parse_documents(text)
    assert [(d.group, d.case_title, d.name) for d in documents] == [
        (DocumentGroup.SUBMIT, "Giấy tờ phải nộp:", "Tờ khai đăng ký khai sinh theo mẫu"),
        (DocumentGroup.PRESENT, "Giấy tờ phải xuất trình:", "Giấy tờ tùy thân"),
        (DocumentGroup.OTHER, "Lưu ý:", "Bản chụp phải rõ nét."),
    ]
    assert leftover is None


def test_text_after_the_last_quantity_is_returned() -> None:
    documents, leftover = parse_documents(
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị1 bản chínhSố lượng hồ sơ: 01 bộ"
    )
    assert [d.name for d in documents] == ["Đơn đề nghị"]
    assert leftover == "Số lượng hồ sơ: 01 bộ"


def test_text_without_table_is_left_as_text() -> None:
    assert parse_documents("Không có thông tin") == ([], "Không có thông tin")
    assert parse_documents("") == ([], None)


def test_template_file_names() -> None:
    assert split_template("Đơn đề nghị cấp đổi thẻ bảo hiểm y tếMau01-ĐN(BHYT) (1).doc") == (
        "Đơn đề nghị cấp đổi thẻ bảo hiểm y tế",
        "Mau01-ĐN(BHYT) (1).doc",
    )
    assert split_template("Danh sách người lao động (nếu có);Mau02-DS(BHYT).doc") == (
        "Danh sách người lao động (nếu có);",
        "Mau02-DS(BHYT).doc",
    )
    assert split_template("Văn bản đề nghị theo mẫu;Mẫu TP-TSCC-01a.docxMẫu TP-TSCC-01b.docx") == (
        "Văn bản đề nghị theo mẫu;",
        "Mẫu TP-TSCC-01a.docx; Mẫu TP-TSCC-01b.docx",
    )
    assert split_template("Bản khai cá nhân (mẫu AH1).72-Mẫu AH1-Bản khai cá nhân (anh hùng LLVT).doc") == (
        "Bản khai cá nhân (mẫu AH1).",
        "72-Mẫu AH1-Bản khai cá nhân (anh hùng LLVT).doc",
    )
    assert split_template("Giấy chứng nhận sức khỏe.") == ("Giấy chứng nhận sức khỏe.", None)


def test_structured_documents() -> None:
    # 1.013518 and 2.002760 (README): counts are in ghi_chu, so_luong holds the file name
    documents = structured_documents(
        [
            {
                "ten_giay_to": "Bản khai chung",
                "so_luong": "Bnkhaichung.docx",
                "ghi_chu": "Bản chính: 1\nBản sao: 0",
            },
            {"ten_giay_to": "1. Đơn đề nghị.", "so_luong": "", "ghi_chu": "Bản chính: 1\nBản sao: 0"},
        ]
    )
    assert [(d.name, d.originals, d.copies, d.template) for d in documents] == [
        ("Bản khai chung", 1, 0, "Bnkhaichung.docx"),
        ("1. Đơn đề nghị.", 1, 0, None),
    ]


def legal(text: str) -> list[tuple[str | None, str | None]]:
    rows, _ = parse_legal(text)
    return [(row.code, row.title) for row in rows]


def test_legal_bases_readme_examples() -> None:
    # 1.010055 and 1.012832
    assert legal(
        "Tên văn bản pháp lýMã văn bảnLuật 49/2019/QH1449/2019/QH14Nghị định 76/2020/NĐ-CP76/2020/NĐ-CP"
    ) == [("49/2019/QH14", "Luật 49/2019/QH14"), ("76/2020/NĐ-CP", "Nghị định 76/2020/NĐ-CP")]
    assert legal("Tên văn bản pháp lýMã văn bản106/2024/NĐ-CP106/2024/NĐ-CP") == [
        ("106/2024/NĐ-CP", "106/2024/NĐ-CP")
    ]


def test_legal_bases_titles_glued_to_numbers() -> None:
    assert legal(
        "Tên văn bản pháp lýMã văn bảnQuy định mức thu lệ phí150/2016/TT-BTCLuật Các tổ chức tín dụng"
        "Luật số 32/2024/QH15Thông tư quy định về cấp Giấy phép56/2025/TT-NHNN"
    ) == [
        ("150/2016/TT-BTC", "Quy định mức thu lệ phí"),
        ("32/2024/QH15", "Luật Các tổ chức tín dụng"),
        ("56/2025/TT-NHNN", "Thông tư quy định về cấp Giấy phép"),
    ]
    assert legal(
        "Tên văn bản pháp lýMã văn bảnVề an ninh hàng không92/2015/NĐ-CPLUẬT  HÀNG KHÔNG66/2006/QH11"
    ) == [
        ("92/2015/NĐ-CP", "Về an ninh hàng không"),
        ("66/2006/QH11", "LUẬT HÀNG KHÔNG"),
    ]


def test_legal_bases_number_inside_the_title() -> None:
    assert legal(
        "Tên văn bản pháp lýMã văn bảnThông tư số 40/2025/TT-BTC Sửa đổi, bổ sung một số điều40/2025/TT-BTC"
    ) == [("40/2025/TT-BTC", "Thông tư số 40/2025/TT-BTC Sửa đổi, bổ sung một số điều")]


def test_legal_bases_placeholder() -> None:
    assert parse_legal("Không có thông tin") == ([], None)


def test_structured_legal_bases() -> None:
    [row] = structured_legal(
        [
            {
                "so_ky_hieu": "58/2017/NĐ-CP",
                "trich_yeu": "Quy định chi tiết một số điều của Bộ luật Hàng "
                "hải Việt Nam về quản lý hoạt động hàng hải",
                "ngay_ban_hanh": "10-05-2017",
                "co_quan_ban_hanh": "Chính phủ",
            }
        ]
    )
    assert (row.code, row.issued_on.isoformat() if row.issued_on else None, row.issuer) == (
        "58/2017/NĐ-CP",
        "2017-05-10",
        "Chính phủ",
    )
