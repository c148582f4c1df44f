"""A notification to one person, and the kinds a person does not want by email."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.db import Base, enum_column, now_utc


class NotificationKind(enum.StrEnum):
    EVIDENCE_SUBMITTED = "evidence_submitted"
    EVIDENCE_DECIDED = "evidence_decided"
    REVIEW_TO_SIGN = "review_to_sign"
    OUTCOME = "outcome"
    ASSIGNED = "assigned"
    FEEDBACK_ANSWERED = "feedback_answered"

    @property
    def label(self) -> str:
        """What the kind is about, as the preferences page lists it."""
        return {
            "evidence_submitted": "Evidence submitted for you to review",
            "evidence_decided": "Your evidence accepted or returned",
            "review_to_sign": "A review waiting for your signature",
            "outcome": "An ASYE recommendation sent to the panel, and the panel's decision",
            "assigned": "An NQSW assigned to you",
            "feedback_answered": "Feedback you asked someone outside the academy for has arrived",
        }[self.value]


class Notification(Base):
    """One message to one person: what happened, in words, and where to act on it."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind))
    text: Mapped[str] = mapped_column(sa.String(500))
    link: Mapped[str] = mapped_column(sa.String(500), default="")  # a path within the site
    created_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    read_at: Mapped[datetime | None]
    # Email: pending from the commit that made the notification until a mail server takes it (emailed_at)
    # or it has been tried MAX_EMAIL_ATTEMPTS times; `flask academy send-mail` tries again.
    email_pending: Mapped[bool] = mapped_column(default=False, index=True)
    email_attempts: Mapped[int] = mapped_column(default=0)
    emailed_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship()


class EmailOptOut(Base):
    """A kind of notification one person has asked not to receive by email (the default is to email)."""

    __tablename__ = "notification_email_opt_out"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind))
