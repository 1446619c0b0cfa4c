"""Aliases: the names people use for procedures ("sổ đỏ", "làm căn cước").

An alias is matched by its normalised form (``nlu.textnorm.normalize``:
folded, abbreviations expanded), so "cccd" and "căn cước công dân" are one
alias. The curated seed is ``knowledge/data/aliases.yml``; staff add and
remove aliases with ``python -m knowledge alias ...``. A seed alias staff
removed is only deactivated, so that the next seeding does not bring it back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.models import Alias, AliasOrigin, Procedure
from knowledge.models.base import utcnow
from knowledge.sources import ALIASES_FILE
from nlu.textnorm import nfc, normalize

logger = logging.getLogger(__name__)


@dataclass
class SeedResult:
    """What seeding the aliases did."""

    aliases: int = 0
    created: int = 0
    links_added: int = 0
    kept_removed: int = 0
    missing_codes: dict[str, list[str]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


def load_seed(path: Path = ALIASES_FILE) -> dict[str, list[str]]:
    """The seed file as ``{alias text: [codes]}``; aliases with the same
    normalised form are merged (their codes joined)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping alias -> [codes]")
    merged: dict[str, tuple[str, list[str]]] = {}
    for raw_text, codes in data.items():
        text = nfc(str(raw_text)).strip()
        values = [codes] if isinstance(codes, str) else list(codes or [])
        key = normalize(text)
        if key in merged:
            _, known = merged[key]
            known.extend(str(code) for code in values if str(code) not in known)
        else:
            merged[key] = (text, [str(code) for code in values])
    return {text: codes for text, codes in merged.values()}


def _touch(alias: Alias) -> None:
    """Mark the alias changed when only its links change (readers watch ``updated_at``)."""
    alias.updated_at = utcnow()


def find(session: Session, text: str) -> Alias | None:
    """The alias whose normalised form is that of ``text``."""
    return session.scalar(
        select(Alias).where(Alias.normalized == normalize(text)).options(selectinload(Alias.procedures))
    )


def _procedures(session: Session, codes: list[str]) -> tuple[list[Procedure], list[str]]:
    found = list(session.scalars(select(Procedure).where(Procedure.code.in_(codes))))
    known = {p.code for p in found}
    return sorted(found, key=lambda p: codes.index(p.code)), [c for c in codes if c not in known]


def add(session: Session, text: str, codes: list[str], origin: AliasOrigin = AliasOrigin.STAFF) -> Alias:
    """Create the alias (or reactivate it) and link it to ``codes``.

    Raises ``LookupError`` naming the codes that do not exist.
    """
    text = nfc(text).strip()
    if not text:
        raise ValueError("empty alias")
    procedures, missing = _procedures(session, codes)
    if missing:
        raise LookupError(", ".join(missing))
    alias = find(session, text)
    if alias is None:
        alias = Alias(text=text, normalized=normalize(text), origin=origin.value, is_active=True)
        session.add(alias)
    alias.is_active = True
    for procedure in procedures:
        if procedure not in alias.procedures:
            alias.procedures.append(procedure)
            _touch(alias)
    session.flush()
    return alias


def remove(session: Session, text: str, codes: list[str] | None = None) -> bool:
    """Unlink ``codes`` from the alias, or remove it entirely; False if unknown.

    A seed alias is deactivated rather than deleted (re-seeding keeps it off).
    """
    alias = find(session, text)
    if alias is None:
        return False
    if codes:
        alias.procedures = [p for p in alias.procedures if p.code not in codes]
        _touch(alias)
        if alias.procedures:
            session.flush()
            return True
    if alias.origin == AliasOrigin.SEED.value:
        alias.is_active = False
        alias.procedures = []
    else:
        session.delete(alias)
    session.flush()
    return True


def list_aliases(session: Session, code: str | None = None, include_inactive: bool = False) -> list[Alias]:
    """Aliases (of one procedure if ``code``), sorted by text."""
    statement = select(Alias).options(selectinload(Alias.procedures)).order_by(Alias.normalized)
    if code:
        statement = statement.where(Alias.procedures.any(Procedure.code == code))
    if not include_inactive:
        statement = statement.where(Alias.is_active.is_(True))
    return list(session.scalars(statement))


def seed(session: Session, path: Path = ALIASES_FILE) -> SeedResult:
    """Load the curated aliases (idempotent; aliases staff removed stay removed)."""
    result = SeedResult()
    for text, codes in load_seed(path).items():
        result.aliases += 1
        procedures, missing = _procedures(session, codes)
        if missing:
            result.missing_codes[text] = missing
        alias = find(session, text)
        if alias is None:
            alias = Alias(
                text=text, normalized=normalize(text), origin=AliasOrigin.SEED.value, is_active=True
            )
            session.add(alias)
            result.created += 1
        elif not alias.is_active:
            result.kept_removed += 1
            continue
        for procedure in procedures:
            if procedure not in alias.procedures:
                alias.procedures.append(procedure)
                _touch(alias)
                result.links_added += 1
    session.flush()
    if result.missing_codes:
        logger.warning(
            "Seed aliases name %s unknown procedure codes", sum(map(len, result.missing_codes.values()))
        )
    return result
