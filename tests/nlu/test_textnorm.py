"""The shared Vietnamese normalisation: folding, abbreviations, segmentation."""

from __future__ import annotations

import unicodedata

import pytest

from nlu import textnorm


def assert_exact_offsets(text: str) -> list[str]:
    words = textnorm.segment(text)
    for word in words:
        assert text[word.start : word.end] == word.text
        assert word.text.strip() == word.text and word.text
    starts = [word.start for word in words]
    assert starts == sorted(starts)
    return [word.text for word in words]


def test_fold_strips_every_diacritic_and_d_bar() -> None:
    assert textnorm.fold("Đăng Ký Khai Sinh") == "dang ky khai sinh"
    assert textnorm.fold("Sổ đỏ, SỔ HỒNG") == "so do, so hong"
    assert textnorm.fold(unicodedata.normalize("NFD", "giấy tờ")) == "giay to"
    assert textnorm.fold("Ðồng ý") == "dong y"


def test_nfc_and_nfd_fold_the_same() -> None:
    text = "Thủ tục cấp đổi thẻ căn cước"
    assert textnorm.fold(unicodedata.normalize("NFD", text)) == textnorm.fold(text)
    # A precomposed letter followed by a combining tone, as in the data.
    mixed = "hoa\u0323t"
    assert textnorm.nfc(mixed) == "hoạt"
    assert textnorm.fold(mixed) == "hoat"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ko dc à", "khong duoc a"),
        ("đc k", "duoc khong"),
        ("làm cccd mất bn tiền", "lam can cuoc cong dan mat bao nhieu tien"),
        ("doi gplx o dau", "doi giay phep lai xe o dau"),
        ("hs tthc", "ho so thu tuc hanh chinh"),
        ("50k", "50k"),
        ("sổ hồng", "so hong"),
    ],
)
def test_normalize_expands_abbreviations(typed: str, expected: str) -> None:
    assert textnorm.normalize(typed) == expected


def test_abbreviation_with_tone_is_a_real_word() -> None:
    # "kê" is a word ("kê khai"), not the abbreviation "k".
    assert textnorm.normalize("kê khai") == "ke khai"


def test_segment_groups_words_with_diacritics() -> None:
    assert assert_exact_offsets("Thủ tục làm sổ đỏ cần giấy tờ gì ạ?") == [
        "Thủ tục",
        "làm",
        "sổ đỏ",
        "cần",
        "giấy tờ",
        "gì",
        "ạ",
        "?",
    ]


def test_segment_without_diacritics_gives_syllables() -> None:
    assert assert_exact_offsets("thu tuc lam so do can giay to gi") == [
        "thu",
        "tuc",
        "lam",
        "so",
        "do",
        "can",
        "giay",
        "to",
        "gi",
    ]


def test_segment_nfd_input_keeps_original_offsets() -> None:
    text = unicodedata.normalize("NFD", "Đăng ký khai sinh cho con")
    words = assert_exact_offsets(text)
    assert [textnorm.nfc(w) for w in words] == ["Đăng ký", "khai sinh", "cho", "con"]


def test_segment_mixed_case_punctuation_and_spaces() -> None:
    text = "GIẤY   TỜ,  Sổ Đỏ!!  (cần gấp)"
    words = assert_exact_offsets(text)
    assert words[0] == "GIẤY   TỜ"
    assert "," in words and "!" in words and "(" in words and ")" in words


def test_segment_keeps_codes_dates_and_underscores_whole() -> None:
    words = assert_exact_offsets(
        "hồ sơ mã 000.00.04.H51-200221-0001 nộp 20/11/2024 theo 15/2024/NĐ-CP, cccd_moi"
    )
    assert "000.00.04.H51-200221-0001" in words
    assert "20/11/2024" in words
    assert "15/2024/NĐ-CP" in words
    assert "cccd_moi" in words
    assert "mã" in words  # a code never swallows the word before it


def test_segment_emoji_stand_alone() -> None:
    words = assert_exact_offsets("chào bạn 😀😀 👍🏻")
    assert words[-4:] == ["😀", "😀", "👍", "🏻"]


def test_segment_when_underthesea_changes_characters() -> None:
    # underthesea rewrites "Hoà" -> "Hòa", "qúy" -> "quý", "Ð" -> "Đ";
    # the offsets must still index the text as typed.
    for text in ["Hoà Bình thuỷ lợi", "qúy vị uỷ ban", "Ðồng ý làm giấy tờ"]:
        words = assert_exact_offsets(text)
        assert "".join(words).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "???", "😀", "<script>alert(1)</script>", "' OR 1=1 --"])
def test_segment_odd_input(text: str) -> None:
    assert_exact_offsets(text)


def test_segment_long_text_is_linear_enough() -> None:
    text = "thủ tục đăng ký thường trú cần giấy tờ gì " * 400
    words = textnorm.segment(text)
    assert words[-1].end == len(text.rstrip())
