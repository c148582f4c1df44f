"""Programmes: templates a cohort copies (milestones, minimum evidence, entitlements, rating scale)."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.db import Base, TimestampMixin, enum_column, now_utc


class ServiceArea(enum.StrEnum):
    CHILD_FAMILY = "child_family"
    ADULTS = "adults"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"child_family": "Children and families", "adults": "Adults", "all": "All"}[self.value]


class MilestoneKind(enum.StrEnum):
    AGREEMENT = "agreement"
    REVIEW = "review"
    FINAL_REVIEW = "final_review"
    PANEL = "panel"
    END_OF_PROGRAMME = "end_of_programme"


class Programme(TimestampMixin, Base):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    service_area: Mapped[ServiceArea] = mapped_column(enum_column(ServiceArea))
    length_years: Mapped[int] = mapped_column(default=3)
    is_default: Mapped[bool] = mapped_column(default=False)
    # Minimum evidence, supervision schedule, protected-time share, caseload target, rating scale:
    # see academy.programmes.settings for the shape and the defaults.
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Optimistic locking (academy.core.locking): every UPDATE checks the version and moves it on.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    changed_at: Mapped[datetime | None] = mapped_column(onupdate=now_utc)
    __mapper_args__ = {"version_id_col": version}

    milestones: Mapped[list["MilestoneTemplate"]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="MilestoneTemplate.months_due",
    )


class MilestoneTemplate(Base):
    __tablename__ = "milestone_template"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind))
    programme_year: Mapped[int]
    months_due: Mapped[int]
    is_optional: Mapped[bool] = mapped_column(default=False)
    needs_critical_reflection: Mapped[bool] = mapped_column(default=False)

    programme: Mapped[Programme] = relationship(back_populates="milestones")
