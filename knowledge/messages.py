"""Vietnamese text the knowledge base shows to people (staff at the console,
citizens through the actions): labels of codes, and the command line's
messages. Kept here, not scattered through the logic."""

from __future__ import annotations

from typing import Any

STATUS_LABELS: dict[str, str] = {
    "received": "Đã tiếp nhận",
    "in_progress": "Đang giải quyết",
    "needs_supplement": "Cần bổ sung hồ sơ",
    "ready": "Đã có kết quả, chờ trả",
    "returned": "Đã trả kết quả",
    "rejected": "Từ chối giải quyết",
    "overdue": "Quá hạn giải quyết",
}
CHANNEL_LABELS: dict[str, str] = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Qua bưu chính",
}
TIME_UNIT_LABELS: dict[str, str] = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ",
    "months": "tháng",
}
DOCUMENT_GROUP_LABELS: dict[str, str] = {
    "submit": "Giấy tờ phải nộp",
    "present": "Giấy tờ phải xuất trình",
    "other": "Khác",
}

# ------------------------------------------------------------------ command line

CLI_DESCRIPTION = "Quản lý cơ sở tri thức thủ tục hành chính (dành cho cán bộ)."
HELP_IMPORT = "nhập dữ liệu thủ tục từ tệp JSON Lines (.jsonl, .jsonl.xz); không có FILE: nhập dữ liệu gốc"
HELP_IMPORT_FILES = "tệp cần nhập"
HELP_IMPORT_ALIASES = "nạp cả danh sách tên gọi khác (mặc định khi nhập dữ liệu gốc)"
HELP_SHOW = "xem một thủ tục theo mã"
HELP_CODE = "mã thủ tục, ví dụ 1.001193"
HELP_STATS = "thống kê cơ sở tri thức"
HELP_ALIAS = "quản lý tên gọi khác của thủ tục (sổ đỏ, cccd...)"
HELP_ALIAS_ADD = "thêm tên gọi khác cho một hoặc nhiều thủ tục"
HELP_ALIAS_LIST = "liệt kê tên gọi khác"
HELP_ALIAS_REMOVE = "gỡ tên gọi khác (hoặc chỉ gỡ khỏi một số thủ tục)"
HELP_ALIAS_TEXT = 'tên gọi, ví dụ "sổ đỏ"'
HELP_ALIAS_CODES = "mã thủ tục"
HELP_EXPORT = "xuất cơ sở tri thức ra JSON Lines (nhập lại được bằng lệnh import)"
HELP_EXPORT_OUTPUT = "tệp kết quả (mặc định: in ra màn hình)"
HELP_SEED_DEMO = "tạo khoảng 40 hồ sơ mẫu (hư cấu) để thử tra cứu"
HELP_MIGRATE = "cập nhật cấu trúc cơ sở dữ liệu (alembic upgrade head)"
HELP_DATABASE = "địa chỉ cơ sở dữ liệu (mặc định: DATABASE_URL)"
HELP_SEARCH = "tìm thủ tục như trợ lý ảo tìm (để kiểm tra kết quả tìm kiếm)"
HELP_SEARCH_QUERY = 'câu hỏi hoặc tên thủ tục, ví dụ "làm sổ đỏ"'
HELP_SEARCH_LIMIT = "số thủ tục tối đa in ra (mặc định: {default})"
HELP_CREATE_ADMIN = "tạo tài khoản quản trị cho trang quản lý (hoặc đặt lại mật khẩu với --reset)"
HELP_USERNAME = "tên đăng nhập (chữ không dấu, số và . _ @ -; 3-64 ký tự)"
HELP_PASSWORD_STDIN = "đọc mật khẩu từ dòng đầu của đầu vào chuẩn (dùng trong script)"  # noqa: S105 (a label, not a password)
HELP_RESET = "tài khoản đã có: đặt lại mật khẩu, mở khóa và cấp quyền quản trị"

