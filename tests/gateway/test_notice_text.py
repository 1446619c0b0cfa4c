"""The words of a dossier notice."""

from __future__ import annotations

from bot.notifier import notice_text
from knowledge.models import DossierEvent


def test_a_request_for_more_documents_lists_them() -> None:
    event = DossierEvent(status="needs_supplement", step="Thẩm định", note="Bản sao chưa chứng thực.")
    text = notice_text("000.00.00.H00-000000-0001", event, ["Bản sao giấy khai sinh có chứng thực"])
    assert text.splitlines() == [
        "🔔 Hồ sơ 000.00.00.H00-000000-0001 có cập nhật mới:",
        "Tình trạng: Cần bổ sung hồ sơ",
        "Bước hiện tại: Thẩm định",
        "Ghi chú: Bản sao chưa chứng thực.",
        "Giấy tờ cần bổ sung:",
        "- Bản sao giấy khai sinh có chứng thực",
        "Bạn có thể tra cứu chi tiết bằng mã hồ sơ và 4 số cuối điện thoại.",
    ]


def test_other_statuses_do_not_repeat_an_old_request() -> None:
    event = DossierEvent(status="processing")
    text = notice_text("000.00.00.H00-000000-0001", event, ["Bản sao giấy khai sinh"])
    assert "Giấy tờ cần bổ sung" not in text and "Bước hiện tại" not in text
