"""The real stack for bench/load.py, and the memory of its processes.

Rasa (``nlu.engine.rasa_server``), the action server (``python -m actions``,
as ``tests/stack.py`` starts it) and a gateway (``python -m bot``) on free
loopback ports, on a private seeded database, stopped afterwards. The
resident memory of each is read from ``/proc/<pid>/status`` (``VmRSS``),
summed over the process and its children: the action server's Sanic serves
from worker processes it spawns.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from knowledge import cli
from nlu import engine

# Gateway settings for the benchmark: no per-sender limit in the way of the simulated
# citizens, and a Rasa timeout long enough for the queue at 50 conversations.
MESSAGES_PER_MINUTE = 1_000_000
RASA_TIMEOUT_S = 120.0
START_TIMEOUT_S = 240.0


@dataclass(frozen=True)
class BenchStack:
    """The running processes and where they answer."""

    rasa_url: str
    actions_url: str
    gateway_url: str
    pids: dict[str, int]  # role ("rasa", "actions", "gateway") -> pid
    database_url: str


def seed(folder: Path) -> str:
    """A SQLite knowledge base with the whole seed and the demo dossiers; its URL."""
    url = f"sqlite:///{folder / 'kb.db'}"
    for command in (["import"], ["seed-demo"]):
        status = cli.main(["--database", url, *command], out=io.StringIO(), report_dir=folder)
        if status != 0:
            raise RuntimeError(f"knowledge {' '.join(command)} failed with status {status}")
    return url


@contextlib.contextmanager
def _app_process(
    module: str, port: int, env: dict[str, str], log: Path, ready_path: str
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m <module> --port <port>`` of the app environment until the block ends."""
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(port)],
            cwd=engine.ROOT,
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            engine.wait_http(f"http://127.0.0.1:{port}{ready_path}", START_TIMEOUT_S, process)
            yield process
        finally:
            engine.stop(process)


@contextlib.contextmanager
def bench_stack(model: Path, database_url: str, logs: Path) -> Iterator[BenchStack]:
    """Action server, Rasa and gateway on free ports, stopped afterwards."""
    logs.mkdir(parents=True, exist_ok=True)
    actions_port = engine.free_port()
    common = {
        "DATABASE_URL": database_url,
        "ACTIONS_PORT": str(actions_port),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "TELEGRAM_TOKEN": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with _app_process("actions", actions_port, common, logs / "actions.log", "/health") as actions:
        actions_url = f"http://127.0.0.1:{actions_port}"
        rasa_env = {**common, "ACTION_ENDPOINT_URL": f"{actions_url}/webhook"}
        with engine.rasa_server(model, env=rasa_env, log=logs / "rasa.log", timeout=START_TIMEOUT_S) as rasa:
            gateway_port = engine.free_port()
            gateway_env = {
                **common,
                "RASA_URL": rasa.url,
                "RASA_TOKEN": rasa.token,
                "MESSAGES_PER_MINUTE": str(MESSAGES_PER_MINUTE),
                "RASA_TIMEOUT_S": str(RASA_TIMEOUT_S),
            }
            with _app_process("bot", gateway_port, gateway_env, logs / "gateway.log", "/readyz") as gateway:
                yield BenchStack(
                    rasa_url=rasa.url,
                    actions_url=actions_url,
                    gateway_url=f"http://127.0.0.1:{gateway_port}",
                    pids={"rasa": rasa.process.pid, "actions": actions.pid, "gateway": gateway.pid},
                    database_url=database_url,
                )


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _vm_rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tree_rss_mb(pid: int) -> tuple[float, int]:
    """Resident memory of ``pid`` and all its descendants (MB), and how many processes that is."""
    pending, seen = [pid], set()
    total_kb = 0
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        total_kb += _vm_rss_kb(current)
        pending += _children(current)
    return total_kb / 1024, len(seen)


def rss_snapshot(pids: dict[str, int]) -> dict[str, float]:
    """Resident memory (MB) of each role's process tree, now."""
    return {role: round(tree_rss_mb(pid)[0], 1) for role, pid in pids.items()}


def process_counts(pids: dict[str, int]) -> dict[str, int]:
    return {role: tree_rss_mb(pid)[1] for role, pid in pids.items()}


def rss_sample(pids: dict[str, int], origin: float) -> dict[str, float]:
    """One sample for the soak: seconds since ``origin`` and each role's MB."""
    return {"t_s": round(time.perf_counter() - origin, 1), **rss_snapshot(pids)}
