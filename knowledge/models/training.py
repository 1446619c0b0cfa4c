"""Questions staff taught the assistant, kept for the next retraining of the NLU.

A ``TrainingExample`` is a citizen's way of asking (from the inbox) with the
intent staff chose for it, and optionally the procedure it is about. The
training tool reads the examples whose ``used_in_model`` is empty, adds them
to the NLU data, and stamps them with the model they went into.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text, func
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


class TrainingStage(StrEnum):
    """Where a retraining stands; ``FINISHED`` whatever its outcome."""

    QUEUED = "queued"
    BUILDING = "building"
    TRAINING = "training"
    EVALUATING = "evaluating"
    LOADING = "loading"
    FINISHED = "finished"


class TrainingOutcome(StrEnum):
    """How a finished retraining ended."""

    LOADED = "loaded"  # evaluated, then loaded into the running Rasa server
    REFUSED = "refused"  # worse than the running model beyond the margin
    FAILED = "failed"  # an error; the message says which


class TrainingRun(Base):
    """One "Huấn luyện lại" from the console: data, training, evaluation, loading.

    A loaded run keeps its model file for rollback until newer ones push it
    out (``model_removed``); ``is_serving`` marks the one the Rasa server was
    last told to serve from the console.
    """

    __tablename__ = "training_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str] = mapped_column(String(16), default=TrainingStage.QUEUED.value)
    outcome: Mapped[str | None] = mapped_column(String(16))
    # The background process doing the work, while it runs.
    pid: Mapped[int | None] = mapped_column(Integer)
    log_file: Mapped[str] = mapped_column(String(512), default="")
    model_file: Mapped[str | None] = mapped_column(String(512))
    model_removed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_serving: Mapped[bool] = mapped_column(Boolean, default=False)
    examples_total: Mapped[int] = mapped_column(Integer, default=0)
    examples_new: Mapped[int] = mapped_column(Integer, default=0)
    candidate_accuracy: Mapped[float | None] = mapped_column(Float)
    candidate_macro_f1: Mapped[float | None] = mapped_column(Float)
    serving_accuracy: Mapped[float | None] = mapped_column(Float)
    serving_macro_f1: Mapped[float | None] = mapped_column(Float)
    # For staff, in Vietnamese: why it was refused or failed, or what was loaded.
    message: Mapped[str | None] = mapped_column(Text)

    @property
    def is_running(self) -> bool:
        return self.stage != TrainingStage.FINISHED

    def __repr__(self) -> str:
        return f"TrainingRun({self.id!r}, {self.stage!r}, {self.outcome!r})"
