"""Drive the engine environment (Rasa 3.6, Python 3.10) from outside it.

The app environment, the Makefile and the tests train and serve models only
through this module, so every ``rasa`` command line lives in one place.
Standard library only: it runs under either interpreter.

    python -m nlu.engine train [--config config.yml] [--name tthc] [--nlu-only]
    python -m nlu.engine serve [--model var/models/tthc.tar.gz] [--port 5005]

``serve`` without ``--model`` serves :func:`serving_model`: the base model,
or the one the console's retraining last loaded. With ``DATABASE_URL`` on
PostgreSQL or ``REDIS_URL`` set, ``serve`` runs Rasa with the SQL tracker
store and the Redis lock store (:mod:`nlu.rasa_stores`); otherwise both stay
in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nlu import rasa_stores

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
ENGINE_BIN = ROOT / ".venvs" / "engine" / "bin"
VAR = ROOT / "var"
MODELS = VAR / "models"
DEFAULT_MODEL_NAME = "tthc"
TOKEN_FILE = VAR / "rasa-token"
# Endpoints files with the production stores (no secrets in them).
ENDPOINTS_DIR = VAR / "rasa-endpoints"

# Rasa's exit code of `rasa train --dry-run` when nothing needs retraining.
_DRY_RUN_UP_TO_DATE = 0


def engine_env() -> dict[str, str]:
    """Environment for every engine process: no telemetry, cache under var/."""
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("RASA_CACHE_DIRECTORY", str(VAR / "rasa-cache"))
    env.setdefault("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def rasa_token() -> str:
    """The Rasa API token: ``RASA_TOKEN`` if set, else one kept in var/."""
    token = os.environ.get("RASA_TOKEN")
    if token:
        return token
    if TOKEN_FILE.is_file():
        return TOKEN_FILE.read_text(encoding="utf-8").strip()
    VAR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    TOKEN_FILE.write_text(token + "\n", encoding="utf-8")
    TOKEN_FILE.chmod(0o600)
    return token


def model_path(name: str = DEFAULT_MODEL_NAME) -> Path:
    """Where the model called ``name`` is stored."""
    return MODELS / f"{name}.tar.gz"


def _train_argv(
    config: Path, name: str, nlu_only: bool, out: Path, data: Path = ROOT / "nlu" / "data"
) -> list[str]:
    rasa = str(ENGINE_BIN / "rasa")
    if nlu_only:
        return [
            rasa,
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            str(data / "nlu"),
            "--out",
            str(out),
            "--fixed-model-name",
            name,
        ]
    return [
        rasa,
        "train",
        "--config",
        str(config),
        "--domain",
        "domain",
        "--data",
        str(data),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]


def console_models_dir() -> Path:
    """Where models retrained from the console are kept (``CONSOLE_MODELS_DIR``)."""
    return Path(os.environ.get("CONSOLE_MODELS_DIR") or MODELS / "console")


def serving_pointer() -> Path:
    """The file naming the model the console last loaded into Rasa."""
    return console_models_dir() / "serving"


def serving_model() -> Path:
    """The model a (re)started Rasa server should serve.

    The one the console last loaded or rolled back to, unless ``make train``
    has trained the base model since (a developer changed ``nlu/``): then the
    base model, so a restart never goes back to older data.
    """
    base, pointer = model_path(), serving_pointer()
    if not pointer.is_file():
        return base
    chosen = Path(pointer.read_text(encoding="utf-8").strip())
    if not chosen.is_file() or (base.is_file() and base.stat().st_mtime > pointer.stat().st_mtime):
        return base
    return chosen


def set_serving_model(model: Path) -> None:
    """Remember ``model`` as the one to serve after a restart (the base model clears it)."""
    pointer = serving_pointer()
    if model.resolve() == model_path().resolve():
        pointer.unlink(missing_ok=True)
        return
    pointer.parent.mkdir(parents=True, exist_ok=True)
    temporary = pointer.with_suffix(".tmp")
    temporary.write_text(f"{model.resolve()}\n", encoding="utf-8")
    temporary.replace(pointer)


def train_into(
    data: Path,
    out: Path,
    name: str,
    log: Path,
    config: Path = ROOT / "config.yml",
    finetune: Path | None = None,
    epoch_fraction: float = 1.0,
) -> Path:
    """Train a full model from the data folder ``data`` into ``out/name.tar.gz``.

    Rasa's output goes to ``log``; the training cache is the shared one, so
    only what the new data changes is trained again. With ``finetune`` (a
    model trained with the same configuration and domain), Rasa goes on from
    its weights for ``epoch_fraction`` of the configured epochs instead of
    starting over (``rasa train --finetune``). Raises ``CalledProcessError``
    if Rasa fails.
    """
    out.mkdir(parents=True, exist_ok=True)
    argv = _train_argv(config, name, False, out, data)
    if finetune is not None:
        argv += ["--finetune", str(finetune), "--epoch-fraction", str(epoch_fraction)]
    with open(log, "ab") as sink:
        subprocess.run(
            argv,
            cwd=ROOT,
            env=engine_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return out / f"{name}.tar.gz"


def needs_training(config: Path, name: str = DEFAULT_MODEL_NAME, nlu_only: bool = False) -> bool:
    """True when the model is missing or Rasa's fingerprints say it is stale."""
    if not model_path(name).is_file():
        return True
    if nlu_only:  # `rasa train nlu` has no dry run; compare times instead.
        model_time = model_path(name).stat().st_mtime
        inputs = [config, *(ROOT / "nlu").rglob("*.py"), *(ROOT / "nlu" / "data" / "nlu").rglob("*.yml")]
        return any(path.stat().st_mtime > model_time for path in inputs)
    argv = [*_train_argv(config, name, nlu_only, MODELS), "--dry-run"]
    result = subprocess.run(argv, cwd=ROOT, env=engine_env(), capture_output=True, text=True)
    return result.returncode != _DRY_RUN_UP_TO_DATE


