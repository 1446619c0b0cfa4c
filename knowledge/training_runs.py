"""The database side of "Huấn luyện lại": runs, their stages, and which model serves.

The console starts a run (:func:`start`), a background process
(``nlu/retrain.py``) moves it through its stages and finishes it; the console
reads the runs to show progress and offers the kept models for rollback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge import audit
from knowledge.models import TrainingExample, TrainingOutcome, TrainingRun, TrainingStage
from knowledge.models.base import utcnow

logger = logging.getLogger(__name__)


class TrainingBusyError(RuntimeError):
    """Another retraining has not finished yet."""

    def __init__(self, run: TrainingRun) -> None:
        super().__init__(f"training run {run.id} is still {run.stage}")
        self.run = run


def _process_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def reap_stale(session: Session) -> list[TrainingRun]:
    """Finish, as failed, the unfinished runs whose process is gone (a crash or a reboot)."""
    stale = [
        run
        for run in session.scalars(select(TrainingRun).where(TrainingRun.stage != TrainingStage.FINISHED))
        if run.pid is not None and not _process_alive(run.pid)
    ]
    for run in stale:
        finish(session, run, TrainingOutcome.FAILED, "Tiến trình huấn luyện đã dừng bất thường.")
    return stale


def running(session: Session) -> TrainingRun | None:
    """The unfinished run, if any."""
    return session.scalars(
        select(TrainingRun).where(TrainingRun.stage != TrainingStage.FINISHED).order_by(TrainingRun.id.desc())
    ).first()


def start(session: Session, actor: str, log_dir: Path) -> TrainingRun:
    """A new queued run; raises :class:`TrainingBusyError` if one is unfinished."""
    reap_stale(session)
    busy = running(session)
    if busy is not None:
        raise TrainingBusyError(busy)
    run = TrainingRun(requested_by=actor, stage=TrainingStage.QUEUED.value)
    session.add(run)
    session.flush()
    run.log_file = str(log_dir / f"run-{run.id}.log")
    audit.record(session, actor, "retrain", "training_run", run.id, after={"stage": run.stage})
    return run


def set_stage(session: Session, run: TrainingRun, stage: TrainingStage) -> None:
    run.stage = stage.value
    session.flush()
    logger.info("training run %s: %s", run.id, stage.value)


def finish(session: Session, run: TrainingRun, outcome: TrainingOutcome, message: str) -> None:
    run.stage = TrainingStage.FINISHED.value
    run.outcome = outcome.value
    run.message = message
    run.finished_at = utcnow()
    run.pid = None
    session.flush()
    logger.info("training run %s finished: %s", run.id, outcome.value)


def examples(session: Session) -> list[TrainingExample]:
    """Every example staff taught, oldest first (each retraining uses them all)."""
    return list(session.scalars(select(TrainingExample).order_by(TrainingExample.id)))


def mark_serving(session: Session, run: TrainingRun | None, actor: str) -> None:
    """Record that ``run``'s model (``None``: the base model) is the one Rasa serves."""
    before = session.scalar(select(TrainingRun.id).where(TrainingRun.is_serving.is_(True)))
    session.execute(update(TrainingRun).where(TrainingRun.is_serving.is_(True)).values(is_serving=False))
    if run is not None:
        run.is_serving = True
    session.flush()
    audit.record(
        session,
        actor,
        "serve_model",
        "training_run",
        run.id if run is not None else "base",
        before={"serving_run": before},
        after={"serving_run": run.id if run is not None else None},
    )


def stamp_examples(session: Session, model_name: str) -> int:
    """Mark the examples not yet in any model as part of ``model_name``."""
    result = session.execute(
        update(TrainingExample)
        .where(TrainingExample.used_in_model.is_(None))
        .values(used_in_model=model_name)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def loaded_runs(session: Session) -> list[TrainingRun]:
    """Runs whose model was loaded and whose file is still kept, newest first."""
    return list(
        session.scalars(
            select(TrainingRun)
            .where(TrainingRun.outcome == TrainingOutcome.LOADED, TrainingRun.model_removed.is_(False))
            .order_by(TrainingRun.id.desc())
        )
    )


def prune(session: Session, keep: int) -> list[Path]:
    """Forget the model files beyond the ``keep`` newest loaded ones (never the serving one).

    Returns the files to delete; the runs stay, marked ``model_removed``.
    """
    removed = []
    for run in loaded_runs(session)[keep:]:
        if run.is_serving or run.model_file is None:
            continue
        run.model_removed = True
        removed.append(Path(run.model_file))
    session.flush()
    return removed


def recent(session: Session, limit: int = 20) -> list[TrainingRun]:
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))


def get(session: Session, run_id: int) -> TrainingRun | None:
    return session.get(TrainingRun, run_id)
