"""Versioned competency frameworks (KSS, PCF, SWE standards), their elements and mappings."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.db import Base, TimestampMixin, enum_column
from academy.programmes.models import ServiceArea


class Framework(TimestampMixin, Base):
    __tablename__ = "framework"
    __table_args__ = (sa.UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    publisher: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[str] = mapped_column(sa.String(40))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    service_area: Mapped[ServiceArea] = mapped_column(enum_column(ServiceArea))
    source: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # The version this one was edited from, when it was made by editing a frozen framework.
    previous_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("framework.id"))

    elements: Mapped[list["FrameworkElement"]] = relationship(
        back_populates="framework",
        cascade="all, delete-orphan",
        order_by="FrameworkElement.sort_order",
    )
    previous_version: Mapped["Framework | None"] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        return f"{self.name} ({self.version})"


class FrameworkElement(Base):
    """A domain, statement or indicator of a framework."""

    __tablename__ = "framework_element"
    __table_args__ = (sa.UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(sa.ForeignKey("framework.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("framework_element.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # PCF levels: "asye" in year 1, "social_worker" in years 2-3; None where a framework has no levels.
    level: Mapped[str | None] = mapped_column(sa.String(40))
    sort_order: Mapped[int] = mapped_column(default=0)

    framework: Mapped[Framework] = relationship(back_populates="elements")
    parent: Mapped["FrameworkElement | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["FrameworkElement"]] = relationship(
        back_populates="parent", order_by="FrameworkElement.sort_order"
    )

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


class MappingKind(enum.StrEnum):
    CROSS = "cross"  # between two frameworks in use together (KSS statement -> PCF domain)
    VERSION = "version"  # old version's element -> new version's element


class ElementMapping(TimestampMixin, Base):
    __tablename__ = "element_mapping"
    __table_args__ = (sa.UniqueConstraint("from_element_id", "to_element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MappingKind] = mapped_column(enum_column(MappingKind))
    from_element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id", ondelete="CASCADE"))
    to_element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    from_element: Mapped[FrameworkElement] = relationship(foreign_keys=[from_element_id])
    to_element: Mapped[FrameworkElement] = relationship(foreign_keys=[to_element_id])


class CohortFramework(Base):
    """A framework version a cohort is assessed against, fixed when the cohort is created."""

    __tablename__ = "cohort_framework"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    framework_id: Mapped[int] = mapped_column(sa.ForeignKey("framework.id"), primary_key=True, index=True)
    added_at: Mapped[datetime | None]

    framework: Mapped[Framework] = relationship()