def train(
    config: Path = ROOT / "config.yml",
    name: str = DEFAULT_MODEL_NAME,
    nlu_only: bool = False,
    force: bool = False,
) -> Path:
    """Train the model ``name`` unless it is up to date; return its path.

    ``force`` trains from scratch: always, and with an empty training cache,
    so that no component is restored from an earlier training.
    """
    config = config if config.is_absolute() else ROOT / config
    if not force and not needs_training(config, name, nlu_only):
        print(f"==> model {model_path(name).relative_to(ROOT)} is up to date", flush=True)
        return model_path(name)
    MODELS.mkdir(parents=True, exist_ok=True)
    print(f"==> training {model_path(name).relative_to(ROOT)} with {config.name}", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as empty_cache:
        env = engine_env()
        if force:
            env["RASA_CACHE_DIRECTORY"] = empty_cache
        subprocess.run(_train_argv(config, name, nlu_only, MODELS), cwd=ROOT, env=env, check=True)
    print(f"==> trained in {time.monotonic() - started:.0f} s", flush=True)
    return model_path(name)


def serve_argv(
    model: Path,
    port: int,
    token: str,
    host: str = "127.0.0.1",
    endpoints: Path | None = ROOT / "endpoints.yml",
) -> list[str]:
    """Command line of a Rasa server with its HTTP API behind ``token``."""
    argv = [
        str(ENGINE_BIN / "rasa"),
        "run",
        "--model",
        str(model),
        "--enable-api",
        # "=" form: a random token may start with "-", which argparse would take for an option.
        f"--auth-token={token}",
        "--interface",
        host,
        "--port",
        str(port),
        "--credentials",
        str(ROOT / "credentials.yml"),
    ]
    if endpoints is not None:
        argv += ["--endpoints", str(endpoints)]
    return argv


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until ``url`` answers 200, or fail if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before {url} answered")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], grace: float = 20) -> None:
    """Ask ``process`` to stop; kill it if it has not within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class RasaServer:
    """A running Rasa server started by :func:`rasa_server`."""

    url: str
    token: str
    process: subprocess.Popen[bytes]


def rasa_command(
    model: Path,
    port: int,
    token: str,
    *,
    env: dict[str, str] | None = None,
    endpoints: Path | None = ROOT / "endpoints.yml",
    stores: bool = False,
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a Rasa server on loopback.

    ``stores=True`` adds the production tracker and lock stores that
    ``DATABASE_URL`` and ``REDIS_URL`` (in ``env`` or the environment) ask for.
    """
    full_env = {**engine_env(), **(env or {})}
    if stores:
        endpoints, chosen = rasa_stores.endpoints_with_stores(full_env, endpoints, ENDPOINTS_DIR)
        full_env.update(chosen.env)
    return serve_argv(model, port, token, endpoints=endpoints), full_env


@contextlib.contextmanager
def rasa_server(
    model: Path,
    *,
    port: int | None = None,
    token: str | None = None,
    endpoints: Path | None = ROOT / "endpoints.yml",
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 180,
    stores: bool = False,
) -> Iterator[RasaServer]:
    """Start a Rasa server on loopback for the ``with`` block, then stop it (see :func:`rasa_command`)."""
    port = port or free_port()
    token = token or secrets.token_urlsafe(16)
    url = f"http://127.0.0.1:{port}"
    argv, full_env = rasa_command(model, port, token, env=env, endpoints=endpoints, stores=stores)
    sink = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(argv, cwd=ROOT, env=full_env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_http(f"{url}/status?token={token}", timeout, process)
        yield RasaServer(url=url, token=token, process=process)
    finally:
        stop(process)
        if log:
            sink.close()  # type: ignore[union-attr]


def _rasa_api(
    url: str, token: str, method: str, path: str, body: dict[str, str] | None, timeout: float
) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{url.rstrip('/')}{path}?token={urllib.parse.quote(token)}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"} if data else {},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def served_model_name(url: str, token: str, timeout: float = 10) -> str:
    """The file name of the model a running Rasa server serves (its ``/status``)."""
    status = json.loads(_rasa_api(url, token, "GET", "/status", None, timeout))
    return Path(str(status.get("model_file") or "")).name


def load_model(url: str, token: str, model: Path, timeout: float = 300) -> None:
    """Make a running Rasa server serve ``model`` (``PUT /model``), then check it does.

    Rasa keeps answering with the old model until the new one is loaded. The
    file must be readable by the Rasa server (same machine or shared storage).
    Raises ``OSError`` (``urllib.error.URLError``) or ``RuntimeError``.
    """
    _rasa_api(url, token, "PUT", "/model", {"model_file": str(model.resolve())}, timeout)
    served = served_model_name(url, token)
    if served != model.name:
        raise RuntimeError(f"Rasa at {url} serves {served!r} after loading {model.name!r}")


def load_model_everywhere(urls: Iterable[str], token: str, model: Path) -> None:
    """:func:`load_model` on each Rasa server in turn; stops at the first that fails."""
    for url in urls:
        load_model(url, token, model)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``train`` or ``serve``."""
    parser = argparse.ArgumentParser(
        prog="python -m nlu.engine", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train_cmd = commands.add_parser("train", help="train the model if missing or stale")
    train_cmd.add_argument("--config", type=Path, default=ROOT / "config.yml")
    train_cmd.add_argument("--name", default=DEFAULT_MODEL_NAME)
    train_cmd.add_argument("--nlu-only", action="store_true")
    train_cmd.add_argument("--force", action="store_true")
    commands.add_parser("token", help="print the Rasa API token (made and kept in var/ if missing)")
    serve_cmd = commands.add_parser("serve", help="run the Rasa server (replaces this process)")
    serve_cmd.add_argument("--model", type=Path, default=None, help="default: the serving model")
    serve_cmd.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    args = parser.parse_args(argv)

    if args.command == "train":
        train(args.config, args.name, nlu_only=args.nlu_only, force=args.force)
        return 0
    if args.command == "token":
        print(rasa_token())
        return 0
    model = args.model or serving_model()
    env = engine_env()
    try:
        endpoints, stores = rasa_stores.endpoints_with_stores(env, ROOT / "endpoints.yml", ENDPOINTS_DIR)
    except rasa_stores.StoreConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    env.update(stores.env)
    argv_ = serve_argv(model, args.port, rasa_token(), endpoints=endpoints)
    print(
        f"==> Rasa API on http://127.0.0.1:{args.port} (token in {TOKEN_FILE.relative_to(ROOT)} "
        f"or RASA_TOKEN), serving {model.name}; "
        + ("; ".join(stores.summary) if stores.summary else "tracker and lock stores in memory"),
        flush=True,
    )
    os.chdir(ROOT)
    os.execve(argv_[0], argv_, env)
    return 0  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(main())
