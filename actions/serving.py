"""The action server's Sanic app, with logging set up in every worker process.

rasa-sdk's ``endpoint.run`` configures nothing in Sanic's worker processes, which
are spawned afresh: there the root logger has no handler, and every INFO line of
``actions.*`` and ``knowledge.*`` was silently dropped. The factory below (module
level, so Sanic can pickle it) sets logging up before building rasa-sdk's app.
"""

from __future__ import annotations

import logging
import warnings
from functools import partial

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.worker.loader import AppLoader

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Log lines of this process to stderr at ``level`` (once per process)."""
    logging.basicConfig(level=level, format=FORMAT)


def worker_app(executor: ActionExecutor, level: str) -> Sanic:
    """The Sanic app of one process (the primary or a worker), logging configured."""
    configure_logging(level)
    # Expected: rasa-sdk 3.21 talks to Rasa 3.6 (see actions/__main__.py).
    warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be compatible")
    return create_app_for_serve(executor, cors_origins=None)


def serve(executor: ActionExecutor, host: str, port: int, level: str) -> None:
    """Serve ``executor``'s actions on ``host``:``port`` until stopped."""
    loader = AppLoader(factory=partial(worker_app, executor, level))
    app = loader.load()
    app.prepare(host=host, port=port, workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)