MIGRATED = "Cơ sở dữ liệu đã ở phiên bản mới nhất."
NOT_FOUND = "Không tìm thấy thủ tục có mã {code}."
UNKNOWN_CODES = "Không có thủ tục với mã: {codes}"
ALIAS_ADDED = 'Đã thêm tên gọi "{text}" cho: {codes}'
ALIAS_REMOVED = 'Đã gỡ tên gọi "{text}".'
ALIAS_UNKNOWN = 'Không có tên gọi "{text}".'
NO_ALIASES = "Chưa có tên gọi nào."
EXPORTED = "Đã xuất {count} thủ tục vào {path}."
DEMO_DONE = "Hồ sơ mẫu: {created} tạo mới, {existing} đã có (tổng {total})."
DEMO_NO_PROCEDURES = 'Chưa có thủ tục nào để gắn hồ sơ mẫu: hãy chạy "python -m knowledge import" trước.'
REPORT_SAVED = "Báo cáo chi tiết: {path}"
ALIASES_SEEDED = "Tên gọi khác: {aliases} trong danh sách, {created} tạo mới, {links} liên kết mới."
ALIASES_MISSING = "  Cảnh báo: {count} mã thủ tục trong danh sách tên gọi không có trong dữ liệu."

SEARCH_RESULT = "{rank}. {code} [{levels}] {score:.3f} {name}"
SEARCH_NO_LEVELS = "không rõ cấp"
SEARCH_CLEAR = "Thủ tục đầu tiên rõ ràng vượt trội: trợ lý ảo trả lời ngay về thủ tục này."
SEARCH_UNCLEAR = "Thủ tục đầu tiên chưa rõ ràng vượt trội: trợ lý ảo có thể hỏi lại người dân chọn thủ tục."
SEARCH_NOTHING = "Không tìm thấy thủ tục nào phù hợp."
LIMIT_NOT_POSITIVE = "phải là số nguyên dương: {value}"

PASSWORD_PROMPT = "Mật khẩu: "  # noqa: S105 (a label, not a password)
PASSWORD_AGAIN_PROMPT = "Nhập lại mật khẩu: "  # noqa: S105 (a label, not a password)
PASSWORD_MISMATCH = "Hai lần nhập mật khẩu không khớp."  # noqa: S105 (a label, not a password)
PASSWORD_LENGTH = "Mật khẩu phải có từ {min} đến {max} ký tự."  # noqa: S105 (a label, not a password)
USERNAME_INVALID = (
    'Tên đăng nhập "{username}" không hợp lệ: chỉ gồm chữ không dấu, chữ số và . _ @ -, từ 3 đến 64 ký tự.'
)
USERNAME_TAKEN = 'Tài khoản "{username}" đã có; thêm --reset để đặt lại mật khẩu.'
ADMIN_CREATED = 'Đã tạo tài khoản quản trị "{username}".'
ADMIN_RESET = 'Đã đặt lại mật khẩu, mở khóa và cấp quyền quản trị cho tài khoản "{username}".'

_FIELD_LABELS = {
    "channels": "Cách thức thực hiện",
    "documents": "Thành phần hồ sơ",
    "legal_bases": "Căn cứ pháp lý",
    "steps": "Trình tự thực hiện",
    "results": "Kết quả",
}
_SKIP_LABELS = {
    "mislabeled": "trang thuộc thủ tục khác (gắn nhầm mã)",
    "duplicate_code_in_input": "trùng mã trong dữ liệu nhập",
    "unknown_format": "không đúng định dạng",
    "missing_code_or_name": "thiếu mã hoặc tên",
    "invalid_json": "dòng không phải một đối tượng JSON",
}


