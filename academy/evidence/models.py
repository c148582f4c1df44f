"""The NQSW's portfolio: evidence entries, their links to elements, history, attachments, logs."""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.append_only import append_only
from academy.core.db import Base, TimestampMixin, enum_column, now_utc
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Participant


class EvidenceType(enum.StrEnum):
    DIRECT_OBSERVATION = "direct_observation"
    FEEDBACK_PERSON = "feedback_person_using_services"
    FEEDBACK_PROFESSIONAL = "feedback_professional"
    WRITTEN_REPORT = "written_report"
    CRITICAL_REFLECTION = "critical_reflection"
    SUPERVISION_NOTE = "supervision_note"
    LEARNING = "learning"
    SELF_ASSESSMENT = "self_assessment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "direct_observation": "Direct observation",
            "feedback_person_using_services": "Feedback from a person using services",
            "feedback_professional": "Feedback from a professional",
            "written_report": "Written report",
            "critical_reflection": "Critical reflection",
            "supervision_note": "Supervision note",
            "learning": "Learning or CPD activity",
            "self_assessment": "Self-assessment",
            "other": "Other",
        }[self.value]


class EvidenceStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class EvidenceEntry(TimestampMixin, Base):
    __tablename__ = "evidence_entry"
    __table_args__ = (
        sa.Index("ix_evidence_entry_participant_created", "participant_id", "created_at"),
        sa.Index("ix_evidence_entry_participant_status_submitted", "participant_id", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    type: Mapped[EvidenceType] = mapped_column(enum_column(EvidenceType), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    activity_date: Mapped[date]
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[EvidenceStatus] = mapped_column(
        enum_column(EvidenceStatus), default=EvidenceStatus.DRAFT, index=True
    )
    anonymised_confirmed: Mapped[bool] = mapped_column(default=False)
    # Who typed it: the NQSW, or an assessor entering an observation or feedback on their behalf.
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    # Type-specific fields.
    observer_name: Mapped[str | None] = mapped_column(sa.String(200))
    observer_is_registered: Mapped[bool | None]
    setting: Mapped[str | None] = mapped_column(sa.String(200))
    feedback_source: Mapped[str | None] = mapped_column(sa.String(60))
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    report_kind: Mapped[str | None] = mapped_column(sa.String(100))
    # Which milestone a critical reflection belongs to (e.g. "review_6m", "final_review").
    milestone_code: Mapped[str | None] = mapped_column(sa.String(40))
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    # The NQSW's reflection beside an entry someone else wrote (a direct observation, feedback).
    nqsw_reflection: Mapped[str] = mapped_column(sa.Text, default="")
    # Feedback given directly by someone outside the academy (issue 20): who they are to the NQSW, in words
    # ("a young person"), and whether it came on paper. Nobody edits such an entry; the NQSW reflects beside it.
    given_by: Mapped[str | None] = mapped_column(sa.String(100))
    given_on_paper: Mapped[bool] = mapped_column(default=False)
    # Optimistic locking (academy.core.locking): every UPDATE checks the version and moves it on.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    changed_at: Mapped[datetime | None] = mapped_column(onupdate=now_utc)
    __mapper_args__ = {"version_id_col": version}

    participant: Mapped[Participant] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    links: Mapped[list["EvidenceLink"]] = relationship(back_populates="entry", cascade="all, delete-orphan")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="entry", cascade="all, delete-orphan")
    history: Mapped[list["EvidenceEvent"]] = relationship(back_populates="entry", order_by="EvidenceEvent.id")


class EvidenceLink(Base):
    """Evidence entry -> framework element, with the NQSW's one-line reason."""

    __tablename__ = "evidence_link"
    __table_args__ = (sa.UniqueConstraint("entry_id", "element_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_entry.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")

    entry: Mapped[EvidenceEntry] = relationship(back_populates="links")
    element: Mapped[FrameworkElement] = relationship()


@append_only
class EvidenceEvent(Base):
    """Append-only history of an entry: every save, submission and decision, with a snapshot."""

    __tablename__ = "evidence_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_entry.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    entry: Mapped[EvidenceEntry] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class Attachment(TimestampMixin, Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_entry.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    entry: Mapped[EvidenceEntry] = relationship(back_populates="attachments")
