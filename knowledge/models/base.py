"""Declarative base of the knowledge base: naming convention, timestamps, NFC.

Every text the models store is NFC (the national data mixes composed letters
and combining marks in about one record in five). A ``before_insert`` /
``before_update`` hook normalises every string attribute, and every string
inside JSON attributes, of every model. The one exception is a column whose
``info`` carries ``keep_as_published``: the published record, stored exactly
as it came, for provenance.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, event, func
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ``info`` key of a column whose value is stored exactly as published.
KEEP_AS_PUBLISHED = "keep_as_published"


class Base(DeclarativeBase):
    """Base class of every model; its metadata is Alembic's target."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
    }


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


class TimestampMixin:
    """``created_at`` / ``updated_at``, set by the application and the database."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )


def to_nfc(value: Any) -> Any:
    """``value`` with every string in it (also inside lists and dicts) in NFC."""
    if isinstance(value, str):
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [to_nfc(item) for item in value]
    if isinstance(value, dict):
        return {to_nfc(key): to_nfc(item) for key, item in value.items()}
    return value


def _normalise_row(mapper: Mapper[Any], target: Any) -> None:
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.info.get(KEEP_AS_PUBLISHED):
            continue
        value = getattr(target, attr.key, None)
        if isinstance(value, str | list | dict):
            normalised = to_nfc(value)
            if normalised != value:
                setattr(target, attr.key, normalised)


@event.listens_for(Base, "before_insert", propagate=True)
def _nfc_before_insert(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    _normalise_row(mapper, target)


@event.listens_for(Base, "before_update", propagate=True)
def _nfc_before_update(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    _normalise_row(mapper, target)
