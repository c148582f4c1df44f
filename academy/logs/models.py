"""Logs kept per participant beside the portfolio: self-assessment, supervision, protected time and caseload."""

import enum
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.db import Base, TimestampMixin, enum_column
from academy.frameworks.models import FrameworkElement


class SelfAssessmentPoint(enum.StrEnum):
    START = "start"
    MIDDLE = "middle"
    END = "end"
    YEAR2 = "year2"
    YEAR3 = "year3"


class SelfAssessment(TimestampMixin, Base):
    """The NQSW's own rating of an element. Kept apart from assessor ratings, never mixed in."""

    __tablename__ = "self_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id"))
    point: Mapped[SelfAssessmentPoint] = mapped_column(enum_column(SelfAssessmentPoint))
    value: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    element: Mapped[FrameworkElement] = relationship()


class SupervisionSession(TimestampMixin, Base):
    __tablename__ = "supervision_session"
    __table_args__ = (sa.Index("ix_supervision_session_participant_held", "participant_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    supervisor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(sa.String(40), default="reflective")
    was_held: Mapped[bool] = mapped_column(default=True)  # False: planned but cancelled
    duration_minutes: Mapped[int | None]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])


class ProtectedTimeLog(TimestampMixin, Base):
    __tablename__ = "protected_time_log"
    __table_args__ = (sa.Index("ix_protected_time_log_participant_taken", "participant_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    taken_on: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    activity: Mapped[str] = mapped_column(sa.String(300))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))


class CaseloadSnapshot(TimestampMixin, Base):
    __tablename__ = "caseload_snapshot"
    __table_args__ = (sa.Index("ix_caseload_snapshot_participant_taken", "participant_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    taken_on: Mapped[date] = mapped_column(index=True)
    cases: Mapped[int]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
