"""The trained model follows every test story in tests/stories/, end to end.

`rasa test core --e2e` feeds each user text through the NLU and compares the
intent and entities with the story's labels, then compares each predicted
action with the story's. Custom actions are never executed (Rasa's test agent
is loaded without an action endpoint), so no action server is needed.

This gate is on the dialogue: every intent and every action must be the
story's (Rasa marks each miss with a "# predicted:" comment). A procedure span
a word longer or shorter than labelled is printed, not failed: the actions
search the whole message and use the span only as extra evidence, and the
procedure gate (tests/nlu) measures what the citizen gets from it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "var" / "models" / "tthc.tar.gz"
STORIES = ROOT / "tests" / "stories"


def story_count() -> int:
    return sum(
        len(yaml.safe_load(path.read_text(encoding="utf-8")).get("stories") or [])
        for path in sorted(STORIES.glob("*.yml"))
    )


def test_the_model_follows_every_test_story(tmp_path: Path) -> None:
    if not MODEL.is_file():
        pytest.fail(
            f"no trained model at {MODEL.relative_to(ROOT)}: train it first with `make train` "
            "(or `.venvs/app/bin/python -m nlu.engine train`)",
            pytrace=False,
        )
    rasa = Path(sys.executable).parent / "rasa"
    out = tmp_path / "results"
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Nothing listens here: the test must not need the action server.
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
    }
    result = subprocess.run(
        [
            str(rasa),
            "test",
            "core",
            "--model",
            str(MODEL),
            "--stories",
            str(STORIES),
            "--out",
            str(out),
            "--e2e",
            "--no-plot",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]

    failed_file = out / "failed_test_stories.yml"
    report_file = out / "story_report.json"
    assert failed_file.is_file() and report_file.is_file(), f"rasa test wrote no results:\n{output[-5000:]}"
    failed_text = failed_file.read_text(encoding="utf-8")
    failed = yaml.safe_load(failed_text) or {}
    # The comments ("# predicted: ...") say what went wrong: show the raw file.
    assert "# predicted:" not in failed_text, failed_text
    if failed.get("stories"):
        print("Stories whose only difference is an entity span:\n" + failed_text)

    conversations = json.loads(report_file.read_text(encoding="utf-8"))["conversation_accuracy"]
    expected = story_count()
    assert conversations["total"] == expected, f"{conversations['total']} of {expected} stories were tested"
    assert conversations["correct"] + len(failed.get("stories") or []) == expected, conversations
