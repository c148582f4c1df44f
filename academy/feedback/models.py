"""Requests for feedback from people outside the academy, their links, and the counters that limit them.

A request's link is a random token of which only the hash is stored (as for set-password links). The
answer is not kept here: it becomes an evidence entry (`entry_id`), which is the record.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.db import Base, TimestampMixin, enum_column
from academy.evidence.models import EvidenceEntry, EvidenceType
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Participant


class Relationship(enum.StrEnum):
    """Who the person asked is to the NQSW; it decides the form they see and the evidence type."""

    PROFESSIONAL = "professional"
    OBSERVER = "observer"
    PARENT_CARER = "parent_carer"
    ADULT = "adult"
    YOUNG_PERSON = "young_person"
    CHILD = "child"

    @property
    def label(self) -> str:
        return {
            "professional": "A professional in another agency",
            "observer": "A practice observer",
            "parent_carer": "A parent or carer",
            "adult": "An adult who uses services",
            "young_person": "A young person",
            "child": "A child",
        }[self.value]

    @property
    def words(self) -> str:
        """As it reads in a sentence: "given directly by a young person"."""
        return self.label[0].lower() + self.label[1:]

    @property
    def evidence_type(self) -> EvidenceType:
        if self == Relationship.OBSERVER:
            return EvidenceType.DIRECT_OBSERVATION
        if self == Relationship.PROFESSIONAL:
            return EvidenceType.FEEDBACK_PROFESSIONAL
        return EvidenceType.FEEDBACK_PERSON

    @property
    def is_young(self) -> bool:
        """Children and young people get the simpler form with a picture scale."""
        return self in {Relationship.CHILD, Relationship.YOUNG_PERSON}


class RequestState(enum.StrEnum):
    SENT = "sent"
    OPENED = "opened"
    ANSWERED = "answered"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    ON_PAPER = "on_paper"  # a printed form to hand over: no link, answered by uploading the paper

    @property
    def label(self) -> str:
        return {
            "sent": "Sent",
            "opened": "Opened",
            "answered": "Answered",
            "expired": "Expired",
            "withdrawn": "Withdrawn",
            "on_paper": "Printed form",
        }[self.value]


# A link works only in these states (and before it expires).
OPEN_STATES = frozenset({RequestState.SENT, RequestState.OPENED})


class FeedbackRequest(TimestampMixin, Base):
    __tablename__ = "feedback_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    relationship_kind: Mapped[Relationship] = mapped_column(enum_column(Relationship))
    recipient_name: Mapped[str] = mapped_column(sa.String(200))
    # None for a printed form handed over in person.
    recipient_email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    about: Mapped[str] = mapped_column(sa.String(300))  # the visit or piece of work
    activity_date: Mapped[date]
    message: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[RequestState] = mapped_column(enum_column(RequestState), index=True)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]  # handed to a mail server (None: not emailed)
    times_sent: Mapped[int] = mapped_column(default=0)
    reminded_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    consented_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence_entry.id"))

    participant: Mapped[Participant] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    entry: Mapped[EvidenceEntry | None] = relationship()
    elements: Mapped[list[FrameworkElement]] = relationship(
        secondary="feedback_request_element", order_by="FrameworkElement.sort_order"
    )

    @property
    def evidence_type(self) -> EvidenceType:
        return self.relationship_kind.evidence_type


class FeedbackRequestElement(Base):
    """The framework elements the NQSW asks the person to speak to."""

    __tablename__ = "feedback_request_element"

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_request.id", ondelete="CASCADE"), primary_key=True)
    element_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_element.id"), primary_key=True)


class FeedbackHit(Base):
    """One visit to a public feedback page, counted to limit visits per link and per address."""

    __tablename__ = "feedback_hit"
    __table_args__ = (sa.Index("ix_feedback_hit_remote_addr_at", "remote_addr", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a token that matches no request (someone guessing).
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("feedback_request.id", ondelete="CASCADE"), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(index=True)


class FeedbackSettings(Base):
    """The academy's one row of settings: whether outside feedback is on, and who may be asked."""

    __tablename__ = "feedback_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Relationship values that may be asked; every one by default.
    allowed: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: [r.value for r in Relationship])
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
