"""Answers about one procedure, one aspect at a time, from the knowledge base.

Each function turns a :class:`knowledge.models.Procedure` (with its channels,
documents and legal bases loaded) into a short Vietnamese text for a phone
screen. A value the knowledge base does not have is said to be unknown,
with the official page to check; nothing is made up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from actions.feedback import feedback_buttons
from knowledge.messages import CHANNEL_LABELS, DOCUMENT_GROUP_LABELS
from knowledge.models import Agency, Procedure
from knowledge.show import format_fee, format_time
from nlu.textnorm import fold

MAX_ITEMS = 8
MAX_STEPS = 5
MAX_CHARS = 700

ASPECT_BY_INTENT = {
    "ask_documents": "documents",
    "ask_fee": "fee",
    "ask_duration": "duration",
    "ask_where": "where",
    "ask_steps": "steps",
    "ask_online": "online",
    "ask_requirements": "requirements",
    "ask_result": "result",
    "ask_legal_basis": "legal_basis",
    "ask_overview": "overview",
}

# Quick replies offered under every answer: (label, intent).
FOLLOW_UPS = [
    ("Hồ sơ", "ask_documents"),
    ("Lệ phí", "ask_fee"),
    ("Thời hạn", "ask_duration"),
    ("Nộp ở đâu", "ask_where"),
    ("Nộp trực tuyến", "ask_online"),
]
UNKNOWN = "Cơ sở dữ liệu chưa có thông tin này."
BUTTON_MORE = "Xem thêm"
NO_UNIT = " (dữ liệu công bố không ghi đơn vị; xem trang chính thức)"
BUTTON_OTHER = "Hỏi thủ tục khác"


@dataclass
class Answer:
    """Text and quick replies."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def _cut(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _next(offset: int, shown: int, total: int) -> int | None:
    """Where the next page starts, or None when everything was shown."""
    return offset + shown if offset + shown < total else None


@dataclass
class Section:
    """Lines of one aspect; ``next_offset`` when a "Xem thêm" page follows."""

    lines: list[str]
    next_offset: int | None = None


def title(procedure: Procedure) -> str:
    """The heading naming the procedure."""
    levels = ", ".join(procedure.levels)
    return f"📄 {procedure.name}" + (f" ({levels})" if levels else "")


def documents(procedure: Procedure, offset: int = 0) -> Section:
    if not procedure.documents:
        return Section([UNKNOWN] if not procedure.documents_text else [_cut(procedure.documents_text)])
    page = procedure.documents[offset : offset + MAX_ITEMS]
    lines: list[str] = []
    heading: tuple[str | None, str] | None = None
    for number, document in enumerate(page, start=offset + 1):
        if (document.case_title, document.group) != heading:
            heading = (document.case_title, document.group)
            label = DOCUMENT_GROUP_LABELS.get(document.group, document.group)
            # Some records repeat the group's own name as the case ("Giấy tờ phải nộp").
            if document.case_title and fold(document.case_title).strip(" :") != fold(label):
                lines.append(_cut(document.case_title, 200))
            lines.append(f"{label}:")
        quantity = f" – {document.quantity_text}" if document.quantity_text else ""
        template = f" (mẫu: {document.template})" if document.template else ""
        lines.append(f"{number}. {_cut(document.name, 200)}{quantity}{template}")
    return Section(lines, _next(offset, len(page), len(procedure.documents)))


def fee(procedure: Procedure) -> list[str]:
    if not procedure.channels:
        return [UNKNOWN]
    return ["Phí, lệ phí:"] + [
        f"- {CHANNEL_LABELS.get(c.channel, c.channel_text)}: {_cut(format_fee(c), 300)}"
        for c in procedure.channels
    ]


def duration(procedure: Procedure) -> list[str]:
    if not procedure.channels:
        return [UNKNOWN]
    return ["Thời hạn giải quyết:"] + [
        f"- {CHANNEL_LABELS.get(c.channel, c.channel_text)}: {format_time(c)}"
        + (NO_UNIT if c.time_value is not None and not c.time_unit else "")
        for c in procedure.channels
    ]


def agency_lines(agency: Agency) -> list[str]:
    """An office the province's staff described: address, hours, phone, map."""
    lines = [f"📍 {agency.name}"]
    if agency.address:
        lines.append(f"Địa chỉ: {_cut(agency.address, 200)}")
    if agency.opening_hours:
        lines.append(f"Giờ làm việc: {_cut(agency.opening_hours, 200)}")
    if agency.phone:
        lines.append(f"Điện thoại: {agency.phone}")
    if agency.map_url:
        lines.append(f"Bản đồ: {agency.map_url}")
    return lines


def where(procedure: Procedure, agencies: Sequence[Agency] = ()) -> list[str]:
    lines = []
    if procedure.competent_agency:
        lines.append(f"Cơ quan có thẩm quyền: {_cut(procedure.competent_agency, 300)}")
    if procedure.executing_agency:
        lines.append(f"Cơ quan thực hiện: {_cut(procedure.executing_agency, 300)}")
    if procedure.receiving_address:
        lines.append(f"Địa chỉ tiếp nhận: {_cut(procedure.receiving_address, 300)}")
    for agency in agencies:
        lines.extend(agency_lines(agency))
    return lines or [UNKNOWN]


