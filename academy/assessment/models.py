"""Assessor judgements: the append-only rating log, milestone reviews, ASYE outcomes, concerns."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.append_only import append_only
from academy.core.db import Base, TimestampMixin, enum_column, now_utc
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Milestone, Participant


@append_only
class Rating(Base):
    """One judgement of one element. Never updated: the current rating is the latest row."""

    __tablename__ = "rating"
    __table_args__ = (sa.Index("ix_rating_current", "participant_id", "element_id", "programme_year", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id"))
    programme_year: Mapped[int]
    value: Mapped[int]  # an index into the cohort's rating scale
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence_entry.id"))
    # Set when this row corrects an earlier one; a correction needs a reason.
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rating.id"))
    correction_reason: Mapped[str] = mapped_column(sa.Text, default="")
    rated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    rated_at: Mapped[datetime]

    element: Mapped[FrameworkElement] = relationship()
    rated_by: Mapped[User] = relationship()


class ReviewStatus(enum.StrEnum):
    """Where a review is in `due -> held -> signed`: signing is two steps, in either order (assessment/states.py)."""

    DUE = "due"
    HELD = "held"  # recorded, nobody has signed yet
    SIGNED_BY_ASSESSOR = "signed_by_assessor"  # waiting for the NQSW's signature
    SIGNED_BY_NQSW = "signed_by_nqsw"  # waiting for the assessor's signature
    SIGNED = "signed"  # by both: fixed for good


class Review(TimestampMixin, Base):
    """The record of one milestone's review meeting. Overdue is derived, never stored."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(sa.ForeignKey("milestone.id"), unique=True)
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.DUE)
    held_on: Mapped[date | None]
    attendees: Mapped[str] = mapped_column(sa.Text, default="")
    progress_summary: Mapped[str] = mapped_column(sa.Text, default="")
    on_track: Mapped[bool | None]
    actions: Mapped[str] = mapped_column(sa.Text, default="")
    interim_assessment: Mapped[str] = mapped_column(sa.Text, default="")
    # What happened to each action agreed at the previous review (asked when that review agreed any).
    previous_actions_progress: Mapped[str] = mapped_column(sa.Text, default="")
    nqsw_comment: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Who signed and when, for the record; who still has to sign follows from `status`.
    assessor_signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    assessor_signed_at: Mapped[datetime | None]
    nqsw_signed_at: Mapped[datetime | None]
    # Optimistic locking (academy.core.locking): every UPDATE checks the version and moves it on.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))
    changed_at: Mapped[datetime | None] = mapped_column(onupdate=now_utc)
    __mapper_args__ = {"version_id_col": version}

    participant: Mapped[Participant] = relationship()
    milestone: Mapped[Milestone] = relationship()


class Recommendation(enum.StrEnum):
    PASS = "pass"  # the PASS recommendation, not a password  # nosec B105
    FAIL = "fail"


class OutcomeStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFERRED_BACK = "referred_back"


class Outcome(TimestampMixin, Base):
    """The assessor's ASYE recommendation and the moderation panel's decision on it."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    recommendation: Mapped[Recommendation] = mapped_column(enum_column(Recommendation))
    narrative: Mapped[str] = mapped_column(sa.Text, default="")  # the holistic summary against the framework
    # A FAIL without a concern and action plan recorded at least one review earlier says why.
    no_concern_reason: Mapped[str] = mapped_column(sa.Text, default="")
    recommended_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    recommended_at: Mapped[datetime]
    status: Mapped[OutcomeStatus] = mapped_column(enum_column(OutcomeStatus), default=OutcomeStatus.PENDING)
    panel_date: Mapped[date | None]
    panel_chair_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    panel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    panel_members: Mapped[str] = mapped_column(sa.Text, default="")  # who sat on the panel, as recorded
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]

    participant: Mapped[Participant] = relationship()
    recommended_by: Mapped[User] = relationship(foreign_keys=[recommended_by_id])
    panel_chair: Mapped[User | None] = relationship(foreign_keys=[panel_chair_id])


class Concern(TimestampMixin, Base):
    """A progress or capability concern with its action plan (restricted: not for mentors or the NQSW)."""

    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    raised_on: Mapped[date]
    category: Mapped[str] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text)
    action_plan: Mapped[str] = mapped_column(sa.Text, default="")
    review_on: Mapped[date | None]
    closed_on: Mapped[date | None]

    participant: Mapped[Participant] = relationship()
    raised_by: Mapped[User] = relationship()


class ReminderLog(Base):
    """One reminder sent to one person on one day, so `academy remind` never repeats itself that day."""

    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(120))
    sent_on: Mapped[date]
