"""The "Huấn luyện lại" pages over HTTP: roles, CSRF, one run at a time, examples, rollback refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.training_pages import log_tail
from knowledge.models import AuditEntry, TrainingExample, TrainingOutcome, TrainingRun, TrainingStage
from tests.console.test_console_http import csrf_of, login


async def test_the_page_lists_the_examples_and_says_when_rasa_is_unreachable(
    console: TestClient, db: Session
) -> None:
    db.add(
        TrainingExample(text="cho tôi gặp <b>chị trực</b>", intent="human_handoff", created_by="thu.editor")
    )
    db.commit()
    assert await login(console, "editor") == 303
    page = await console.get("/console/training")
    html = await page.text()
    assert page.status == 200
    assert "Ví dụ cán bộ đã dạy (1)" in html and "cho tôi gặp &lt;b&gt;chị trực&lt;/b&gt;" in html
    assert "không hỏi được máy chủ Rasa" in html
    assert "Chưa huấn luyện lại lần nào." in html
    assert 'http-equiv="refresh"' not in html  # nothing running: no reloading


async def test_only_editors_and_admins_may_retrain(console: TestClient) -> None:
    for role in ("viewer", "operator"):
        console.session.cookie_jar.clear()
        assert await login(console, role) == 303
        assert (await console.get("/console/training")).status == 403
        token = await csrf_of(console, "/console/")
        response = await console.post("/console/training/start", data={"csrf": token}, allow_redirects=False)
        assert response.status == 403


async def test_starting_needs_the_csrf_token(console: TestClient, db: Session) -> None:
    assert await login(console, "editor") == 303
    response = await console.post("/console/training/start", data={}, allow_redirects=False)
    assert response.status == 403
    assert db.scalar(select(TrainingRun.id)) is None


async def test_a_second_run_is_refused_while_one_is_in_progress(console: TestClient, db: Session) -> None:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as busy:
        db.add(
            TrainingRun(
                requested_by="thu.admin",
                stage=TrainingStage.TRAINING.value,
                pid=busy.pid,
                log_file="/nonexistent",
            )
        )
        db.commit()
        assert await login(console, "editor") == 303
        page = await console.get("/console/training")
        html = await page.text()
        assert 'http-equiv="refresh"' in html and "disabled" in html
        token = await csrf_of(console, "/console/training")
        response = await console.post("/console/training/start", data={"csrf": token})
        assert "Đang có một lần huấn luyện chưa xong" in await response.text()
        busy.kill()
    assert len(db.scalars(select(TrainingRun)).all()) == 1


async def test_an_abandoned_run_shows_as_failed(console: TestClient, db: Session) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    db.add(
        TrainingRun(requested_by="thu.admin", stage=TrainingStage.EVALUATING.value, pid=gone.pid, log_file="")
    )
    db.commit()
    assert await login(console, "editor") == 303
    html = await (await console.get("/console/training")).text()
    assert "Tiến trình huấn luyện đã dừng bất thường." in html and "Lỗi" in html


async def test_removing_a_taught_example_is_audited(console: TestClient, db: Session) -> None:
    example = TrainingExample(text="nối máy tổng đài", intent="human_handoff", created_by="thu.editor")
    db.add(example)
    db.commit()
    example_id = example.id
    assert await login(console, "editor") == 303
    token = await csrf_of(console, "/console/training")
    response = await console.post(f"/console/training/examples/{example_id}/delete", data={"csrf": token})
    assert "Đã xoá ví dụ" in await response.text()
    db.expire_all()
    assert db.get(TrainingExample, example_id) is None
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "remove_training_example")).one()
    assert entry.actor == "thu.editor" and entry.before == {
        "text": "nối máy tổng đài",
        "intent": "human_handoff",
    }


async def test_a_model_that_is_gone_or_was_refused_cannot_be_served(console: TestClient, db: Session) -> None:
    refused = TrainingRun(
        requested_by="thu.editor",
        stage=TrainingStage.FINISHED.value,
        outcome=TrainingOutcome.REFUSED.value,
        log_file="",
        model_file="/nonexistent/tthc-console-1.tar.gz",
    )
    db.add(refused)
    db.commit()
    refused_id = refused.id
    assert await login(console, "editor") == 303
    token = await csrf_of(console, "/console/training")
    for target in (str(refused_id), "999"):
        response = await console.post(f"/console/training/{target}/serve", data={"csrf": token})
        assert "không còn, không dùng lại được" in await response.text()
    assert (await console.get("/console/training/999")).status == 404


def test_the_log_tail_keeps_the_last_progress_bar_state(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_bytes(
        b"==> data: nlu/data + 2 examples\n\x1b[0mEpochs:   5%|5| 4/80\rEpochs:  41%|###| 33/80\r"
        b"\xff broken byte\n"
    )
    lines, progress = log_tail(str(log))
    assert progress == 41
    assert lines[0] == "==> data: nlu/data + 2 examples" and "Epochs:   5%|5| 4/80" in lines
    assert lines[-1].endswith("broken byte")
    assert log_tail(str(tmp_path / "missing.log")) == ([], None)
