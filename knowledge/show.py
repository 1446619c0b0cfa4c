"""A procedure as readable text, for ``python -m knowledge show``."""

from __future__ import annotations

from knowledge.messages import CHANNEL_LABELS, DOCUMENT_GROUP_LABELS, TIME_UNIT_LABELS
from knowledge.models import Procedure, SubmissionChannel


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def format_time(channel: SubmissionChannel) -> str:
    """ "7 ngày làm việc", or the published text when the time is not a number."""
    if channel.time_value is None:
        return channel.time_text or "không có thông tin"
    text = _number(channel.time_value)
    if channel.time_max is not None:
        text += f"-{_number(channel.time_max)}"
    if channel.time_unit:
        text += f" {TIME_UNIT_LABELS.get(channel.time_unit, channel.time_unit)}"
    return text


def format_fee(channel: SubmissionChannel) -> str:
    """ "Miễn phí", "150.000 đồng", or the published text."""
    if channel.fee_amount_vnd == 0 and channel.fee_free:
        text = "Miễn phí"
    elif channel.fee_amount_vnd:
        text = f"{channel.fee_amount_vnd:,} đồng".replace(",", ".")
    elif channel.fee_amount is not None and channel.fee_currency:
        text = f"{_number(channel.fee_amount)} {channel.fee_currency}"
    else:
        text = channel.fee_text or "không có thông tin"
    if channel.fee_note:
        text += f" ({channel.fee_note})"
    return text


def render_procedure(procedure: Procedure) -> str:
    """Several lines describing ``procedure`` (staff view: includes parse notes)."""
    lines = [f"{procedure.code} – {procedure.name}"]
    if not procedure.is_active:
        lines.append("(ngừng sử dụng)")
    lines.append(f"Cấp thực hiện: {', '.join(procedure.levels) or '-'}; lĩnh vực: {procedure.sector or '-'}")
    if procedure.executing_agency:
        lines.append(f"Cơ quan thực hiện: {procedure.executing_agency}")
    if procedure.channels:
        lines.append("Cách thức nộp:")
        for channel in procedure.channels:
            label = CHANNEL_LABELS.get(channel.channel, channel.channel_text)
            lines.append(f"  - {label}: {format_time(channel)}; phí: {format_fee(channel)}")
    if procedure.documents:
        lines.append("Thành phần hồ sơ:")
        for document in procedure.documents:
            group = DOCUMENT_GROUP_LABELS.get(document.group, document.group)
            quantity = document.quantity_text or ""
            template = f" [mẫu: {document.template}]" if document.template else ""
            lines.append(f"  - ({group}) {document.name} – {quantity}{template}")
    if procedure.legal_bases:
        lines.append("Căn cứ pháp lý:")
        for basis in procedure.legal_bases:
            lines.append(f"  - {basis.code or '?'}: {basis.title or ''}")
    if procedure.aliases:
        lines.append("Tên gọi khác: " + ", ".join(a.text for a in procedure.aliases if a.is_active))
    if procedure.url:
        lines.append(f"Trang chính thức: {procedure.url}")
    if procedure.edited_fields:
        lines.append("Cán bộ đã chỉnh sửa: " + ", ".join(procedure.edited_fields))
    if procedure.parse_issues:
        lines.append("Ghi chú khi nhập dữ liệu:")
        lines.extend(f"  - {issue}" for issue in procedure.parse_issues)
    return "\n".join(lines)
