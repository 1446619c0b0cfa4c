"""A redis-server of the tests' own on a free port, which a test may stop and start again."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
import redis

from nlu.engine import free_port


class RedisServer:
    """``redis-server`` on loopback, keeping nothing on disk."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with redis.Redis(port=self.port, socket_connect_timeout=0.5) as probe:
                    probe.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None
