"""Console pages of "Huấn luyện lại": start a retraining, follow it, roll back.

The work runs in a background process (``python -m nlu.retrain RUN_ID``, see
that module for the stages), in its own process group so that stopping the
gateway stops it and everything it started. The pages read the run from the
database and the tail of its log; while a run is in progress they reload
themselves every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.console.identity import STAFF, Staff
from bot.console.permissions import Section
from bot.console.render import render, see_other
from bot.console.security import requires
from bot.state import SESSIONS, SETTINGS
from knowledge import audit, training_runs
from knowledge.models import TrainingExample, TrainingOutcome, TrainingRun, TrainingStage
from knowledge.settings import PROJECT_ROOT, Settings
from nlu import engine
from nlu.retrain import percent

logger = logging.getLogger(__name__)

# The background processes this gateway started, waited on so that a crash is recorded.
PROCESSES = web.AppKey("training_processes", dict[int, asyncio.subprocess.Process])
WAITERS = web.AppKey("training_waiters", set[asyncio.Task[None]])

LOG_TAIL_BYTES = 64 * 1024
LOG_TAIL_LINES = 120
REFRESH_SECONDS = 5
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_EPOCHS = re.compile(r"Epochs:\s*(\d{1,3})%")

STAGES = (
    (TrainingStage.BUILDING, "Chuẩn bị dữ liệu"),
    (TrainingStage.TRAINING, "Huấn luyện (rasa train)"),
    (TrainingStage.EVALUATING, "Đánh giá trên bộ câu hỏi kiểm tra"),
    (TrainingStage.LOADING, "Nạp vào máy chủ Rasa"),
)
STAGE_LABELS = {TrainingStage.QUEUED.value: "Đang chờ", TrainingStage.FINISHED.value: "Đã xong"} | {
    stage.value: label for stage, label in STAGES
}
OUTCOME_LABELS = {
    TrainingOutcome.LOADED.value: "Đã nạp",
    TrainingOutcome.REFUSED.value: "Không nạp (kém hơn)",
    TrainingOutcome.FAILED.value: "Lỗi",
}
NOTICES = {
    "started": "Đã bắt đầu huấn luyện lại. Trang này tự cập nhật.",
    "busy": "Đang có một lần huấn luyện chưa xong; hãy chờ nó kết thúc.",
    "served": "Máy chủ Rasa đã chuyển sang mô hình đã chọn.",
    "serve_failed": "Không chuyển được mô hình: máy chủ Rasa không nhận. Mô hình cũ vẫn đang chạy.",
    "missing": "Tệp mô hình này không còn, không dùng lại được.",
    "example_removed": "Đã xoá ví dụ. Thay đổi có hiệu lực từ lần huấn luyện lại sau.",
}


def log_tail(path: str) -> tuple[list[str], int | None]:
    """The last lines of a run's log, and the last training progress in percent.

    Rasa draws progress bars with carriage returns; each redraw is a line here
    and only the newest ones are kept.
    """
    file = Path(path)
    if not path or not file.is_file():
        return [], None
    with file.open("rb") as handle:
        handle.seek(max(0, file.stat().st_size - LOG_TAIL_BYTES))
        text = handle.read().decode("utf-8", errors="replace")
    text = _ANSI.sub("", text)
    lines = [line.rstrip() for line in re.split(r"[\r\n]+", text) if line.strip()]
    found = _EPOCHS.findall(text)
    return lines[-LOG_TAIL_LINES:], int(found[-1]) if found else None


def _child_env(settings: Settings) -> dict[str, str]:
    """The background process reads the gateway's settings, not only the environment's."""
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "RASA_URL": settings.rasa_url,
        "RASA_MODEL_URLS": ",".join(settings.model_targets),
        "RASA_TOKEN": settings.rasa_token,
        "TRAINING_DIR": settings.training_dir,
        "RETRAIN_TEST_DATA": settings.retrain_test_data,
        "RETRAIN_MARGIN": str(settings.retrain_margin),
        "RETRAIN_EPOCH_FRACTION": str(settings.retrain_epoch_fraction),
        "MODELS_KEPT": str(settings.models_kept),
        "PYTHONUNBUFFERED": "1",
    }


def _notice(request: web.Request) -> str | None:
    return NOTICES.get(request.query.get("notice", ""))


def _overview(request: web.Request) -> dict[str, Any]:
    with request.config_dict[SESSIONS]() as session, session.begin():
        training_runs.reap_stale(session)
        runs = training_runs.recent(session)
        examples = list(session.scalars(select(TrainingExample).order_by(TrainingExample.id.desc())))
        kept = training_runs.loaded_runs(session)
        session.expunge_all()
    return {"runs": runs, "examples": examples, "kept": kept, "current": next(iter(runs), None)}


def _served_name(settings: Settings) -> str | None:
    try:
        return engine.served_model_name(settings.rasa_url, settings.rasa_token)
    except (OSError, ValueError) as error:
        logger.warning("could not ask Rasa which model it serves: %s", error)
        return None


def stage_states(run: TrainingRun) -> list[tuple[str, str]]:
    """Each stage's label with "done", "now" or "" for the progress list."""
    order = [stage.value for stage, _ in STAGES]
    if run.is_running:
        reached = order.index(run.stage) if run.stage in order else -1
    else:
        finished_stages = {TrainingOutcome.LOADED.value: len(order), TrainingOutcome.REFUSED.value: 3}
        reached = finished_stages.get(run.outcome or "", 0)
    return [
        (label, "done" if index < reached else ("now" if index == reached and run.is_running else ""))
        for index, (_, label) in enumerate(STAGES)
    ]


