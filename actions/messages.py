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
