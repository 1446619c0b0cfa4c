"""Vietnamese texts the action server sends, kept in one place."""

from __future__ import annotations

FALLBACK = (
    "Xin lỗi, tôi chưa hiểu rõ câu hỏi của bạn. Bạn có thể hỏi ngắn gọn hơn và nêu tên thủ tục, "
    'ví dụ: "Đăng ký thường trú cần giấy tờ gì?" hoặc "Lệ phí cấp đổi thẻ căn cước bao nhiêu?".'
)
BUTTON_HANDOFF = "Gặp cán bộ"
BUTTON_OTHER_PROCEDURE = "Hỏi thủ tục khác"
BUTTON_DOSSIER = "Tra cứu hồ sơ"

NO_PROCEDURE_FOUND = (
    "Tôi chưa tìm thấy thủ tục phù hợp với câu hỏi. Bạn thử nêu tên thủ tục cụ thể hơn, ví dụ "
    "\"cấp đổi thẻ căn cước\", \"đăng ký thường trú\", \"cấp giấy phép xây dựng\"; hoặc gặp cán bộ để được hỗ trợ."
)
NO_MATCH_BUTTONS = [
    {"title": BUTTON_HANDOFF, "payload": "/human_handoff"},
    {"title": BUTTON_DOSSIER, "payload": "/check_dossier_status"},
]
WHICH_PROCEDURE = "Có một vài thủ tục gần với câu hỏi của bạn. Bạn hỏi về thủ tục nào?"
SITUATION_CANDIDATES = "Với trường hợp của bạn, có thể bạn cần một trong các thủ tục sau. Chọn một thủ tục để xem chi tiết:"
