"""Message splitting, keyboards and the payload store, without a network."""

from __future__ import annotations

from bot.replies import Button
from bot.telegram.formatting import build_keyboard, escape, split_text
from bot.telegram.payloads import PayloadStore


def test_a_short_text_is_one_message() -> None:
    assert split_text("Lệ phí: 8.000 đồng") == ["Lệ phí: 8.000 đồng"]
    assert split_text("  \n ") == []


def test_lines_are_kept_whole() -> None:
    text = "\n".join(["a" * 6] * 5)  # 5 lines of 6, 34 characters
    parts = split_text(text, limit=15)
    assert parts == ["aaaaaa\naaaaaa", "aaaaaa\naaaaaa", "aaaaaa"]


def test_an_overlong_line_is_cut_hard() -> None:
    parts = split_text("ngắn\n" + "x" * 25 + "\ncuối", limit=10)
    assert parts == ["ngắn", "x" * 10, "x" * 10, "xxxxx\ncuối"]


def test_length_counts_like_telegram() -> None:
    # An emoji outside the BMP counts as two.
    assert split_text("😀" * 6, limit=4) == ["😀😀", "😀😀", "😀😀"]


def test_escape_keeps_links_and_quotes_readable() -> None:
    assert escape('a < b & "c" https://dichvucong.gov.vn/p?x=1&y=2') == (
        'a &lt; b &amp; "c" https://dichvucong.gov.vn/p?x=1&amp;y=2'
    )


def test_keyboard_pairs_short_titles_and_keeps_long_ones_alone() -> None:
    store = PayloadStore()
    markup = build_keyboard(
        [
            Button("Lệ phí", "/ask_fee"),
            Button("Thời hạn", "/ask_duration"),
            Button("Đăng ký khai sinh có yếu tố nước ngoài", "/pick{1}"),
            Button("Nơi nộp", "/ask_where"),
        ],
        store,
    )
    assert markup is not None
    rows = [[key.text for key in row] for row in markup.inline_keyboard]
    assert rows == [["Lệ phí", "Thời hạn"], ["Đăng ký khai sinh có yếu tố nước ngoài"], ["Nơi nộp"]]
    assert build_keyboard([], store) is None


def test_payload_store_round_trips_and_forgets_the_oldest() -> None:
    store = PayloadStore(capacity=2)
    long_payloads = [f'/ask_documents{{"procedure_code": "1.00{n}", "note": "{"đ" * 40}"}}' for n in range(3)]
    tokens = [store.encode(payload) for payload in long_payloads]
    assert all(token.startswith("p:") and len(token.encode()) <= 64 for token in tokens)
    assert store.encode(long_payloads[2]) == tokens[2]
    assert store.decode(tokens[0]) is None
    assert store.decode(tokens[1]) == long_payloads[1]
    assert store.decode(tokens[2]) == long_payloads[2]
    assert len(store) == 2


def test_short_payloads_travel_as_they_are() -> None:
    store = PayloadStore()
    assert store.encode("/ask_fee") == "/ask_fee"
    assert store.decode("/ask_fee") == "/ask_fee"
    # A payload that looks like a token is never taken for one.
    assert store.encode("p:abc").startswith("p:")
    assert store.decode(store.encode("p:abc")) == "p:abc"
    assert len(store) == 1
