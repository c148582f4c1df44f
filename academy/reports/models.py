"""Issued documents: each progression record's reference and SHA-256, for later verification."""

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.cohorts.models import Cohort
from academy.core.db import Base, enum_column, now_utc


class IssuedDocument(Base):
    __tablename__ = "issued_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # progression_record, cohort_report
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    generated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    generated_at: Mapped[datetime]

    generated_by: Mapped[User | None] = relationship()


class BatchStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "In progress", "done": "Ready", "failed": "Failed"}[self.value]


# A record renders in seconds and an RQ job times out after ten minutes, so a batch that has built
# nothing for this long has lost its worker (a restarted server, a killed process), not slowed down.
STALLED_AFTER = timedelta(minutes=30)


class BatchJob(Base):
    """A ZIP of every progression record in a cohort, built in the background; progress lives here."""

    __tablename__ = "batch_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus), default=BatchStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # When the batch last started or built a record: how a stopped batch is told from a slow one.
    progressed_at: Mapped[datetime | None] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.status in {BatchStatus.DONE, BatchStatus.FAILED}

    @property
    def last_progress(self) -> datetime:
        return self.progressed_at or self.created_at

    def is_stalled(self, now: datetime | None = None) -> bool:
        """Unfinished and silent for longer than any record takes: its worker has gone."""
        return not self.is_finished and (now or now_utc()) - self.last_progress > STALLED_AFTER

    @property
    def state_label(self) -> str:
        return "Stopped" if self.is_stalled() else self.status.label

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.is_finished else 0)
