"""Run the gateway: ``python -m bot [--port 8080]``."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.app import create_app
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot")
    parser.add_argument("--port", type=int, default=settings.gateway_port)
    args = parser.parse_args()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # aiohttp's access log would write every sender id in the URL of history calls.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logger.info("Gateway on http://%s:%s (demo page and widget at /)", settings.gateway_host, args.port)
    web.run_app(create_app(settings), host=settings.gateway_host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
