"""What the Telegram channel itself says, in Vietnamese, and its command menu.

The assistant's answers come from the gateway; these are only the texts the
channel needs on its own (help, notes on unsupported messages, errors).
"""

from __future__ import annotations

PRIVACY_NOTICE = (
    "Lưu ý: nội dung trao đổi được lưu để cải thiện câu trả lời; "
    "bạn đừng gửi số căn cước hay thông tin cá nhân không cần thiết."
)

# Sent on /start only when the assistant could not greet (its reply was empty).
WELCOME = (
    "Xin chào! Tôi là trợ lý ảo của Trung tâm Phục vụ hành chính công. "
    "Tôi giúp bạn tìm hiểu thủ tục hành chính (hồ sơ cần nộp, lệ phí, thời hạn, nơi nộp) "
    "và tra cứu tình trạng hồ sơ.\n" + PRIVACY_NOTICE
)

COMMANDS_HINT = (
    "Các lệnh: /tracuu tra cứu hồ sơ, /huy dừng việc đang làm, /nhanvien gặp cán bộ, /help hướng dẫn."
)

HELP = (
    "Bạn cứ gõ câu hỏi bằng tiếng Việt, có dấu hay không dấu đều được, ví dụ:\n"
    "• Làm giấy khai sinh cần giấy tờ gì?\n"
    "• Lệ phí cấp đổi giấy phép lái xe bao nhiêu?\n"
    "• Đăng ký kết hôn nộp ở đâu?\n"
    "\n"
    "Các lệnh:\n"
    "/tracuu – tra cứu tình trạng hồ sơ (cần mã hồ sơ trên giấy biên nhận)\n"
    "/huy – dừng việc đang làm (ví dụ đang tra cứu hồ sơ)\n"
    "/nhanvien – nhờ cán bộ hỗ trợ\n"
    "/start – lời chào và giới thiệu\n"
    "\n" + PRIVACY_NOTICE
)

UNKNOWN_COMMAND = "Tôi không có lệnh này. Gõ /help để xem các lệnh, hoặc cứ gõ câu hỏi bằng chữ nhé."

TEXT_ONLY = "Hiện tại tôi chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi bằng chữ nhé."

BUTTON_EXPIRED = "Nút này đã hết hạn, bạn vui lòng gõ lại câu hỏi."

BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút."

# A reply that has buttons but no text still needs a line above the buttons.
CHOOSE = "Bạn chọn một mục dưới đây:"

# The bot's command menu: (command, description shown by Telegram).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Lời chào, những việc tôi giúp được và lưu ý về dữ liệu"),
    ("help", "Cách hỏi và các lệnh"),
    ("tracuu", "Tra cứu tình trạng hồ sơ theo mã biên nhận"),
    ("huy", "Dừng việc đang làm (ví dụ tra cứu hồ sơ)"),
    ("nhanvien", "Nhờ cán bộ hỗ trợ"),
)
