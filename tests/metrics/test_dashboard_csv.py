"""The dashboard's CSV export: sections, Vietnamese headers, exact rows."""

from __future__ import annotations

import csv
import io
import unicodedata

from sqlalchemy.orm import Session

from knowledge import metrics
from tests.metrics.conftest import CAN_CUOC, END, KHAI_SINH, START


def sections(text: str) -> dict[str, list[list[str]]]:
    """The CSV's sections by title: each one's lines after its title, up to the empty line."""
    found: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text, newline="")):
        if not row:
            current = None
        elif current is None:
            current = found.setdefault(row[0], [])
        else:
            current.append(row)
    return found


def test_csv_has_one_section_per_metric_with_exact_rows(session: Session) -> None:
    text = metrics.to_csv(metrics.build_dashboard(session, START, END))
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith("\r\n\r\n")
    found = sections(text)
    assert list(found) == [
        "Khoảng thời gian (giờ Việt Nam, UTC+7)",
        "Cuộc hội thoại và tin nhắn đến theo ngày, theo kênh",
        "Tổng theo kênh trong cả khoảng thời gian",
        "Thủ tục được hỏi nhiều nhất (theo câu trả lời của trợ lý ảo)",
        "Ý định được hỏi nhiều nhất",
        "Tỷ lệ tin nhắn trợ lý ảo chưa hiểu hoặc chưa trả lời được",
        "Yêu cầu gặp cán bộ theo ngày",
        "Mức độ hài lòng (đánh giá 👍/👎)",
        "Thời gian phản hồi của trợ lý ảo",
    ]
    assert found["Khoảng thời gian (giờ Việt Nam, UTC+7)"] == [
        ["Từ", "Đến (không tính)"],
        ["2026-03-01 00:00", "2026-03-04 00:00"],
    ]
    traffic = found["Cuộc hội thoại và tin nhắn đến theo ngày, theo kênh"]
    assert traffic[0] == ["Ngày", "Kênh", "Số cuộc hội thoại", "Số tin nhắn đến"]
    assert traffic[1:4] == [
        ["2026-03-01", "Telegram", "1", "2"],
        ["2026-03-01", "Trang web", "1", "1"],
        ["2026-03-01", "API", "0", "0"],
    ]
    assert len(traffic) == 1 + 9
    assert found["Tổng theo kênh trong cả khoảng thời gian"] == [
        ["Kênh", "Số cuộc hội thoại", "Số tin nhắn đến"],
        ["Telegram", "2", "3"],
        ["Trang web", "2", "3"],
        ["API", "1", "1"],
    ]
    assert found["Thủ tục được hỏi nhiều nhất (theo câu trả lời của trợ lý ảo)"] == [
        ["Hạng", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Số câu trả lời"],
        ["1", "1.001193", KHAI_SINH, "Cấp xã", "3"],
        ["2", "", CAN_CUOC, "Cấp tỉnh", "1"],
    ]
    intents = found["Ý định được hỏi nhiều nhất"]
    assert intents[0][0] == "Nguồn dữ liệu"
    assert "không phải mọi tin nhắn" in intents[0][1]
    assert intents[1:3] == [["Hạng", "Ý định", "Số lần"], ["1", "ask_fee", "3"]]
    assert found["Tỷ lệ tin nhắn trợ lý ảo chưa hiểu hoặc chưa trả lời được"] == [
        ["Số tin nhắn đến", "Số tin nhắn chưa hiểu hoặc chưa trả lời được", "Tỷ lệ"],
        ["7", "2", "0.2857"],
    ]
    assert found["Yêu cầu gặp cán bộ theo ngày"] == [
        ["Ngày", "Số yêu cầu gặp cán bộ"],
        ["2026-03-01", "0"],
        ["2026-03-02", "1"],
        ["2026-03-03", "1"],
        ["Cả kỳ", "2"],
    ]
    assert found["Mức độ hài lòng (đánh giá 👍/👎)"] == [
        ["Ngày", "Số 👍", "Số 👎", "Tỷ lệ 👍"],
        ["2026-03-01", "2", "1", "0.6667"],
        ["2026-03-02", "0", "0", ""],
        ["2026-03-03", "1", "0", "1.0000"],
        ["Cả kỳ", "3", "1", "0.7500"],
    ]
    assert found["Thời gian phản hồi của trợ lý ảo"] == [
        ["Ngày", "Số câu trả lời", "Trung vị (ms)", "P95 (ms)"],
        ["2026-03-01", "3", "800", "1160"],
        ["2026-03-02", "2", "1300", "1930"],
        ["2026-03-03", "1", "300", "300"],
        ["Cả kỳ", "6", "700", "1800"],
    ]


def test_csv_of_an_empty_range_has_every_section_and_empty_cells(empty_session: Session) -> None:
    found = sections(metrics.to_csv(metrics.build_dashboard(empty_session, START, END)))
    assert len(found) == 9
    assert found["Tỷ lệ tin nhắn trợ lý ảo chưa hiểu hoặc chưa trả lời được"][1] == ["0", "0", ""]
    assert found["Thời gian phản hồi của trợ lý ảo"][-1] == ["Cả kỳ", "0", "", ""]
    assert found["Thủ tục được hỏi nhiều nhất (theo câu trả lời của trợ lý ảo)"] == [
        ["Hạng", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Số câu trả lời"]
    ]


def test_csv_for_excel_starts_with_a_byte_order_mark(empty_session: Session) -> None:
    dashboard = metrics.build_dashboard(empty_session, START, END)
    with_bom = metrics.to_csv(dashboard, bom=True)
    assert with_bom.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert with_bom[1:] == metrics.to_csv(dashboard)
