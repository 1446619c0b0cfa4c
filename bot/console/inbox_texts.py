"""Vietnamese texts of the console's inbox and handoff pages (labels, notices, errors)."""

from __future__ import annotations

KIND_LABELS = {
    "unanswered": "Chưa trả lời được",
    "low_confidence": "Trợ lý ảo chưa chắc",
    "complaint": "Phản ánh",
    "feedback": "Không hài lòng (👎)",
    "handoff": "Yêu cầu gặp cán bộ",
}
CHANNEL_LABELS = {"telegram": "Telegram", "web": "Trang web", "api": "API"}
AUTHOR_LABELS = {
    "citizen": "Người dân",
    "bot": "Trợ lý ảo",
    "staff": "Cán bộ",
    "system": "Hệ thống",
}
# Every intent of the domain, as staff choose one for a training example.
INTENT_LABELS = {
    "ask_documents": "Hỏi hồ sơ, giấy tờ cần nộp",
    "ask_fee": "Hỏi phí, lệ phí",
    "ask_duration": "Hỏi thời hạn giải quyết",
    "ask_where": "Hỏi nơi nộp hồ sơ",
    "ask_steps": "Hỏi các bước thực hiện",
    "ask_online": "Hỏi nộp trực tuyến",
    "ask_requirements": "Hỏi điều kiện",
    "ask_result": "Hỏi kết quả nhận được",
    "ask_legal_basis": "Hỏi căn cứ pháp lý",
    "ask_overview": "Hỏi thông tin chung về thủ tục",
    "find_procedure": "Tìm thủ tục phù hợp với hoàn cảnh",
    "check_dossier_status": "Tra cứu tình trạng hồ sơ",
    "subscribe_dossier": "Đăng ký nhận thông báo về hồ sơ",
    "unsubscribe_dossier": "Hủy nhận thông báo về hồ sơ",
    "inform": "Cung cấp thông tin (mã hồ sơ, số điện thoại)",
    "other_procedure": "Hỏi thủ tục khác",
    "greet": "Chào hỏi",
    "goodbye": "Tạm biệt",
    "thank": "Cảm ơn",
    "affirm": "Đồng ý",
    "deny": "Không đồng ý",
    "human_handoff": "Muốn gặp cán bộ",
    "complaint": "Phản ánh, khiếu nại",
    "bot_challenge": "Hỏi có phải máy trả lời không",
    "out_of_scope": "Ngoài phạm vi hỗ trợ",
}

DONE = {
    "handled": "Đã đánh dấu đã xử lý.",
    "alias": (
        "Đã lưu tên gọi khác của thủ tục: trợ lý ảo nhận ra cách hỏi này ngay, không cần huấn luyện lại."
    ),
    "intent": "Đã lưu câu mẫu; câu này được dùng trong lần huấn luyện lại tới.",
    "sent": "Đã gửi trả lời tới người dân.",
    "released": "Đã trả cuộc trò chuyện lại cho trợ lý ảo.",
}

BAD_GROUP = "Không tìm thấy các tin nhắn cần xử lý. Hãy tải lại hộp thư."
NO_PROCEDURE = "Hãy chọn một thủ tục trong danh sách (tìm thủ tục trước nếu danh sách trống)."
NO_ALIAS = "Hãy nhập cách hỏi cần lưu (tối đa {limit} ký tự)."
UNKNOWN_PROCEDURE = "Không có thủ tục mã {code}."
NO_INTENT = "Hãy chọn một ý định trong danh sách."
NO_EXAMPLE = "Hãy nhập câu mẫu (tối đa {limit} ký tự)."
NO_REPLY = "Hãy nhập nội dung trả lời (tối đa {limit} ký tự)."
NOT_DELIVERED = (
    "Chưa gửi được trả lời tới người dân: kênh {channel} không phản hồi. Nội dung vẫn được giữ bên dưới, "
    "bạn hãy thử gửi lại sau ít phút."
)
RASA_DOWN = (
    "Không kết nối được với trợ lý ảo nên chưa trả lại được cuộc trò chuyện. "
    "Yêu cầu vẫn để mở; bạn hãy thử lại sau ít phút."
)
NOT_A_HANDOFF = "Tin nhắn này không phải yêu cầu gặp cán bộ."

# Told to the citizen when staff give the conversation back to the assistant.
RELEASED_TO_CITIZEN = (
    "Cán bộ đã kết thúc hỗ trợ. Từ bây giờ trợ lý ảo tiếp tục trả lời bạn; bạn cứ hỏi tiếp nhé."
)
