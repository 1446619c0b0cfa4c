"""Vietnamese texts the action server sends, kept in one place."""

from __future__ import annotations

FALLBACK = (
    "Xin lỗi, tôi chưa hiểu rõ câu hỏi của bạn. Bạn có thể hỏi ngắn gọn hơn và nêu tên thủ tục, "
    "ví dụ: \"Đăng ký thường trú cần giấy tờ gì?\" hoặc \"Lệ phí cấp đổi thẻ căn cước bao nhiêu?\"."
)
BUTTON_HANDOFF = "Gặp cán bộ"
BUTTON_OTHER_PROCEDURE = "Hỏi thủ tục khác"
BUTTON_DOSSIER = "Tra cứu hồ sơ"
