"""Several instances of the whole assistant on loopback, in the production configuration.

Each instance is an action server, a Rasa server (SQL tracker store on
PostgreSQL, lock store in Redis) and a gateway (``python -m bot`` with
``REDIS_URL``), all on one PostgreSQL knowledge base. Gateway *i* asks Rasa
*i*, which calls action server *i*. Every process can be stopped, killed and
started again on its port, for the fault tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nlu import engine

START_TIMEOUT_S = 300.0


@dataclass
class Service:
    """One process of the cluster, started again on the same port after a fault."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready_url: str
    log: Path
    process: subprocess.Popen[bytes] | None = None
    _log_start: int = 0

    def start(self) -> None:
        self._log_start = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as sink:
            self.process = subprocess.Popen(
                self.argv,
                cwd=engine.ROOT,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own: killed as a whole, as a crash would
            )

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        assert self.process is not None
        engine.wait_http(self.ready_url, timeout, self.process)

    def wait_log(self, text: str, timeout: float = START_TIMEOUT_S) -> None:
        """Until this run of the process has written ``text`` to its log."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log, "rb") as log:
                log.seek(self._log_start)
                if text.encode() in log.read():
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}; see {self.log}")
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not log {text!r} within {timeout} s")

    def restart(self) -> None:
        self.start()
        self.wait_ready()

    def stop(self) -> None:
        """Stop gracefully (SIGTERM, then SIGKILL after a grace period)."""
        if self.process is not None and self.process.poll() is None:
            engine.stop(self.process)

    def kill(self) -> None:
        """Kill at once, with the children it spawned (Sanic's workers), as a crash would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass
class Instance:
    actions: Service
    rasa: Service
    gateway: Service
    actions_port: int
    rasa_url: str
    rasa_token: str
    gateway_url: str


@dataclass
class Cluster:
    instances: list[Instance] = field(default_factory=list)

    @property
    def gateway_urls(self) -> list[str]:
        return [instance.gateway_url for instance in self.instances]

    def services(self) -> list[Service]:
        return [s for i in self.instances for s in (i.gateway, i.rasa, i.actions)]


def make_cluster(
    size: int, model: Path, database_url: str, redis_url: str, logs: Path, gateway_env: dict[str, str]
) -> Cluster:
    """The services of ``size`` instances (not started)."""
    logs.mkdir(parents=True, exist_ok=True)
    common = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TELEGRAM_TOKEN": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    cluster = Cluster()
    for index in range(size):
        actions_port, rasa_port, gateway_port = engine.free_port(), engine.free_port(), engine.free_port()
        token = f"cluster-token-{index}-{os.urandom(6).hex()}"
        actions_url = f"http://127.0.0.1:{actions_port}"
        to_actions = {**common, "ACTION_ENDPOINT_URL": f"{actions_url}/webhook"}
        rasa_argv, rasa_env = engine.rasa_command(model, rasa_port, token, env=to_actions, stores=True)
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        gateway = {
            **common,
            **gateway_env,
            "RASA_URL": rasa_url,
            "RASA_TOKEN": token,
            "ACTIONS_PORT": str(actions_port),
        }
        cluster.instances.append(
            Instance(
                actions=Service(
                    f"actions-{index}",
                    [sys.executable, "-m", "actions", "--port", str(actions_port)],
                    {**common, "ACTIONS_PORT": str(actions_port)},
                    f"{actions_url}/health",
                    logs / f"actions-{index}.log",
                ),
                rasa=Service(
                    f"rasa-{index}",
                    rasa_argv,
                    rasa_env,
                    f"{rasa_url}/status?token={token}",
                    logs / f"rasa-{index}.log",
                ),
                gateway=Service(
                    f"gateway-{index}",
                    [sys.executable, "-m", "bot", "--port", str(gateway_port)],
                    gateway,
                    f"http://127.0.0.1:{gateway_port}/healthz",
                    logs / f"gateway-{index}.log",
                ),
                actions_port=actions_port,
                rasa_url=rasa_url,
                rasa_token=token,
                gateway_url=f"http://127.0.0.1:{gateway_port}",
            )
        )
    return cluster


# Rasa logs this once its tracker store is set up (database and tables created).
RASA_STORES_READY = "Loading model"


@contextlib.contextmanager
def running(cluster: Cluster) -> Iterator[Cluster]:
    """Start every service, and stop them all at the end.

    The first Rasa server creates the tracker database and its tables; the
    others start once it has (two creating them at once could collide), and
    load the model meanwhile.
    """
    first, *others = cluster.instances
    try:
        with ThreadPoolExecutor() as pool:
            for instance in cluster.instances:
                instance.actions.start()
            first.rasa.start()
            first.rasa.wait_log(RASA_STORES_READY)
            for instance in others:
                instance.rasa.start()
            list(pool.map(lambda i: i.actions.wait_ready(), cluster.instances))
            list(pool.map(lambda i: i.rasa.wait_ready(), cluster.instances))
            for instance in cluster.instances:
                instance.gateway.start()
            list(pool.map(lambda i: i.gateway.wait_ready(), cluster.instances))
        yield cluster
    finally:
        with ThreadPoolExecutor() as pool:  # each may take its grace period
            list(pool.map(Service.stop, cluster.services()))
