"""Vietnamese labels of the staff dashboard: its CSV export and its charts.

Kept together here, apart from the logic of ``knowledge.metrics`` and
``knowledge.charts``. Every string is NFC.
"""

from __future__ import annotations

# Channels as the gateway names them (``knowledge.inbox.channel_of``).
CHANNEL_LABELS: dict[str, str] = {
    "telegram": "Telegram",
    "web": "Trang web",
    "api": "API",
}

# Where the "top intents" come from (``knowledge.metrics.IntentRanking.source``).
INTENT_SOURCE_LABELS: dict[str, str] = {
    "messages": "Mọi tin nhắn đến của người dân",
    "inbox_and_feedback": (
        "Chỉ tin nhắn trong hộp thư cán bộ (chưa hiểu, chưa trả lời được, gặp cán bộ, khiếu nại) "
        "và câu hỏi được đánh giá 👍/👎; không phải mọi tin nhắn"
    ),
}

NO_DATA = "Chưa có dữ liệu"

# ------------------------------------------------------------------ CSV export

CSV_RANGE = "Khoảng thời gian (giờ Việt Nam, UTC+7)"
CSV_RANGE_HEADERS = ("Từ", "Đến (không tính)")

CSV_TRAFFIC = "Cuộc hội thoại và tin nhắn đến theo ngày, theo kênh"
CSV_TRAFFIC_HEADERS = ("Ngày", "Kênh", "Số cuộc hội thoại", "Số tin nhắn đến")

CSV_CHANNELS = "Tổng theo kênh trong cả khoảng thời gian"
CSV_CHANNELS_HEADERS = ("Kênh", "Số cuộc hội thoại", "Số tin nhắn đến")

CSV_PROCEDURES = "Thủ tục được hỏi nhiều nhất (theo câu trả lời của trợ lý ảo)"
CSV_PROCEDURES_HEADERS = ("Hạng", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Số câu trả lời")

CSV_INTENTS = "Ý định được hỏi nhiều nhất"
CSV_INTENTS_SOURCE = "Nguồn dữ liệu"
CSV_INTENTS_HEADERS = ("Hạng", "Ý định", "Số lần")

CSV_FALLBACK = "Tỷ lệ tin nhắn trợ lý ảo chưa hiểu hoặc chưa trả lời được"
CSV_FALLBACK_HEADERS = ("Số tin nhắn đến", "Số tin nhắn chưa hiểu hoặc chưa trả lời được", "Tỷ lệ")

CSV_HANDOFFS = "Yêu cầu gặp cán bộ theo ngày"
CSV_HANDOFFS_HEADERS = ("Ngày", "Số yêu cầu gặp cán bộ")

CSV_SATISFACTION = "Mức độ hài lòng (đánh giá 👍/👎)"
CSV_SATISFACTION_HEADERS = ("Ngày", "Số 👍", "Số 👎", "Tỷ lệ 👍")

CSV_RESPONSE = "Thời gian phản hồi của trợ lý ảo"
CSV_RESPONSE_HEADERS = ("Ngày", "Số câu trả lời", "Trung vị (ms)", "P95 (ms)")

CSV_TOTAL = "Cả kỳ"

# ------------------------------------------------------------------ charts

CHART_TRAFFIC_TITLE = "Tin nhắn đến theo ngày và kênh"
CHART_TRAFFIC_Y = "Số tin nhắn đến"
CHART_DAY_X = "Ngày"

CHART_PROCEDURES_TITLE = "Thủ tục được hỏi nhiều nhất"
CHART_PROCEDURES_X = "Số câu trả lời"

CHART_SATISFACTION_TITLE = "Tỷ lệ đánh giá hài lòng theo ngày"
CHART_SATISFACTION_Y = "Tỷ lệ hài lòng (%)"

CHART_RESPONSE_TITLE = "Thời gian phản hồi của trợ lý ảo"
CHART_RESPONSE_Y = "Giây"
CHART_RESPONSE_MEDIAN = "Trung vị"
CHART_RESPONSE_P95 = "P95 (95% câu trả lời nhanh hơn)"

# Text alternatives (<desc>) read by screen readers.
DESC_TRAFFIC = "Tổng {total} tin nhắn đến: {parts}."
DESC_PROCEDURES = "{count} thủ tục, nhiều nhất: {top} ({answers} câu trả lời)."
DESC_SATISFACTION = "{up} trên {total} đánh giá là hài lòng ({share})."
DESC_RESPONSE = "{count} câu trả lời; trung vị {median} giây, P95 {p95} giây."
