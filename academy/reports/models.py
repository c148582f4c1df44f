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


class StoredRecord(Base):
    """A participant's progression record, rendered once in the background and kept as a file.

    Downloads serve the file while `fingerprint` (a hash of everything the record shows) still matches
    the participant's data; when it no longer does, the next request issues a new record.
    """

    __tablename__ = "stored_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), unique=True)
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus), default=BatchStatus.QUEUED)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), default="")
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    issued_document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issued_document.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now_utc)
    progressed_at: Mapped[datetime | None] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(sa.Text, default="")

    issued_document: Mapped[IssuedDocument | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    # The progress page shares the batch page's script: one record to build.
    total = 1

    @property
    def done(self) -> int:
        return 1 if self.status == BatchStatus.DONE else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {BatchStatus.DONE, BatchStatus.FAILED}

    def is_stalled(self, now: datetime | None = None) -> bool:
        """Unfinished and silent for longer than any record takes: its worker has gone."""
        last = self.progressed_at or self.requested_at
        return not self.is_finished and (now or now_utc()) - last > STALLED_AFTER

    @property
    def percent(self) -> int:
        return 100 * self.done
