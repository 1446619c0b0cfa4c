"""The Rasa tokenizer component, run inside the engine environment."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.tokenizer import VietnameseTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> VietnameseTokenizer:
    return VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def tokens_of(tokenizer: VietnameseTokenizer, text: str) -> list:
    message = Message.build(text=text)
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


CASES = [
    "Thủ tục làm sổ đỏ cần giấy tờ gì ạ?",
    "thu tuc lam so do can giay to gi",
    unicodedata.normalize("NFD", "Đăng ký khai sinh cho con"),
    "ĐĂNG KÝ Thường Trú ở đâu",
    "giấy   tờ,,  cần gì!!!",
    "cccd_moi làm ở đâu",
    "chào bạn 😀👍🏻",
    "Hoà Bình, qúy vị, Ðồng ý",
    "hồ sơ 000.00.04.h51 200221 0001 xong chưa",
]


@pytest.mark.parametrize("text", CASES)
def test_offsets_index_the_original_text(tokenizer: VietnameseTokenizer, text: str) -> None:
    tokens = tokens_of(tokenizer, text)
    assert tokens
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_words_and_lemmas(tokenizer: VietnameseTokenizer) -> None:
    tokens = tokens_of(tokenizer, "Thủ tục làm Sổ Đỏ ko?")
    assert [t.text for t in tokens] == ["Thủ tục", "làm", "Sổ Đỏ", "ko", "?"]
    assert [t.lemma for t in tokens] == ["thu tuc", "lam", "so do", "khong", "?"]


def test_without_diacritics_gives_the_same_lemmas(tokenizer: VietnameseTokenizer) -> None:
    with_marks = " ".join(t.lemma for t in tokens_of(tokenizer, "Thủ tục cấp đổi căn cước công dân"))
    without = " ".join(t.lemma for t in tokens_of(tokenizer, "thu tuc cap doi cccd"))
    assert with_marks == without


def test_training_data_entities_align(tokenizer: VietnameseTokenizer) -> None:
    text = "hồ sơ mã 000.00.06.H51-250330-0051 đã xong chưa"
    message = Message.build(text=text, intent="check_dossier_status")
    tokenizer.process_training_data(TrainingData([message]))
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert any(t.text == "000.00.06.H51-250330-0051" for t in tokens)


def test_empty_text_gives_one_empty_token(tokenizer: VietnameseTokenizer) -> None:
    tokens = tokens_of(tokenizer, "   ")
    assert len(tokens) == 1
