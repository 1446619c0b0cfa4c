"""Building a retraining's data, the serving-model pointer, and the refusal rule."""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import pytest
import yaml

from nlu import engine, training_data
from nlu.retrain import percent, refusal
from nlu.training_data import Example


def test_examples_become_one_rasa_nlu_file_of_known_intents() -> None:
    text, used, skipped = training_data.examples_yaml(
        [
            Example("thủ tục  cấp lại\nsổ đỏ bao nhiêu tiền", "ask_fee"),
            Example("THỦ TỤC CẤP LẠI SỔ ĐỎ BAO NHIÊU TIỀN", "ask_fee"),  # the same, in capitals
            Example("thu tuc cap lai so do bao nhieu tien", "ask_fee"),  # without marks: kept
            Example("   ", "ask_fee"),
            Example("xin chào", "no_such_intent"),
            Example("hồ sơ [000.00.00.H00-000000-0000](receipt_code) tới đâu", "check_dossier_status"),
        ],
        ["ask_fee", "check_dossier_status"],
    )
    document = yaml.safe_load(text)
    assert (used, skipped) == (3, 3)
    assert document["nlu"] == [
        {
            "intent": "ask_fee",
            "examples": "- thủ tục cấp lại sổ đỏ bao nhiêu tiền\n- thu tuc cap lai so do bao nhieu tien\n",
        },
        {"intent": "check_dossier_status", "examples": "- hồ sơ 000.00.00.H00-000000-0000 tới đâu\n"},
    ]


def test_decomposed_text_is_written_composed() -> None:
    decomposed = "phí làm hộ chiếu"
    text, used, _ = training_data.examples_yaml(
        [Example(unicodedata.normalize("NFD", decomposed), "ask_fee")], ["ask_fee"]
    )
    assert used == 1 and unicodedata.normalize("NFC", decomposed) in text


def test_build_copies_the_repository_data_and_adds_the_examples(tmp_path: Path) -> None:
    built = training_data.build([Example("lệ phí đổi bằng lái bao nhiêu", "ask_fee")], tmp_path / "data")
    assert built.used == 1
    assert (tmp_path / "data" / "stories.yml").is_file()
    copied = sorted(p.name for p in (tmp_path / "data" / "nlu").glob("*.yml"))
    assert copied == sorted(
        [*(p.name for p in training_data.DATA.joinpath("nlu").glob("*.yml")), "console_examples.yml"]
    )
    assert "lệ phí đổi bằng lái" in (tmp_path / "data" / "nlu" / "console_examples.yml").read_text(
        encoding="utf-8"
    )
    # A second build starts from a clean folder.
    training_data.build([], tmp_path / "data")
    assert "lệ phí" not in (tmp_path / "data" / "nlu" / "console_examples.yml").read_text(encoding="utf-8")


def test_the_domain_intents_include_the_asked_ones() -> None:
    intents = training_data.domain_intents()
    assert {"ask_fee", "ask_documents", "check_dossier_status", "greet"} <= set(intents)


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(engine, "MODELS", tmp_path / "models")
    monkeypatch.setenv("CONSOLE_MODELS_DIR", str(tmp_path / "models" / "console"))
    (tmp_path / "models").mkdir()
    return tmp_path / "models"


def _touch(path: Path, when: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    os.utime(path, (when, when))
    return path


def test_the_served_model_is_the_base_one_until_the_console_loads_another(models: Path) -> None:
    base = _touch(models / "tthc.tar.gz", time.time() - 100)
    assert engine.serving_model() == base
    console = _touch(models / "console" / "tthc-console-1.tar.gz", time.time() - 50)
    engine.set_serving_model(console)
    assert engine.serving_model() == console.resolve()
    # Back to the base model clears the choice.
    engine.set_serving_model(base)
    assert engine.serving_model() == base and not engine.serving_pointer().exists()


def test_a_base_model_trained_after_the_choice_wins(models: Path) -> None:
    console = _touch(models / "console" / "tthc-console-1.tar.gz", time.time() - 50)
    engine.set_serving_model(console)
    base = _touch(models / "tthc.tar.gz", time.time() + 5)  # `make train` ran afterwards
    assert engine.serving_model() == base


def test_a_chosen_model_whose_file_is_gone_falls_back_to_the_base(models: Path) -> None:
    base = _touch(models / "tthc.tar.gz", time.time() - 100)
    console = _touch(models / "console" / "tthc-console-1.tar.gz", time.time())
    engine.set_serving_model(console)
    console.unlink()
    assert engine.serving_model() == base


def test_a_new_model_worse_beyond_the_margin_is_refused() -> None:
    serving = {"intent_accuracy": 0.92, "macro_f1": 0.90}
    assert refusal({"intent_accuracy": 0.915, "macro_f1": 0.895}, serving, 0.01) is None
    assert refusal({"intent_accuracy": 0.95, "macro_f1": 0.93}, serving, 0.01) is None
    reason = refusal({"intent_accuracy": 0.90, "macro_f1": 0.90}, serving, 0.01)
    assert reason is not None and "độ chính xác 90,0 % so với 92,0 %" in reason and "macro-F1" not in reason
    assert refusal({"intent_accuracy": 0.92, "macro_f1": 0.85}, serving, 0.01) is not None
    # A negative margin demands a better model.
    assert refusal({"intent_accuracy": 0.92, "macro_f1": 0.90}, serving, -0.5) is not None


def test_percent_is_written_the_vietnamese_way() -> None:
    assert percent(0.9215) == "92,2 %"
    assert percent(1.0) == "100,0 %"


def test_retrained_models_go_to_every_configured_rasa_server() -> None:
    from knowledge.settings import Settings

    assert Settings.from_env({"RASA_URL": "http://127.0.0.1:5005/"}).model_targets == (
        "http://127.0.0.1:5005",
    )
    several = Settings.from_env({"RASA_MODEL_URLS": "http://10.0.0.1:5005/, http://10.0.0.2:5005"})
    assert several.model_targets == ("http://10.0.0.1:5005", "http://10.0.0.2:5005")
