"""Rasa's tracker store and lock store for production, from ``DATABASE_URL`` and ``REDIS_URL``.

In development (SQLite, no ``REDIS_URL``) Rasa runs with the project's
``endpoints.yml`` alone: both stores in memory. When ``DATABASE_URL`` is
PostgreSQL, conversations go to Rasa's SQL tracker store in a database of
their own, ``<database>_tracker`` (or ``RASA_TRACKER_DB``), which Rasa creates
on first start through its ``login_db`` option (the user needs ``CREATEDB``,
or an administrator creates it first). When ``REDIS_URL`` is set, Rasa's
ticket locks go to Redis under the key prefix ``rasa:lock:``, apart from the
gateway's ``tthc:`` keys. Several Rasa servers can then serve one province.

The endpoints file written under ``var/`` holds no secret: passwords reach
Rasa as environment variables that it expands in endpoints files.
Standard library only: it runs under both interpreters.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

# Names of the variables that carry the passwords to Rasa (not passwords).
TRACKER_PASSWORD_VAR = "RASA_TRACKER_STORE_PASSWORD"  # noqa: S105
LOCK_PASSWORD_VAR = "RASA_LOCK_STORE_PASSWORD"  # noqa: S105
TRACKER_DB_VAR = "RASA_TRACKER_DB"
# Rasa's Redis keys become "rasa:lock:<sender>" (its prefix must be alphanumeric).
LOCK_KEY_PREFIX = "rasa"
# Rasa creates the tracker database with an unquoted CREATE DATABASE: a plain lower-case name.
_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class StoreConfigError(ValueError):
    """``DATABASE_URL`` or ``REDIS_URL`` cannot configure Rasa's stores."""


@dataclass(frozen=True)
class Stores:
    """The stores' part of an endpoints file, and what Rasa needs in its environment."""

    yaml: str = ""
    env: dict[str, str] = field(default_factory=dict)
    summary: tuple[str, ...] = ()


def _scalar(value: object) -> str:
    # JSON strings, numbers and booleans are valid YAML scalars.
    return json.dumps(value, ensure_ascii=False)


def _host(name: str) -> str:
    return f"[{name}]" if ":" in name else name


def tracker_store(database_url: str, tracker_db: str | None = None) -> Stores:
    """Rasa's SQL tracker store on the PostgreSQL of ``database_url``; nothing for SQLite."""
    parts = urlsplit(database_url)
    if parts.scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        return Stores()
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise StoreConfigError("DATABASE_URL names no database (postgresql://user@host:5432/DATABASE)")
    tracker = tracker_db or f"{database}_tracker".lower()
    if not _DATABASE_NAME.fullmatch(tracker):
        raise StoreConfigError(
            f"Rasa's tracker database {tracker!r} is not a plain lower-case name: "
            f"set {TRACKER_DB_VAR} to one (letters, digits, _; at most 63)"
        )
    lines = ["tracker_store:", "  type: SQL", "  dialect: postgresql"]
    if parts.hostname:
        lines += [f"  url: {_scalar(_host(parts.hostname))}", f"  port: {parts.port or 5432}"]
    lines += [f"  db: {_scalar(tracker)}", f"  login_db: {_scalar(database)}"]
    if parts.username:
        lines.append(f"  username: {_scalar(unquote(parts.username))}")
    env = {}
    if parts.password:
        lines.append(f"  password: ${{{TRACKER_PASSWORD_VAR}}}")
        env[TRACKER_PASSWORD_VAR] = unquote(parts.password)
    query = dict(parse_qsl(parts.query))
    if query:
        lines.append("  query:")
        lines += [f"    {_scalar(key)}: {_scalar(value)}" for key, value in sorted(query.items())]
    where = f"{parts.hostname}:{parts.port or 5432}" if parts.hostname else "the local socket"
    summary = f"tracker store: PostgreSQL database {tracker} on {where}"
    return Stores("\n".join(lines) + "\n", env, (summary,))


def lock_store(redis_url: str | None) -> Stores:
    """Rasa's Redis lock store on ``redis_url``; nothing when it is unset."""
    if not redis_url:
        return Stores()
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss"):
        raise StoreConfigError("REDIS_URL must be redis://[:password@]host[:port][/db] (or rediss://)")
    path = parts.path.strip("/")
    if path and not path.isdigit():
        raise StoreConfigError("REDIS_URL's database must be a number (redis://host:6379/0)")
    lines = [
        "lock_store:",
        "  type: redis",
        f"  url: {_scalar(parts.hostname or 'localhost')}",
        f"  port: {parts.port or 6379}",
        f"  db: {int(path or 0)}",
        f"  key_prefix: {_scalar(LOCK_KEY_PREFIX)}",
    ]
    if parts.scheme == "rediss":
        lines.append("  use_ssl: true")
    if parts.username:
        lines.append(f"  username: {_scalar(unquote(parts.username))}")
    env = {}
    if parts.password:
        lines.append(f"  password: ${{{LOCK_PASSWORD_VAR}}}")
        env[LOCK_PASSWORD_VAR] = unquote(parts.password)
    summary = f"lock store: Redis {parts.hostname or 'localhost'}:{parts.port or 6379} db {int(path or 0)}"
    return Stores("\n".join(lines) + "\n", env, (summary,))


def stores_for(env: Mapping[str, str]) -> Stores:
    """Both stores as ``env`` (``DATABASE_URL``, ``REDIS_URL``, ``RASA_TRACKER_DB``) asks."""
    tracker = tracker_store(env.get("DATABASE_URL", ""), env.get(TRACKER_DB_VAR) or None)
    lock = lock_store(env.get("REDIS_URL") or None)
    return Stores(tracker.yaml + lock.yaml, {**tracker.env, **lock.env}, tracker.summary + lock.summary)


def endpoints_with_stores(
    env: Mapping[str, str], base: Path | None, out_dir: Path
) -> tuple[Path | None, Stores]:
    """The endpoints file for a Rasa server started with ``env``, and its stores.

    Without production stores it is ``base`` itself. Otherwise a file under
    ``out_dir`` holds ``base`` plus the stores (a store ``base`` already
    configures is left as it is); its name follows its content, so servers
    with different settings never share one.
    """
    stores = stores_for(env)
    if not stores.yaml:
        return base, stores
    text = base.read_text(encoding="utf-8") if base is not None else ""
    for key in ("tracker_store", "lock_store"):
        if re.search(rf"^{key}:", text, re.MULTILINE):
            stores = Stores(
                _without_block(stores.yaml, key),
                stores.env,
                tuple(s for s in stores.summary if not s.startswith(key.replace("_", " "))),
            )
    content = text.rstrip("\n") + "\n" + stores.yaml if text else stores.yaml
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"endpoints-{hashlib.sha256(content.encode()).hexdigest()[:12]}.yml"
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        temporary = path.with_suffix(f".{id(content)}.tmp")
        temporary.write_text(content, encoding="utf-8")
        temporary.replace(path)
    return path, stores


def _without_block(yaml: str, key: str) -> str:
    kept: list[str] = []
    skipping = False
    for line in yaml.splitlines(keepends=True):
        if not line.startswith(" "):
            skipping = line.startswith(f"{key}:")
        if not skipping:
            kept.append(line)
    return "".join(kept)