def _context() -> dict[str, Any]:
    return {
        "stage_states": stage_states,
        "stage_labels": STAGE_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "percent": percent,
        "refresh": REFRESH_SECONDS,
        "model_name": lambda run: Path(run.model_file).name if run.model_file else "",
    }


@requires(Section.TRAINING)
async def overview(request: web.Request) -> web.StreamResponse:
    settings = request.config_dict[SETTINGS]
    data, served = await asyncio.gather(
        asyncio.to_thread(_overview, request), asyncio.to_thread(_served_name, settings)
    )
    current = data["current"]
    tail, progress = await asyncio.to_thread(log_tail, current.log_file if current else "")
    return render(
        request,
        "training/index.html",
        **data,
        **_context(),
        served=served,
        base_name=engine.model_path().name,
        tail=tail,
        progress=progress,
        auto_refresh=bool(current and current.is_running),
        notice=_notice(request),
    )


@requires(Section.TRAINING)
async def run_page(request: web.Request) -> web.StreamResponse:
    run_id = int(request.match_info["run_id"])

    def load() -> TrainingRun | None:
        with request.config_dict[SESSIONS]() as session, session.begin():
            training_runs.reap_stale(session)
            run = training_runs.get(session, run_id)
            if run is not None:
                session.expunge(run)
            return run

    run = await asyncio.to_thread(load)
    if run is None:
        raise web.HTTPNotFound(text="Không có lần huấn luyện này.")
    tail, progress = await asyncio.to_thread(log_tail, run.log_file)
    return render(
        request,
        "training/run.html",
        run=run,
        notice=_notice(request),
        **_context(),
        tail=tail,
        progress=progress,
        auto_refresh=run.is_running,
    )


async def _wait(
    sessions: sessionmaker[Session],
    processes: dict[int, asyncio.subprocess.Process],
    run_id: int,
    process: asyncio.subprocess.Process,
) -> None:
    """Record a run as failed if its process ended without finishing it."""
    code = await process.wait()
    processes.pop(run_id, None)

    def check() -> None:
        with sessions() as session, session.begin():
            run = training_runs.get(session, run_id)
            if run is not None and run.is_running:
                training_runs.finish(
                    session,
                    run,
                    TrainingOutcome.FAILED,
                    f"Tiến trình huấn luyện đã dừng giữa chừng (mã {code}).",
                )

    await asyncio.to_thread(check)


