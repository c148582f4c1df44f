"""Cohorts, participants, dated staff assignments, milestones, pauses and status events."""

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.db import Base, TimestampMixin, enum_column, now_utc
from academy.frameworks.models import CohortFramework, Framework
from academy.programmes.models import Programme, ServiceArea

if TYPE_CHECKING:  # only for the annotation; the relationship is by name
    from academy.participants.models import Participant


class CohortStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class Cohort(TimestampMixin, Base):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    start_date: Mapped[date]
    service_area: Mapped[ServiceArea] = mapped_column(enum_column(ServiceArea))
    status: Mapped[CohortStatus] = mapped_column(enum_column(CohortStatus), default=CohortStatus.ACTIVE)
    # A copy of the programme's settings and milestones at creation: later programme edits never
    # rewrite an existing cohort's history.
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    programme: Mapped[Programme] = relationship()
    framework_links: Mapped[list[CohortFramework]] = relationship(cascade="all, delete-orphan")
    participants: Mapped[list["Participant"]] = relationship(back_populates="cohort")

    @property
    def frameworks(self) -> list:
        return [link.framework for link in self.framework_links]


class FrameworkMove(Base):
    """A cohort moved from one framework version to another, with the records the move copied.

    Ratings carried over are new rows (the rating log is append-only); evidence links and self-assessments
    carried over are listed so that undoing the move removes exactly those. A move can be undone until the
    next rating is recorded for anyone in the cohort (a rating row newer than `last_rating_id`).
    """

    __tablename__ = "framework_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    from_framework_id: Mapped[int] = mapped_column(sa.ForeignKey("framework.id"))
    to_framework_id: Mapped[int] = mapped_column(sa.ForeignKey("framework.id"))
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    moved_at: Mapped[datetime]
    last_rating_id: Mapped[int | None]
    # {"ratings": [ids], "links": [ids], "self_assessments": [ids]}
    carried: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    cohort: Mapped[Cohort] = relationship()
    from_framework: Mapped[Framework] = relationship(foreign_keys=[from_framework_id])
    to_framework: Mapped[Framework] = relationship(foreign_keys=[to_framework_id])


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "In progress", "done": "Done", "failed": "Failed"}[self.value]


# The largest import (IMPORT_MAX_ROWS) is written in a minute or two and an RQ job times out after ten,
# so an import unfinished and silent for this long has lost its worker (a restarted server), not slowed.
IMPORT_STALLED_AFTER = timedelta(minutes=15)


class ImportJob(Base):
    """A confirmed cohort import large enough to be written in the background; its page follows it here.

    `pending_id` (the waiting upload's id, cohorts/pending.py) is unique: confirming the same upload twice
    finds this job instead of enrolling everyone again.
    """

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    pending_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")  # in words, shown on the job's page
    # What became of the invitations: {"sent": n, "outbox": n, "failed": n, "reason": "..."} once sent.
    emails: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    progressed_at: Mapped[datetime | None] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def last_progress(self) -> datetime:
        return self.progressed_at or self.created_at

    def is_stalled(self, now: datetime | None = None) -> bool:
        """Unfinished and silent for longer than any import takes: its worker has gone."""
        return not self.is_finished and (now or now_utc()) - self.last_progress > IMPORT_STALLED_AFTER

    @property
    def state_label(self) -> str:
        return "Stopped" if self.is_stalled() else self.status.label

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.is_finished else 0)
