"""The production configuration's tests run on the real Redis and PostgreSQL of the machine.

``TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``) and
``TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``,
a database the tests may connect to and create databases from) say where.
When one is unreachable the tests that need it are skipped, saying so,
except on CI (``CI=true``), where they fail: ``.ci/run`` starts both first.
Every test keeps its Redis keys under a random prefix and deletes them; each
session gets a fresh PostgreSQL database (and Rasa's tracker database beside
it), dropped at the end.
"""

from __future__ import annotations

import dataclasses
import io
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from psycopg import sql
from pytest_aiohttp import AiohttpServer

from bot.shared_redis import SharedRedis
from knowledge import cli
from knowledge.db import make_engine
from knowledge.migrate import upgrade
from knowledge.settings import Settings
from nlu import engine
from nlu.engine import free_port
from tests.production.cluster import Cluster, make_cluster, running
from tests.production.proxy import RoundRobinProxy
from tests.production.redis_server import RedisServer

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ON_CI = os.environ.get("CI") == "true"


def _unreachable(what: str, url: str, error: Exception) -> None:
    message = (
        f"{what} is not reachable at {url} ({type(error).__name__}); "
        f"scripts/start_services.sh starts it, TEST_{what.upper()}_URL points elsewhere"
    )
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


def libpq(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def with_database(url: str, database: str) -> str:
    """``url`` pointing at another database of the same server."""
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + f"/{database}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=2) as client:
            client.ping()
    except redis.RedisError as error:
        _unreachable("Redis", url, error)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    try:
        psycopg.connect(libpq(url), connect_timeout=3).close()
    except psycopg.Error as error:
        _unreachable("Postgres", url, error)
    return url


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test alone; its keys are deleted afterwards."""
    prefix = f"test-{secrets.token_hex(6)}:"
    yield prefix
    with redis.Redis.from_url(redis_url) as client:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture
async def shared_redis(redis_url: str, redis_prefix: str) -> AsyncIterator[SharedRedis]:
    """The gateway's Redis client, on this test's prefix."""
    shared = SharedRedis.from_url(redis_url, redis_prefix)
    yield shared
    await shared.close()


def _drop(admin_url: str, *databases: str) -> None:
    with psycopg.connect(libpq(admin_url), autocommit=True) as connection:
        for database in databases:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


@pytest.fixture
def gateway_settings(tmp_path: Path) -> Settings:
    """A gateway's settings on a migrated, empty SQLite knowledge base, Rasa not set yet."""
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return dataclasses.replace(
        Settings(), database_url=url, actions_port=free_port(), rasa_timeout_s=5.0, messages_per_minute=3
    )


@pytest.fixture(scope="session")
def production_database_url(postgres_url: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL knowledge base; it and Rasa's ``<name>_tracker`` go at the end."""
    name, url = _new_database(postgres_url, "tthc_prod")
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        _drop(postgres_url, name, f"{name}_tracker")


def _new_database(postgres_url: str, prefix: str) -> tuple[str, str]:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(libpq(postgres_url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, with_database(postgres_url, name)


@pytest.fixture(scope="session")
def cluster_database_url(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL knowledge base with the whole seed and the demo dossiers, for the cluster."""
    name, url = _new_database(postgres_url, "tthc_cluster")
    try:
        reports = tmp_path_factory.mktemp("cluster-seed")
        for command in (["import"], ["seed-demo"]):
            status = cli.main(["--database", url, *command], out=io.StringIO(), report_dir=reports)
            assert status == 0, command
        yield url
    finally:
        _drop(postgres_url, name, f"{name}_tracker")


# Gateways of the cluster: a Rasa timeout long enough for a queue under load, and a
# rate limit no simulated citizen reaches (one sends 10 messages in a conversation).
CLUSTER_GATEWAY_ENV = {"RASA_TIMEOUT_S": "60", "MESSAGES_PER_MINUTE": "100", "LOG_LEVEL": "INFO"}


@pytest.fixture(scope="session")
def cluster_redis() -> Iterator[RedisServer]:
    """The cluster's own Redis, which the fault tests stop and start again."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cluster(trained_model: Path, cluster_database_url: str, cluster_redis: RedisServer) -> Iterator[Cluster]:
    """Two whole instances (action server, Rasa, gateway) on the shared PostgreSQL and Redis."""
    logs = engine.VAR / "test-logs" / "cluster"
    made = make_cluster(2, trained_model, cluster_database_url, cluster_redis.url, logs, CLUSTER_GATEWAY_ENV)
    with running(made):
        yield made


@pytest.fixture
async def proxy(cluster: Cluster, aiohttp_server: AiohttpServer) -> tuple[RoundRobinProxy, str]:
    """A round-robin proxy in front of the cluster's gateways, and its URL."""
    router = RoundRobinProxy(cluster.gateway_urls)
    server = await aiohttp_server(router.make_app())
    return router, str(server.make_url("")).rstrip("/")
