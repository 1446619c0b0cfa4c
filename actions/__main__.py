"""Run the action server on loopback: ``python -m actions [--port 5055]``.

rasa-sdk's own runner binds every interface; the action server only ever
talks to the Rasa server on this machine, so it listens on ``ACTIONS_HOST``
(default 127.0.0.1).

Sanic serves from worker processes it starts afresh ("spawn"), where the
logging set up here does not exist: the app factory (``actions.serving``)
sets it up again in each worker, or the actions' own log lines are lost.
"""

from __future__ import annotations

import argparse
import logging
import threading
import warnings

from rasa_sdk.executor import ActionExecutor

from actions import faq
from actions.serving import configure_logging, serve
from knowledge.catalog import get_catalog
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


# rasa-sdk warns when its minor version differs from the Rasa server's. The
# action-server protocol is stable across 3.x, and rasa-sdk 3.6 does not
# install on the app environment's Python, so the warning is expected.
warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be compatible")


def main() -> None:
    """Parse the command line and serve the actions package."""
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m actions")
    parser.add_argument("--port", type=int, default=settings.actions_port)
    args = parser.parse_args()
    configure_logging(settings.log_level)
    # Build the search index now rather than on the first question.
    threading.Thread(target=get_catalog().refresh_now, name="search-index-warmup", daemon=True).start()
    threading.Thread(target=faq.warm_up, name="faq-index-warmup", daemon=True).start()
    executor = ActionExecutor()
    executor.register_package("actions")
    logger.info("Action server on http://%s:%s", settings.actions_host, args.port)
    serve(executor, settings.actions_host, args.port, settings.log_level)


if __name__ == "__main__":
    main()