def import_summary(report: dict[str, Any]) -> str:
    """The import report as a few readable lines."""
    records = report["records"]
    lines = [
        f"Đã nhập {records['imported']} thủ tục trong {report['duration_seconds']} giây "
        f"({records['created']} mới, {records['updated']} cập nhật, {records['unchanged']} không đổi; "
        f"đã đọc {records['read']} bản ghi).",
    ]
    for reason, count in records["skipped"].items():
        lines.append(f"  Bỏ qua {count} bản ghi: {_SKIP_LABELS.get(reason, reason)}.")
    lines.append("Phân tích các trường (đã tách thành dữ liệu / chỉ giữ văn bản / trống):")
    for name, info in report["fields"].items():
        label = _FIELD_LABELS.get(name, name)
        lines.append(
            f"  {label}: {info['parsed']} / {info['text_only']} / {info['empty']} "
            f"({info['parsed_percent_of_non_empty']}% số bản ghi có nội dung)"
        )
        for reason, count in info["text_only_reasons"].items():
            lines.append(f"      - {count}: {reason}")
    rows = report["channel_rows"]
    if rows.get("rows"):
        lines.append(
            f"Cách thức nộp: {rows['rows']} dòng; thời hạn có đơn vị {rows.get('time_with_unit', 0)}, "
            f"chỉ có số {rows.get('time_bare_number', 0)}, chỉ có chữ {rows.get('time_text_only', 0)}."
        )
        fees = rows["fees"]
        lines.append(
            "  Phí, lệ phí: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(fees.items(), key=lambda kv: -kv[1]))
        )
        if rows["flags"]:
            lines.append(
                "  Điểm cần lưu ý: "
                + ", ".join(f"{flag} {count}" for flag, count in sorted(rows["flags"].items()))
            )
    cuts = report["section_cuts"]
    if cuts["records"]:
        lines.append(
            f"Mục bị nguồn cắt sai: {cuts['records']} thủ tục (đã cắt lại từ raw_text): "
            + ", ".join(f"{name} {count}" for name, count in sorted(cuts["by_field"].items()))
        )
    if report["staff_edits_kept"]:
        lines.append(
            "Giữ nguyên chỉnh sửa của cán bộ: "
            + ", ".join(f"{name} {count}" for name, count in sorted(report["staff_edits_kept"].items()))
        )
    return "\n".join(lines)


# --------------------------------------------------------------------- dossiers
# Shown to staff: the console's dossier pages, the CSV import, the command line.

DOSSIER_BAD_CODE = "Mã hồ sơ «{code}» không đúng mẫu mã hồ sơ của tỉnh."
DOSSIER_NO_CODE = "Thiếu mã hồ sơ."
DOSSIER_EXISTS = "Mã hồ sơ {code} đã có."
DOSSIER_UNKNOWN = "Không có hồ sơ mã {code}."
DOSSIER_UNKNOWN_PROCEDURE = "Không có thủ tục mã {code} trong cơ sở tri thức."
DOSSIER_BAD_STATUS = "Trạng thái «{status}» không hợp lệ; dùng một trong: {labels}."
DOSSIER_NO_NAME = "Thiếu họ tên người nộp hồ sơ."
DOSSIER_BAD_PHONE = "Số điện thoại không hợp lệ (cần từ 9 đến 11 chữ số)."
DOSSIER_BAD_DATE = "{field} «{value}» không đúng định dạng (dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc yyyy-mm-dd)."
DOSSIER_DUE_BEFORE_RECEIVED = "Ngày hẹn trả trước ngày tiếp nhận."
DOSSIER_TEXT_TOO_LONG = "{field} dài quá {limit} ký tự."
DOSSIER_TOO_MANY_SUPPLEMENTS = "Nhiều hơn {limit} giấy tờ cần bổ sung."
DOSSIER_SUPPLEMENTS_NEED_STATUS = "Chỉ ghi giấy tờ cần bổ sung khi trạng thái là «{label}»."
DOSSIER_BAD_SOURCE = "Nguồn cập nhật «{source}» không hợp lệ."
DOSSIER_RECEIVED_NOTE = "Hồ sơ đã được tiếp nhận."

