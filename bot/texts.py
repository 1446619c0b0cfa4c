"""Vietnamese texts the gateway itself says (not the assistant's answers)."""

from __future__ import annotations

BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút."
EMPTY = 'Bạn chưa nhập nội dung. Hãy gõ câu hỏi của bạn, ví dụ: "Đăng ký khai sinh cần giấy tờ gì?"'
TOO_LONG = (
    "Tin nhắn quá dài (tối đa {limit} ký tự). Bạn vui lòng hỏi ngắn gọn, mỗi lần một ý, "
    'ví dụ: "Lệ phí cấp hộ chiếu là bao nhiêu?"'
)
TOO_FAST = "Bạn gửi tin nhắn quá nhanh. Vui lòng chờ khoảng một phút rồi gửi tiếp."
NO_ANSWER = (
    "Xin lỗi, tôi chưa có câu trả lời cho tin nhắn này. Bạn thử hỏi theo cách khác, hoặc gõ "
    '"gặp cán bộ" để được hỗ trợ.'
)
WITH_STAFF = (
    "Tin nhắn của bạn đã được chuyển tới cán bộ của Trung tâm; cán bộ sẽ trả lời tại đây. "
    'Muốn hỏi tiếp trợ lý ảo, bạn bấm "Tiếp tục với trợ lý ảo".'
)
BUTTON_RESUME = "Tiếp tục với trợ lý ảo"
BAD_REQUEST = "Yêu cầu không hợp lệ."
BAD_SENDER = "Mã phiên trò chuyện không hợp lệ."
FORBIDDEN_ORIGIN = "Trang web này không được phép dùng trợ lý ảo."
NOT_FOUND = "Không tìm thấy trang yêu cầu."
SERVER_ERROR = "Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút."

DOSSIER_UPDATE = "🔔 Hồ sơ {code} có cập nhật mới:\nTình trạng: {status}"
DOSSIER_UPDATE_STEP = "Bước hiện tại: {step}"
DOSSIER_UPDATE_NOTE = "Ghi chú: {note}"
DOSSIER_UPDATE_SUPPLEMENTS = "Giấy tờ cần bổ sung:"
DOSSIER_UPDATE_MORE = "Bạn có thể tra cứu chi tiết bằng mã hồ sơ và 4 số cuối điện thoại."
