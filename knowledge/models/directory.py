"""What staff fill in for their province: offices and frequent questions."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.models.base import Base, TimestampMixin
from knowledge.models.procedure import Procedure


class Agency(TimestampMixin, Base):
    """An office where citizens hand in dossiers or collect results."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    opening_hours: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(64))
    map_url: Mapped[str | None] = mapped_column(String(512))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"Agency({self.name!r})"


class Faq(TimestampMixin, Base):
    """A frequent question and its answer, optionally about one procedure."""

    __tablename__ = "faqs"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    procedure_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedures.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    procedure: Mapped[Procedure | None] = relationship()