FIELD_NAME = "Họ tên"
FIELD_RECEIVED_AT = "Ngày tiếp nhận"
FIELD_DUE_AT = "Ngày hẹn trả"
FIELD_STEP = "Bước hiện tại"
FIELD_NOTE = "Ghi chú"
FIELD_SUPPLEMENT = "Giấy tờ cần bổ sung"
FIELD_PICKUP_PLACE = "Nơi nhận kết quả"

# What an import row changed (the values themselves are not repeated: they may be personal).
CHANGE_STATUS = "trạng thái: {old} → {new}"
CHANGE_LABELS: dict[str, str] = {
    "applicant_name": "họ tên",
    "procedure": "thủ tục",
    "phone": "số điện thoại",
    "received_at": "ngày tiếp nhận",
    "due_at": "ngày hẹn trả",
    "pickup_place": "nơi nhận kết quả",
    "step": "bước hiện tại",
    "supplements": "giấy tờ cần bổ sung",
    "note": "ghi chú mới",
}

CSV_CANNOT_READ = "Không đọc được tệp {path}: {reason}"
CSV_NOT_UTF8 = "Tệp không phải văn bản UTF-8: hãy lưu lại tệp dưới dạng «CSV UTF-8»."
CSV_EMPTY = "Tệp trống: cần một dòng tiêu đề và các dòng hồ sơ."
CSV_NO_CODE_COLUMN = "Thiếu cột mã hồ sơ (ma_ho_so) trong dòng tiêu đề."
CSV_DUPLICATE_COLUMN = "Cột «{column}» xuất hiện hai lần trong dòng tiêu đề."
CSV_BAD_FORMAT = "Không đọc được tệp CSV: {reason}"
CSV_TOO_MANY_CELLS = "Dòng có nhiều ô hơn dòng tiêu đề (kiểm tra dấu phân cách trong nội dung)."
CSV_DUPLICATE_ROW = "Mã hồ sơ trùng với dòng {line}."
CSV_MISSING_FOR_NEW = (
    "Hồ sơ mới cần đủ mã thủ tục, họ tên, số điện thoại và ngày tiếp nhận (thiếu: {fields})."
)
CSV_FIELD_NAMES: dict[str, str] = {
    "ma_thu_tuc": "mã thủ tục",
    "ho_ten": "họ tên",
    "so_dien_thoai": "số điện thoại",
    "ngay_tiep_nhan": "ngày tiếp nhận",
}
CSV_OUTCOME_LABELS: dict[str, str] = {
    "created": "tạo mới",
    "updated": "cập nhật",
    "unchanged": "không đổi",
    "error": "lỗi",
}
CSV_SUMMARY = "{rows} dòng hồ sơ: {created} tạo mới, {updated} cập nhật, {unchanged} không đổi, {errors} lỗi."
CSV_DRY_RUN = "Chạy thử: chưa ghi gì vào cơ sở dữ liệu."
CSV_IGNORED_COLUMNS = "Bỏ qua các cột không dùng: {columns}."
CSV_ROW = "  Dòng {line} ({code}): {outcome}{detail}"
CSV_ERRORS_KEPT_OTHERS = "Các dòng không lỗi vẫn được ghi; sửa các dòng lỗi rồi nhập lại tệp."

HELP_IMPORT_DOSSIERS = (
    "nhập hoặc cập nhật hồ sơ từ tệp CSV xuất từ hệ thống một cửa (xem docs/dossier-csv.md)"
)
HELP_IMPORT_DOSSIERS_FILE = "tệp CSV (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy)"
HELP_DRY_RUN = "chạy thử: chỉ báo cáo, không ghi gì"
HELP_UPDATE_PHONES = "cập nhật cả số điện thoại của hồ sơ đã có (chậm: khoảng 50 ms mỗi dòng)"