@requires(Section.TRAINING)
async def start(request: web.Request) -> web.StreamResponse:
    staff: Staff = request[STAFF]
    settings = request.config_dict[SETTINGS]
    log_dir = Path(settings.training_dir)
    log_dir.mkdir(parents=True, exist_ok=True)

    def create() -> TrainingRun | None:
        with request.config_dict[SESSIONS]() as session, session.begin():
            try:
                run = training_runs.start(session, staff.username, log_dir)
            except training_runs.TrainingBusyError:
                return None
            session.flush()
            session.expunge(run)
            return run

    run = await asyncio.to_thread(create)
    if run is None:
        return see_other("/console/training?notice=busy")
    with open(run.log_file, "ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "nlu.retrain",
            str(run.id),
            cwd=PROJECT_ROOT,
            env=_child_env(settings),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )

    def remember_pid() -> None:
        with request.config_dict[SESSIONS]() as session, session.begin():
            stored = training_runs.get(session, run.id)
            if stored is not None and stored.is_running and stored.pid is None:
                stored.pid = process.pid

    await asyncio.to_thread(remember_pid)
    request.config_dict[PROCESSES][run.id] = process
    waiter = asyncio.create_task(
        _wait(request.config_dict[SESSIONS], request.config_dict[PROCESSES], run.id, process)
    )
    waiters = request.config_dict[WAITERS]
    waiters.add(waiter)
    waiter.add_done_callback(waiters.discard)
    logger.info("training run %s started by staff (pid %s)", run.id, process.pid)
    return see_other(f"/console/training/{run.id}?notice=started")


@requires(Section.TRAINING)
async def serve(request: web.Request) -> web.StreamResponse:
    """Load a kept model (or the base model) into Rasa: the rollback."""
    staff: Staff = request[STAFF]
    settings = request.config_dict[SETTINGS]
    target = request.match_info["target"]

    def choose() -> tuple[TrainingRun | None, Path | None]:
        if target == "base":
            return None, engine.model_path()
        with request.config_dict[SESSIONS]() as session:
            run = training_runs.get(session, int(target)) if target.isdigit() else None
            usable = run is not None and run.outcome == TrainingOutcome.LOADED and not run.model_removed
            if run is None or not usable or not run.model_file:
                return run, None
            session.expunge(run)
            return run, Path(run.model_file)

    run, model = await asyncio.to_thread(choose)
    if model is None or not model.is_file():
        return see_other("/console/training?notice=missing")
    try:
        await asyncio.to_thread(
            engine.load_model_everywhere, settings.model_targets, settings.rasa_token, model
        )
    except (OSError, RuntimeError) as error:
        logger.error("loading %s into Rasa failed: %s", model.name, error)
        return see_other("/console/training?notice=serve_failed")
    await asyncio.to_thread(engine.set_serving_model, model)

    def record() -> None:
        with request.config_dict[SESSIONS]() as session, session.begin():
            chosen = training_runs.get(session, run.id) if run is not None else None
            training_runs.mark_serving(session, chosen, staff.username)

    await asyncio.to_thread(record)
    return see_other("/console/training?notice=served")


@requires(Section.TRAINING)
async def remove_example(request: web.Request) -> web.StreamResponse:
    staff: Staff = request[STAFF]
    example_id = int(request.match_info["example_id"])

    def remove() -> None:
        with request.config_dict[SESSIONS]() as session, session.begin():
            example = session.get(TrainingExample, example_id)
            if example is None:
                return
            audit.record(
                session,
                staff.username,
                "remove_training_example",
                "training_example",
                example.id,
                before={"text": example.text, "intent": example.intent},
            )
            session.delete(example)

    await asyncio.to_thread(remove)
    return see_other("/console/training?notice=example_removed")


async def _stop_children(app: web.Application) -> None:
    """Stopping the gateway stops its retrainings (and the Rasa processes they started)."""
    for process in list(app[PROCESSES].values()):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    waiters = app[WAITERS]
    for waiter in tuple(waiters):
        waiter.cancel()


def add_routes(app: web.Application) -> None:
    processes: dict[int, asyncio.subprocess.Process] = {}
    waiters: set[asyncio.Task[None]] = set()
    app[PROCESSES] = processes
    app[WAITERS] = waiters
    app.on_cleanup.append(_stop_children)
    app.router.add_get("/training", overview)
    app.router.add_post("/training/start", start)
    app.router.add_get(r"/training/{run_id:\d+}", run_page)
    app.router.add_post(r"/training/{target:(\d+|base)}/serve", serve)
    app.router.add_post(r"/training/examples/{example_id:\d+}/delete", remove_example)
