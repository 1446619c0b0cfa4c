"""Start the real processes for integration tests: action server and Rasa."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.resolution import rank_codes_for_parse
from knowledge.catalog import catalog_for
from knowledge.settings import Settings
from nlu import engine, evaluate


@dataclass
class Stack:
    """A running Rasa server wired to a running action server."""

    rasa_url: str
    rasa_token: str
    actions_url: str
    logs: Path


@contextlib.contextmanager
def action_server(port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """Run ``python -m actions`` on loopback for the ``with`` block."""
    url = f"http://127.0.0.1:{port}"
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "actions", "--port", str(port)],
            cwd=engine.ROOT,
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            engine.wait_http(f"{url}/health", 60, process)
            yield url
        finally:
            engine.stop(process)


@contextlib.contextmanager
def running_stack(model: Path, logs: Path, env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Action server + Rasa server on free ports, stopped afterwards."""
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(env or {})
    actions_port = engine.free_port()
    env["ACTIONS_PORT"] = str(actions_port)
    with action_server(actions_port, env, logs / "actions.log") as actions_url:
        rasa_env = {**env, "ACTION_ENDPOINT_URL": f"{actions_url}/webhook"}
        with engine.rasa_server(model, env=rasa_env, log=logs / "rasa.log") as rasa:
            yield Stack(rasa_url=rasa.url, rasa_token=rasa.token, actions_url=actions_url, logs=logs)


def evaluate_on_stack(stack: Stack, database_url: str, data: Path, report_path: Path) -> dict[str, Any]:
    """Run nlu.evaluate on ``data`` against the stack, resolving procedures as the actions do."""
    catalog = catalog_for(Settings(database_url=database_url))
    resolver = functools.partial(rank_codes_for_parse, search=catalog.search)
    report = evaluate.evaluate(evaluate.load_items(data), stack.rasa_url, stack.rasa_token, resolver)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return report
