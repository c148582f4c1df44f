"""Participants: one NQSW in one cohort, with dated staff assignments, milestones, pauses and status events."""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.append_only import append_only
from academy.core.db import Base, TimestampMixin, enum_column, now_utc
from academy.programmes.models import MilestoneKind

if TYPE_CHECKING:  # only for the annotation; the relationship is by name
    from academy.cohorts.models import Cohort


class ParticipantStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    FAILED = "failed"  # a confirmed ASYE FAIL ends the programme
    LEFT = "left"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_current(self) -> bool:
        return self in {ParticipantStatus.ENROLLED, ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED}


class EmploymentType(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Participant(TimestampMixin, Base):
    """One NQSW enrolled in one cohort."""

    __tablename__ = "participant"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "cohort_id"),
        sa.CheckConstraint("fte >= 0.1 AND fte <= 1.0", name="fte_range"),
        sa.CheckConstraint("programme_year BETWEEN 1 AND 3", name="programme_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    start_date: Mapped[date]
    fte: Mapped[Decimal] = mapped_column(sa.Numeric(3, 2), default=Decimal("1.00"))
    team: Mapped[str] = mapped_column(sa.String(200), default="")
    swe_number: Mapped[str] = mapped_column(sa.String(20), default="")
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_column(EmploymentType), default=EmploymentType.PERMANENT
    )
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus), default=ParticipantStatus.ENROLLED, index=True
    )
    programme_year: Mapped[int] = mapped_column(default=1)
    ended_on: Mapped[date | None]
    # Optimistic locking (academy.core.locking): every UPDATE checks the version and moves it on.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    changed_at: Mapped[datetime | None] = mapped_column(onupdate=now_utc)
    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User] = relationship()
    cohort: Mapped["Cohort"] = relationship(back_populates="participants")
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="participant", order_by="Assignment.starts_on"
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="participant", order_by="Milestone.months_due", cascade="all, delete-orphan"
    )
    pauses: Mapped[list["Pause"]] = relationship(back_populates="participant", order_by="Pause.starts_on")
    status_events: Mapped[list["StatusEvent"]] = relationship(back_populates="participant", order_by="StatusEvent.id")

    @property
    def name(self) -> str:
        return self.user.name


class AssignmentKind(enum.StrEnum):
    ASSESSOR = "assessor"
    MENTOR = "mentor"
    LINE_MANAGER = "line_manager"

    @property
    def label(self) -> str:
        return {"assessor": "Assessor", "mentor": "Mentor", "line_manager": "Line manager"}[self.value]


class Assignment(TimestampMixin, Base):
    """A member of staff assigned to a participant in one capacity, from one date to another."""

    __tablename__ = "assignment"
    __table_args__ = (sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[AssignmentKind] = mapped_column(enum_column(AssignmentKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]  # last day of the assignment; None while current
    handover_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    participant: Mapped[Participant] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class Milestone(Base):
    """One participant's milestone, generated at enrolment from the cohort's settings."""

    __tablename__ = "milestone"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "code"),
        sa.Index("ix_milestone_due_completed", "due_date", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind))
    programme_year: Mapped[int]
    months_due: Mapped[int]
    is_optional: Mapped[bool] = mapped_column(default=False)
    needs_critical_reflection: Mapped[bool] = mapped_column(default=False)
    # None while an open-ended pause makes the date unknowable.
    due_date: Mapped[date | None] = mapped_column(index=True)
    completed_on: Mapped[date | None]

    participant: Mapped[Participant] = relationship(back_populates="milestones")

    def is_overdue(self, today: date) -> bool:
        """Past its due date and not done; an optional milestone left undone was skipped, never overdue."""
        if self.is_optional or self.completed_on is not None:
            return False
        return self.due_date is not None and self.due_date < today


class PauseReason(enum.StrEnum):
    SICKNESS = "sickness"
    PARENTAL_LEAVE = "parental_leave"
    BEREAVEMENT = "bereavement"
    INSUFFICIENT_SUPPORT = "insufficient_support"
    PART_TIME_CHANGE = "part_time_change"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Pause(TimestampMixin, Base):
    """A break in the programme. Never for capability: that is a concern with an action plan."""

    __tablename__ = "pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    reason: Mapped[PauseReason] = mapped_column(enum_column(PauseReason))
    starts_on: Mapped[date]
    expected_end: Mapped[date | None]
    ended_on: Mapped[date | None]  # the day they returned
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    participant: Mapped[Participant] = relationship(back_populates="pauses")


class LeavingDestination(enum.StrEnum):
    OTHER_LOCAL_AUTHORITY = "other_local_authority"
    AGENCY = "agency"
    LEFT_SOCIAL_WORK = "left_social_work"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "other_local_authority": "Another local authority",
            "agency": "Agency work",
            "left_social_work": "Left social work",
            "other": "Other",
            "unknown": "Unknown",
        }[self.value]


class StatusEventKind(enum.StrEnum):
    ENROLLED = "enrolled"
    ACTIVATED = "activated"
    PAUSED = "paused"
    RESUMED = "resumed"
    FTE_CHANGED = "fte_changed"
    YEAR_CHANGED = "year_changed"
    COMPLETED = "completed"
    FAILED = "failed"
    LEFT = "left"
    WITHDRAWN = "withdrawn"


@append_only
class StatusEvent(TimestampMixin, Base):
    """An append-only timeline entry: each change of a participant's status, year or FTE."""

    __tablename__ = "status_event"
    __table_args__ = (
        sa.Index("ix_status_event_participant_kind_on", "participant_id", "kind", "effective_on"),
        sa.Index("ix_status_event_participant_on", "participant_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    kind: Mapped[StatusEventKind] = mapped_column(enum_column(StatusEventKind), index=True)
    effective_on: Mapped[date] = mapped_column(index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(40))
    to_status: Mapped[str | None] = mapped_column(sa.String(40))
    fte: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 2))
    programme_year: Mapped[int | None]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    destination: Mapped[LeavingDestination | None] = mapped_column(enum_column(LeavingDestination))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    participant: Mapped[Participant] = relationship(back_populates="status_events")
    actor: Mapped[User | None] = relationship()
