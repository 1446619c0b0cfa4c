"""Retraining runs in the database: one at a time, crashes reaped, the serving model, pruning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import training_runs
from knowledge.models import AuditEntry, TrainingExample, TrainingOutcome, TrainingRun, TrainingStage


def _loaded(session: Session, tmp_path: Path, number: int) -> TrainingRun:
    run = training_runs.start(session, "thu.editor", tmp_path)
    run.model_file = str(tmp_path / f"tthc-console-{number}.tar.gz")
    training_runs.finish(session, run, TrainingOutcome.LOADED, "Đã nạp.")
    return run


def test_only_one_run_at_a_time(session: Session, tmp_path: Path) -> None:
    first = training_runs.start(session, "thu.editor", tmp_path)
    assert first.log_file == str(tmp_path / f"run-{first.id}.log")
    assert first.stage == TrainingStage.QUEUED
    with pytest.raises(training_runs.TrainingBusyError):
        training_runs.start(session, "thu.admin", tmp_path)
    training_runs.finish(session, first, TrainingOutcome.REFUSED, "Kém hơn.")
    second = training_runs.start(session, "thu.admin", tmp_path)
    assert second.id != first.id
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "retrain").limit(1)) is not None


def test_a_run_whose_process_died_is_finished_as_failed(session: Session, tmp_path: Path) -> None:
    run = training_runs.start(session, "thu.editor", tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    run.pid = gone.pid
    training_runs.set_stage(session, run, TrainingStage.TRAINING)
    assert training_runs.reap_stale(session) == [run]
    assert (run.stage, run.outcome) == (TrainingStage.FINISHED, TrainingOutcome.FAILED)
    assert run.message and "bất thường" in run.message
    # A living process is left alone.
    alive = training_runs.start(session, "thu.editor", tmp_path)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as sleeper:
        alive.pid = sleeper.pid
        assert training_runs.reap_stale(session) == []
        sleeper.kill()


def test_serving_moves_between_runs_and_back_to_the_base(session: Session, tmp_path: Path) -> None:
    one, two = _loaded(session, tmp_path, 1), _loaded(session, tmp_path, 2)
    training_runs.mark_serving(session, one, "thu.editor")
    training_runs.mark_serving(session, two, "thu.editor")
    assert (one.is_serving, two.is_serving) == (False, True)
    session.expire_all()
    training_runs.mark_serving(session, None, "thu.admin")
    assert not any(run.is_serving for run in session.scalars(select(TrainingRun)))
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and (last.action, last.entity_id) == ("serve_model", "base")
    assert last.before == {"serving_run": two.id} and last.after == {"serving_run": None}


def test_examples_are_stamped_with_the_first_model_they_went_into(session: Session) -> None:
    session.add_all(
        [
            TrainingExample(
                text="phí hộ chiếu", intent="ask_fee", created_by="thu.editor", used_in_model="old"
            ),
            TrainingExample(text="giấy tờ cần gì", intent="ask_documents", created_by="thu.editor"),
        ]
    )
    session.flush()
    assert training_runs.stamp_examples(session, "tthc-console-3") == 1
    session.expire_all()
    assert [e.used_in_model for e in training_runs.examples(session)] == ["old", "tthc-console-3"]


def test_pruning_keeps_the_newest_and_the_serving_model(session: Session, tmp_path: Path) -> None:
    runs = [_loaded(session, tmp_path, number) for number in range(1, 6)]
    training_runs.mark_serving(session, runs[0], "thu.editor")  # rolled back to the oldest
    removed = training_runs.prune(session, keep=2)
    assert removed == [Path(runs[2].model_file or ""), Path(runs[1].model_file or "")]
    assert [run.id for run in training_runs.loaded_runs(session)] == [runs[4].id, runs[3].id, runs[0].id]
