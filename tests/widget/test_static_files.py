"""The widget's and the demo page's files: small, plain, no inline script, nothing external."""

from __future__ import annotations

import re

from tests.widget.fake_gateway import STATIC


def test_widget_is_small_and_plain() -> None:
    files = [STATIC / "widget.js", STATIC / "widget.css"]
    size = sum(path.stat().st_size for path in files if path.exists())
    assert size < 30_000, size
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert forbidden not in source, forbidden
    assert not re.search(r"setAttribute\(\s*['\"]on", source)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", source.split("*/", 1)[1])  # no external URL


def test_demo_page_has_no_inline_script_or_external_asset() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script src="/widget.js" data-title="Trợ lý ảo TTHC" data-color="#b71c1c" defer>']
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "http" not in (STATIC / "demo.css").read_text(encoding="utf-8")
