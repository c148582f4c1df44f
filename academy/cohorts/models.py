"""Cohorts, participants, dated staff assignments, milestones, pauses and status events."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.db import Base, TimestampMixin, enum_column
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
