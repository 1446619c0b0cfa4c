"""The dashboard's charts: well-formed SVG, safe to inline, Vietnamese labels, readable colours."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from knowledge import charts, metrics
from tests.metrics.conftest import CAN_CUOC, END, KHAI_SINH, START

SVG = "{http://www.w3.org/2000/svg}"
Chart = Callable[[metrics.Dashboard], str]
CHARTS: dict[str, Chart] = {
    "traffic": lambda d: charts.traffic_chart(d.traffic),
    "procedures": lambda d: charts.procedures_chart(d.top_procedures),
    "satisfaction": lambda d: charts.satisfaction_chart(d.satisfaction),
    "response": lambda d: charts.response_time_chart(d.response_times),
}
TITLES = {
    "traffic": "Tin nhắn đến theo ngày và kênh",
    "procedures": "Thủ tục được hỏi nhiều nhất",
    "satisfaction": "Tỷ lệ đánh giá hài lòng theo ngày",
    "response": "Thời gian phản hồi của trợ lý ảo",
}
LABELS = {
    "traffic": ["Telegram", "Trang web", "API", "01/03", "Ngày", "Số tin nhắn đến"],
    "procedures": [KHAI_SINH, CAN_CUOC, "Số câu trả lời"],
    "satisfaction": ["Tỷ lệ hài lòng (%)", "100%", "03/03"],
    "response": ["Trung vị", "P95 (95% câu trả lời nhanh hơn)", "Giây", "02/03"],
}
DESCRIPTIONS = {
    "traffic": "Tổng 7 tin nhắn đến: Telegram 3, Trang web 3, API 1.",
    "procedures": f"2 thủ tục, nhiều nhất: {KHAI_SINH} (3 câu trả lời).",
    "satisfaction": "3 trên 4 đánh giá là hài lòng (75%).",
    "response": "6 câu trả lời; trung vị 0,7 giây, P95 1,8 giây.",
}


def parse(svg: str) -> ET.Element:
    """The chart as XML, after checking what must not be in a page's markup."""
    assert not svg.lstrip().startswith("<?xml")
    assert "<!DOCTYPE" not in svg
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def text_of(root: ET.Element) -> str:
    """Every visible text of the chart, one line apart becoming one space apart."""
    return " ".join((element.text or "").strip() for element in root.iter(f"{SVG}text"))


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of ``#rrggbb`` against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


@pytest.fixture
def dashboard(session: Session) -> metrics.Dashboard:
    return metrics.build_dashboard(session, START, END)


@pytest.fixture
def empty_dashboard(empty_session: Session) -> metrics.Dashboard:
    return metrics.build_dashboard(empty_session, START, END)


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_is_inline_ready_svg_with_vietnamese_labels(dashboard: metrics.Dashboard, name: str) -> None:
    svg = CHARTS[name](dashboard)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox") or "")
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, title.text) == (f"{SVG}title", TITLES[name])
    assert root.get("aria-labelledby") == title.get("id")
    assert (desc.tag, desc.text) == (f"{SVG}desc", DESCRIPTIONS[name])
    assert root.get("aria-describedby") == desc.get("id")
    shown = text_of(root)
    assert TITLES[name] in shown
    for label in LABELS[name]:
        assert label in shown, label
    assert unicodedata.is_normalized("NFC", svg)
    assert "Chưa có dữ liệu" not in shown


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_has_no_script_style_or_handlers(dashboard: metrics.Dashboard, name: str) -> None:
    root = parse(CHARTS[name](dashboard))
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "style", "foreignObject", "metadata", "a"}
    for element in root.iter():
        assert "style" not in element.attrib  # a strict style-src CSP would drop it
        assert not any(attribute.lower().startswith("on") for attribute in element.attrib)


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_colours_are_readable_on_white(dashboard: metrics.Dashboard, name: str) -> None:
    root = parse(CHARTS[name](dashboard))
    for element in root.iter():
        for attribute in ("fill", "stroke"):
            colour = (element.get(attribute) or "").lower()
            if not re.fullmatch(r"#[0-9a-f]{6}", colour) or colour in ("#ffffff", charts.GRID):
                continue
            minimum = 4.5 if element.tag == f"{SVG}text" else 3.0
            assert contrast_on_white(colour) >= minimum, (name, element.tag, colour)


def test_charts_can_share_a_page(dashboard: metrics.Dashboard) -> None:
    page = "".join(chart(dashboard) for chart in CHARTS.values())
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', page):
        assert reference in ids


@pytest.mark.parametrize("name", list(CHARTS))
def test_empty_data_says_so(empty_dashboard: metrics.Dashboard, name: str) -> None:
    root = parse(CHARTS[name](empty_dashboard))
    assert root[0].text == TITLES[name]
    assert "Chưa có dữ liệu" in text_of(root)
    assert root[1].text == "Chưa có dữ liệu"


def test_long_and_hostile_procedure_names_are_wrapped_and_escaped() -> None:
    long_name = (
        "Thủ tục liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
        "cho trẻ em dưới 6 tuổi và cấp giấy chứng nhận quyền sử dụng đất"
    )
    items = [
        metrics.ProcedureCount(long_name, "Cấp xã", None, 5),
        metrics.ProcedureCount("<script>alert(1)</script> & lệ phí 5$ và 10$", "", None, 2),
    ]
    svg = charts.procedures_chart(items)
    root = parse(svg)
    assert not [element for element in root.iter() if element.tag.endswith("script")]
    lines = [(element.text or "") for element in root.iter(f"{SVG}text")]
    wrapped = [line for line in lines if line.startswith("Thủ tục liên thông") or line.endswith("…")]
    assert len(wrapped) == 2
    assert all(len(line) <= charts.LABEL_WIDTH for line in wrapped)
    # Shown as text, dollar signs and all (no mathtext).
    assert "<script>alert(1)</script> & lệ phí 5$ và 10$" in lines


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Đăng ký kết hôn", "Đăng ký kết hôn"),
        ("a " * 60, "\n".join(["a " * 21 + "a", "a " * 21 + "a…"])),
        ("Cấp   đổi\nthẻ", "Cấp đổi thẻ"),
        ("Đe\u0300n", "Đèn"),
    ],
)
def test_wrap_label(name: str, expected: str) -> None:
    assert charts.wrap_label(name) == expected


def test_same_name_at_two_levels_is_told_apart() -> None:
    items = [
        metrics.ProcedureCount("Cấp giấy phép xây dựng", "Cấp tỉnh", "1.1", 4),
        metrics.ProcedureCount("Cấp giấy phép xây dựng", "Cấp xã", "1.2", 2),
    ]
    shown = text_of(parse(charts.procedures_chart(items)))
    assert "Cấp giấy phép xây dựng (Cấp tỉnh)" in shown
    assert "Cấp giấy phép xây dựng (Cấp xã)" in shown


def test_many_days_get_at_most_a_dozen_day_labels() -> None:
    days = [date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + n) for n in range(90)]
    rows = [metrics.DailyTraffic(day, "web", 1, n % 5) for n, day in enumerate(days)]
    shown = text_of(parse(charts.traffic_chart(rows)))
    assert 2 <= len(re.findall(r"\b\d\d/\d\d\b", shown)) <= charts.MAX_DAY_TICKS
