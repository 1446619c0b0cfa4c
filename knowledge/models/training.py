"""Questions staff taught the assistant, kept for the next retraining of the NLU.

A ``TrainingExample`` is a citizen's way of asking (from the inbox) with the
intent staff chose for it, and optionally the procedure it is about. The
training tool reads the examples whose ``used_in_model`` is empty, adds them
to the NLU data, and stamps them with the model they went into.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, utcnow


class TrainingExample(Base):
    """One example message with its intent, waiting for (or used in) a model."""

    __tablename__ = "training_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(64), index=True)
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    # The staff account's username at the time.
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    # The trained model the example went into; empty until the next retraining.
    used_in_model: Mapped[str | None] = mapped_column(String(255))

    def __repr__(self) -> str:
        return f"TrainingExample({self.id!r}, {self.intent!r})"