def steps(procedure: Procedure, offset: int = 0) -> Section:
    if not procedure.steps:
        return Section([_cut(procedure.steps_text)] if procedure.steps_text else [UNKNOWN])
    page = procedure.steps[offset : offset + MAX_STEPS]
    lines = ["Trình tự thực hiện:"] if offset == 0 else []
    return Section(lines + [_cut(step, 300) for step in page], _next(offset, len(page), len(procedure.steps)))


def online(procedure: Procedure) -> list[str]:
    kinds = {c.channel for c in procedure.channels}
    if not kinds:
        return [UNKNOWN]
    if "truc_tuyen" in kinds:
        first = "Thủ tục này nộp trực tuyến được."
    else:
        first = "Theo dữ liệu công bố, thủ tục này chưa nộp trực tuyến được."
    labels = ", ".join(CHANNEL_LABELS.get(c.channel, c.channel_text) for c in procedure.channels)
    return [first, f"Các cách nộp: {labels}."]


def requirements(procedure: Procedure) -> list[str]:
    if procedure.conditions:
        return ["Yêu cầu, điều kiện:", _cut(procedure.conditions)]
    return ["Theo dữ liệu công bố, thủ tục này không có yêu cầu, điều kiện riêng."]


def result(procedure: Procedure) -> list[str]:
    names = [str(r.get("name")) for r in procedure.results if r.get("name")]
    if not names:
        return [_cut(procedure.results_text)] if procedure.results_text else [UNKNOWN]
    return ["Kết quả bạn nhận được:"] + [f"- {_cut(name, 200)}" for name in names[:MAX_ITEMS]]


def legal_basis(procedure: Procedure, offset: int = 0) -> Section:
    if not procedure.legal_bases:
        return Section([_cut(procedure.legal_bases_text)] if procedure.legal_bases_text else [UNKNOWN])
    page = procedure.legal_bases[offset : offset + MAX_ITEMS]
    lines = [f"- {' '.join(filter(None, [b.title, b.code]))}" for b in page]
    heading = ["Căn cứ pháp lý:"] if offset == 0 else []
    return Section(heading + lines, _next(offset, len(page), len(procedure.legal_bases)))


def overview(procedure: Procedure) -> list[str]:
    lines = [f"Lĩnh vực: {procedure.sector}"] if procedure.sector else []
    if procedure.executing_agency:
        lines.append(f"Cơ quan thực hiện: {_cut(procedure.executing_agency, 200)}")
    for channel in procedure.channels:
        label = CHANNEL_LABELS.get(channel.channel, channel.channel_text)
        lines.append(f"- {label}: {format_time(channel)}; phí: {_cut(format_fee(channel), 120)}")
    return lines or [UNKNOWN]


def _whole(render: Callable[[Procedure], list[str]]) -> Callable[[Procedure, int], Section]:
    """An aspect short enough to show at once."""
    return lambda procedure, _offset: Section(render(procedure))


SECTIONS: dict[str, Callable[[Procedure, int], Section]] = {
    "documents": documents,
    "fee": _whole(fee),
    "duration": _whole(duration),
    "where": _whole(where),  # with the province's offices: see answer()
    "steps": steps,
    "online": _whole(online),
    "requirements": _whole(requirements),
    "result": _whole(result),
    "legal_basis": legal_basis,
    "overview": _whole(overview),
}
INTENT_BY_ASPECT = {aspect: intent for intent, aspect in ASPECT_BY_INTENT.items()}


def follow_up_buttons(procedure: Procedure, except_intent: str | None = None) -> list[dict[str, str]]:
    """Quick replies for the other aspects of the same procedure."""
    buttons = [
        {"title": label, "payload": f'/{intent}{{"procedure_code": "{procedure.code}"}}'}
        for label, intent in FOLLOW_UPS
        if intent != except_intent
    ]
    return [*buttons, {"title": BUTTON_OTHER, "payload": "/other_procedure"}, *feedback_buttons()]


def more_button(procedure: Procedure, aspect: str, offset: int) -> dict[str, str]:
    """ "Xem thêm": the next page of a long list (intent ``show_more``)."""
    payload = json.dumps({"procedure_code": procedure.code, "aspect": aspect, "offset": str(offset)})
    return {"title": BUTTON_MORE, "payload": f"/show_more{payload}"}


def answer(procedure: Procedure, intent: str, offset: int = 0, agencies: Sequence[Agency] = ()) -> Answer:
    """The answer to ``intent`` about ``procedure`` from item ``offset`` on, with its quick replies.

    ``agencies`` are the province's offices that handle it (``knowledge.agencies``),
    shown in the "where" answer.
    """
    aspect = ASPECT_BY_INTENT.get(intent, "overview")
    section = (
        Section(where(procedure, agencies)) if aspect == "where" else SECTIONS[aspect](procedure, offset)
    )
    lines = [title(procedure) + (" (tiếp)" if offset else ""), *section.lines]
    if procedure.url:
        lines.append(f"Chi tiết: {procedure.url}")
    buttons = follow_up_buttons(procedure, intent)
    if section.next_offset is not None:
        buttons.insert(0, more_button(procedure, aspect, section.next_offset))
    return Answer("\n".join(lines), buttons)
