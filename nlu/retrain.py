"""One retraining started from the console, run as a background process.

    python -m nlu.retrain RUN_ID

Stages (each recorded on the run, so the console shows progress):
1. building: ``nlu/data`` plus every example staff taught, into a fresh folder;
2. training: ``rasa train`` in the engine environment, its output in the run's log;
3. evaluating: the new model (on a temporary Rasa server) and the running one
   both parse the held-out questions (``RETRAIN_TEST_DATA``); the new one is
   refused if its intent accuracy or macro-F1 is lower by more than
   ``RETRAIN_MARGIN``;
4. loading: ``PUT /model`` on the running Rasa server, which answers with the
   old model until the new one is ready; the model is remembered for restarts
   and the older ones beyond ``MODELS_KEPT`` are deleted.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from knowledge import training_runs
from knowledge.db import make_engine, make_session_factory, session_scope
from knowledge.models import TrainingOutcome, TrainingRun, TrainingStage
from knowledge.settings import Settings, get_settings
from nlu import engine, evaluate, training_data

logger = logging.getLogger(__name__)


def percent(value: float) -> str:
    """``0.9215`` -> ``"92,2 %"``, as Vietnamese writes it."""
    return f"{100 * value:.1f}".replace(".", ",") + " %"


def refusal(candidate: dict[str, Any], serving: dict[str, Any], margin: float) -> str | None:
    """Why the candidate must not replace the serving model, or ``None`` if it may."""
    worse = [
        f"{label} {percent(candidate[key])} so với {percent(serving[key])}"
        for key, label in (("intent_accuracy", "độ chính xác"), ("macro_f1", "macro-F1"))
        if candidate[key] < serving[key] - margin
    ]
    if not worse:
        return None
    return (
        "Không nạp mô hình mới: kém hơn mô hình đang chạy quá mức cho phép "
        f"({percent(margin)}): " + "; ".join(worse) + ". Mô hình đang chạy được giữ nguyên."
    )


def _step(factory: sessionmaker[Session], run_id: int, stage: TrainingStage, **values: Any) -> None:
    with session_scope(factory) as session:
        run = session.get(TrainingRun, run_id)
        assert run is not None
        for key, value in values.items():
            setattr(run, key, value)
        training_runs.set_stage(session, run, stage)


def _finish(factory: sessionmaker[Session], run_id: int, outcome: TrainingOutcome, message: str) -> None:
    with session_scope(factory) as session:
        run = session.get(TrainingRun, run_id)
        assert run is not None
        training_runs.finish(session, run, outcome, message)
    print(f"==> {message}", flush=True)


def _evaluate(url: str, token: str, items: list[evaluate.Item]) -> dict[str, Any]:
    return evaluate.evaluate(items, url, token, resolve=None)


def _train(data: Path, name: str, log: Path, epoch_fraction: float) -> Path:
    """Go on from the base model's weights for a fraction of the epochs (all the new data, in a
    fraction of the time); train from scratch if that is off (fraction 1) or Rasa refuses it."""
    base = engine.model_path()
    if epoch_fraction < 1 and base.is_file():
        print(f"==> fine-tuning {base.name} for {epoch_fraction:g} of the configured epochs", flush=True)
        try:
            return engine.train_into(
                data, engine.console_models_dir(), name, log, finetune=base, epoch_fraction=epoch_fraction
            )
        except subprocess.CalledProcessError:
            logger.warning("fine-tuning the base model failed; training from scratch")
            print("==> fine-tuning failed; training from scratch", flush=True)
    return engine.train_into(data, engine.console_models_dir(), name, log)


def run(run_id: int, settings: Settings) -> TrainingOutcome:
    """Do run ``run_id`` from start to finish; every outcome is recorded on the run."""
    factory = make_session_factory(make_engine(settings.database_url))
    with session_scope(factory) as session:
        record = session.get(TrainingRun, run_id)
        if record is None:
            raise LookupError(f"no training run {run_id}")
        record.pid = os.getpid()
        log = Path(record.log_file)
        taught = [training_data.Example(e.text, e.intent) for e in training_runs.examples(session)]
        new = sum(1 for e in training_runs.examples(session) if e.used_in_model is None)
        training_runs.set_stage(session, record, TrainingStage.BUILDING)

    folder = Path(settings.training_dir) / f"run-{run_id}"
    built = training_data.build(taught, folder / "data")
    print(
        f"==> data: nlu/data + {built.used} examples from the console ({built.skipped} skipped)", flush=True
    )
    _step(factory, run_id, TrainingStage.TRAINING, examples_total=built.used, examples_new=new)

    name = f"tthc-console-{run_id}-{time.strftime('%Y%m%d-%H%M%S')}"
    started = time.monotonic()
    try:
        model = _train(folder / "data", name, log, settings.retrain_epoch_fraction)
    except (subprocess.CalledProcessError, OSError) as error:
        logger.error("training run %s: rasa train failed: %s", run_id, error)
        _finish(
            factory,
            run_id,
            TrainingOutcome.FAILED,
            "Rasa không huấn luyện được mô hình; xem nhật ký bên dưới.",
        )
        return TrainingOutcome.FAILED
    print(f"==> trained {model.name} in {time.monotonic() - started:.0f} s", flush=True)
    _step(factory, run_id, TrainingStage.EVALUATING)

    items = [item for item in evaluate.load_items(Path(settings.retrain_test_data)) if item.intent]
    try:
        serving = _evaluate(settings.rasa_url, settings.rasa_token, items)
    except (OSError, ValueError) as error:
        logger.error("training run %s: the running Rasa server did not answer: %s", run_id, error)
        model.unlink(missing_ok=True)
        _finish(
            factory,
            run_id,
            TrainingOutcome.FAILED,
            "Máy chủ Rasa đang chạy không trả lời nên không so sánh được; mô hình mới không được nạp.",
        )
        return TrainingOutcome.FAILED
    with engine.rasa_server(model, endpoints=None, log=log) as server:
        candidate = _evaluate(server.url, server.token, items)
    print(
        f"==> {len(items)} held-out questions: accuracy {candidate['intent_accuracy']:.4f} "
        f"(running model {serving['intent_accuracy']:.4f}), macro-F1 {candidate['macro_f1']:.4f} "
        f"({serving['macro_f1']:.4f})",
        flush=True,
    )
    metrics = {
        "candidate_accuracy": candidate["intent_accuracy"],
        "candidate_macro_f1": candidate["macro_f1"],
        "serving_accuracy": serving["intent_accuracy"],
        "serving_macro_f1": serving["macro_f1"],
    }
    reason = refusal(candidate, serving, settings.retrain_margin)
    if reason is not None:
        model.unlink(missing_ok=True)
        with session_scope(factory) as session:
            record = session.get(TrainingRun, run_id)
            assert record is not None
            for key, value in metrics.items():
                setattr(record, key, value)
        _finish(factory, run_id, TrainingOutcome.REFUSED, reason)
        return TrainingOutcome.REFUSED

    _step(factory, run_id, TrainingStage.LOADING, model_file=str(model), **metrics)
    try:
        engine.load_model_everywhere(settings.model_targets, settings.rasa_token, model)
    except (OSError, RuntimeError) as error:
        logger.error("training run %s: loading into Rasa failed: %s", run_id, error)
        _finish(
            factory,
            run_id,
            TrainingOutcome.FAILED,
            "Không nạp được mô hình vào máy chủ Rasa; mô hình cũ vẫn đang chạy. Có thể thử lại.",
        )
        return TrainingOutcome.FAILED
    engine.set_serving_model(model)
    with session_scope(factory) as session:
        record = session.get(TrainingRun, run_id)
        assert record is not None
        training_runs.mark_serving(session, record, record.requested_by)
        training_runs.stamp_examples(session, name)
        for old in training_runs.prune(session, settings.models_kept):
            old.unlink(missing_ok=True)
    _finish(
        factory,
        run_id,
        TrainingOutcome.LOADED,
        f"Đã nạp mô hình mới: độ chính xác {percent(candidate['intent_accuracy'])} "
        f"(mô hình trước {percent(serving['intent_accuracy'])}), macro-F1 {percent(candidate['macro_f1'])} "
        f"(trước {percent(serving['macro_f1'])}).",
    )
    return TrainingOutcome.LOADED


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("usage: python -m nlu.retrain RUN_ID", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    run_id = int(args[0])
    try:
        outcome = run(run_id, settings)
    except Exception:
        logger.exception("training run %s failed", run_id)
        factory = make_session_factory(make_engine(settings.database_url))
        _finish(
            factory,
            run_id,
            TrainingOutcome.FAILED,
            "Lỗi không lường trước khi huấn luyện; xem nhật ký bên dưới.",
        )
        return 1
    return 0 if outcome is not TrainingOutcome.FAILED else 1


if __name__ == "__main__":
    sys.exit(main())
