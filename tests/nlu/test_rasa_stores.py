"""Rasa's endpoints file: in-memory stores in development, PostgreSQL and Redis in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nlu import engine, rasa_stores

BASE = engine.ROOT / "endpoints.yml"


def test_development_keeps_the_projects_endpoints_file(tmp_path: Path) -> None:
    for env in [{}, {"DATABASE_URL": "sqlite:///var/tthc.db"}, {"REDIS_URL": ""}]:
        path, stores = rasa_stores.endpoints_with_stores(env, BASE, tmp_path)
        assert path == BASE and stores.env == {} and stores.summary == ()
    assert list(tmp_path.iterdir()) == []


def test_postgresql_and_redis_give_the_sql_tracker_store_and_the_redis_lock_store(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql+psycopg://tthc:p%40ss%24word@db.internal:6543/tthc?sslmode=require",
        "REDIS_URL": "rediss://:r3dis-secret@cache.internal:6380/2",
    }
    path, stores = rasa_stores.endpoints_with_stores(env, BASE, tmp_path)
    assert path is not None and path.parent == tmp_path
    text = path.read_text(encoding="utf-8")
    assert text.startswith(BASE.read_text(encoding="utf-8"))  # the action endpoint is kept
    for line in [
        "tracker_store:",
        "  type: SQL",
        "  dialect: postgresql",
        '  url: "db.internal"',
        "  port: 6543",
        '  db: "tthc_tracker"',
        '  login_db: "tthc"',
        '  username: "tthc"',
        "  password: ${RASA_TRACKER_STORE_PASSWORD}",
        '    "sslmode": "require"',
        "lock_store:",
        "  type: redis",
        '  url: "cache.internal"',
        "  port: 6380",
        "  db: 2",
        '  key_prefix: "rasa"',
        "  use_ssl: true",
        "  password: ${RASA_LOCK_STORE_PASSWORD}",
    ]:
        assert line in text.splitlines(), line
    # Secrets never in the file: Rasa reads them from its environment.
    assert "p@ss" not in text and "r3dis-secret" not in text
    assert stores.env == {
        "RASA_TRACKER_STORE_PASSWORD": "p@ss$word",
        "RASA_LOCK_STORE_PASSWORD": "r3dis-secret",
    }
    assert stores.summary == (
        "tracker store: PostgreSQL database tthc_tracker on db.internal:6543",
        "lock store: Redis cache.internal:6380 db 2",
    )
    # The same settings give the same file; other settings another one.
    assert rasa_stores.endpoints_with_stores(env, BASE, tmp_path)[0] == path
    other, _ = rasa_stores.endpoints_with_stores({**env, "RASA_TRACKER_DB": "rasa_events"}, BASE, tmp_path)
    assert other != path and '  db: "rasa_events"' in other.read_text(encoding="utf-8").splitlines()


def test_each_store_alone(tmp_path: Path) -> None:
    only_db = rasa_stores.stores_for({"DATABASE_URL": "postgresql://postgres@127.0.0.1/test"})
    assert "tracker_store:" in only_db.yaml and "lock_store:" not in only_db.yaml
    assert "password" not in only_db.yaml
    only_redis = rasa_stores.stores_for({"REDIS_URL": "redis://127.0.0.1:6379"})
    assert "lock_store:" in only_redis.yaml and "tracker_store:" not in only_redis.yaml
    assert "  db: 0" in only_redis.yaml.splitlines()


def test_a_store_the_endpoints_file_already_has_is_left_as_it_is(tmp_path: Path) -> None:
    base = tmp_path / "endpoints.yml"
    base.write_text("lock_store:\n  type: in_memory\n", encoding="utf-8")
    env = {"DATABASE_URL": "postgresql://u@h/kb", "REDIS_URL": "redis://h:6379/1"}
    path, stores = rasa_stores.endpoints_with_stores(env, base, tmp_path / "out")
    assert path is not None
    assert path.read_text(encoding="utf-8").count("lock_store:") == 1
    assert stores.summary == ("tracker store: PostgreSQL database kb_tracker on h:5432",)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "postgresql://u@h:5432/"}, "names no database"),
        ({"DATABASE_URL": "postgresql://u@h/Mixed-Case"}, "RASA_TRACKER_DB"),
        ({"REDIS_URL": "unix:///run/redis.sock"}, "redis://"),
        ({"REDIS_URL": "redis://h:6379/zero"}, "must be a number"),
    ],
)
def test_settings_rasa_cannot_use_are_refused_clearly(env: dict[str, str], message: str) -> None:
    with pytest.raises(rasa_stores.StoreConfigError, match=message):
        rasa_stores.stores_for(env)


def test_serve_refuses_to_start_with_a_bad_redis_url() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nlu.engine", "serve"],
        cwd=engine.ROOT,
        env={**os.environ, "REDIS_URL": "redis://h:6379/zero"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "REDIS_URL's database must be a number" in result.stderr
