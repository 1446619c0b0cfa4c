"""Vietnamese texts the action server sends, kept in one place."""

from __future__ import annotations

FALLBACK = (
    "Xin lỗi, tôi chưa hiểu rõ câu hỏi của bạn. Có phải bạn muốn hỏi một trong các ý dưới đây? "
    'Bạn cũng có thể hỏi ngắn gọn và nêu tên thủ tục, ví dụ: "Đăng ký thường trú cần giấy tờ gì?".'
)
FALLBACK_AGAIN = (
    "Xin lỗi, tôi vẫn chưa hiểu được câu hỏi. Câu hỏi đã được ghi lại để cán bộ của Trung tâm xem xét; "
    "bạn có muốn gặp cán bộ để được hỗ trợ trực tiếp không?"
)
HANDOFF = (
    "Yêu cầu gặp cán bộ của bạn đã được ghi nhận và chuyển tới Trung tâm Phục vụ hành chính công, "
    "kèm nội dung trao đổi vừa rồi. Cán bộ làm việc {hours}."
)
COMPLAINT = (
    "Tôi rất tiếc vì trải nghiệm chưa tốt của bạn. Phản ánh đã được ghi nhận với mã {reference} và "
    "chuyển tới cán bộ phụ trách. Bạn có thể dùng mã này khi liên hệ lại với Trung tâm."
)
# Question types, as buttons when the NLU is unsure.
INTENT_LABELS = {
    "ask_documents": "Hỏi hồ sơ cần nộp",
    "ask_fee": "Hỏi lệ phí",
    "ask_duration": "Hỏi thời hạn giải quyết",
    "ask_where": "Hỏi nơi nộp hồ sơ",
    "ask_steps": "Hỏi các bước thực hiện",
    "ask_online": "Hỏi nộp trực tuyến",
    "ask_requirements": "Hỏi điều kiện",
    "ask_result": "Hỏi kết quả nhận được",
    "ask_legal_basis": "Hỏi căn cứ pháp lý",
    "ask_overview": "Thông tin chung về thủ tục",
    "find_procedure": "Tìm thủ tục phù hợp",
    "check_dossier_status": "Tra cứu hồ sơ",
}
BUTTON_HANDOFF = "Gặp cán bộ"
BUTTON_OTHER_PROCEDURE = "Hỏi thủ tục khác"
BUTTON_DOSSIER = "Tra cứu hồ sơ"

NO_PROCEDURE_FOUND = (
    "Tôi chưa tìm thấy thủ tục phù hợp với câu hỏi. Bạn thử nêu tên thủ tục cụ thể hơn, ví dụ "
    '"cấp đổi thẻ căn cước", "đăng ký thường trú", "cấp giấy phép xây dựng"; hoặc gặp cán bộ để được hỗ trợ.'
)
NO_MATCH_BUTTONS = [
    {"title": BUTTON_HANDOFF, "payload": "/human_handoff"},
    {"title": BUTTON_DOSSIER, "payload": "/check_dossier_status"},
]
WHICH_PROCEDURE = "Có một vài thủ tục gần với câu hỏi của bạn. Bạn hỏi về thủ tục nào?"
SITUATION_CANDIDATES = (
    "Với trường hợp của bạn, có thể bạn cần một trong các thủ tục sau. Chọn một thủ tục để xem chi tiết:"
)

DOSSIER_BAD_CODE = (
    "Mã hồ sơ chưa đúng định dạng. Mã nằm trên giấy biên nhận, có dạng 000.00.04.H51-240315-0012. "
    'Bạn vui lòng nhập lại (hoặc gõ "thôi" để dừng tra cứu).'
)
DOSSIER_BAD_DIGITS = "Vui lòng nhập đúng 4 chữ số cuối của số điện thoại đã đăng ký khi nộp hồ sơ."
DOSSIER_REFUSED = (
    "Mã hồ sơ hoặc 4 số cuối điện thoại không khớp. Bạn kiểm tra lại giấy biên nhận rồi tra cứu lại; "
    "nếu vẫn không được, hãy gặp cán bộ để được hỗ trợ."
)
DOSSIER_LOCKED = (
    "Bạn đã nhập sai quá nhiều lần. Để bảo vệ thông tin hồ sơ, việc tra cứu tạm khóa trong 1 giờ. "
    "Bạn có thể gặp cán bộ hoặc mang giấy biên nhận đến bộ phận một cửa."
)
DOSSIER_LATE = "Hồ sơ đã quá hạn {days} ngày. Chúng tôi thành thật xin lỗi vì sự chậm trễ này."

HANDOFF_PAUSED = (
    "Trong lúc chờ cán bộ, trợ lý ảo tạm dừng trả lời cuộc trò chuyện này; tin nhắn của bạn vẫn được "
    'chuyển tới cán bộ. Muốn hỏi tiếp trợ lý ảo, bạn bấm "Tiếp tục với trợ lý ảo".'
)
BUTTON_RESUME = "Tiếp tục với trợ lý ảo"

FEEDBACK_THANKS = "Cảm ơn bạn đã đánh giá! Bạn còn cần hỏi gì thêm không ạ?"
FEEDBACK_WHAT_WAS_WRONG = (
    "Cảm ơn bạn đã cho biết. Câu trả lời chưa ổn ở điểm nào? (không bắt buộc, bạn chọn một ý bên dưới "
    "hoặc cứ hỏi tiếp câu khác)"
)
FEEDBACK_NOTED = "Cảm ơn bạn, góp ý đã được chuyển tới cán bộ để cải thiện câu trả lời."

BUTTON_SUBSCRIBE = "🔔 Báo cho tôi khi hồ sơ thay đổi"
BUTTON_UNSUBSCRIBE = "Ngừng nhận thông báo"
SUBSCRIBED = (
    "Đã đăng ký: khi hồ sơ {code} có thay đổi (được giải quyết, cần bổ sung, có kết quả...), "
    "tôi sẽ nhắn cho bạn qua kênh này."
)
SUBSCRIBE_NEEDS_PROOF = (
    "Để nhận thông báo về một hồ sơ, trước hết bạn cần tra cứu hồ sơ đó (mã hồ sơ và 4 số cuối "
    "điện thoại) trong cuộc trò chuyện này."
)
UNSUBSCRIBED = "Đã ngừng gửi thông báo về hồ sơ cho bạn."
NOT_SUBSCRIBED = "Bạn chưa đăng ký nhận thông báo hồ sơ nào trong cuộc trò chuyện này."

# Frequent questions staff wrote in the console (actions/faq.py).
FAQ_ANSWER = "💬 Câu hỏi thường gặp: {question}\n{answer}"
FAQ_BUTTON = "Câu hỏi thường gặp: {question}"
FAQ_GONE = (
    "Câu hỏi này không còn trong danh sách câu hỏi thường gặp. Bạn có thể đặt câu hỏi theo cách của mình "
    "hoặc gặp cán bộ để được hỗ trợ."
)

OTHER_PROCEDURE = (
    'Bạn muốn hỏi thủ tục nào? Hãy gõ tên thủ tục (ví dụ "đăng ký kết hôn", "cấp đổi thẻ căn cước") '
    'hoặc kể việc bạn cần làm (ví dụ "tôi mới sinh con").'
)
INFORM_OUTSIDE_FORM = (
    'Tôi chưa rõ dãy số này dùng để làm gì. Nếu bạn muốn tra cứu hồ sơ, bấm "Tra cứu hồ sơ" rồi nhập '
    "mã hồ sơ in trên giấy biên nhận."
)
