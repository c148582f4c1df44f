"""A funding scheme (its eligibility rules as data), each participant's funding details and their claims."""

import enum
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.db import Base, TimestampMixin, enum_column
from academy.participants.models import Participant


class FundingScheme(TimestampMixin, Base):
    """One DfE funding year. `rules` holds the eligibility rules and amounts (academy/funding/data)."""

    __tablename__ = "funding_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class FundingDetails(TimestampMixin, Base):
    """What eligibility needs that the enrolment does not hold: the qualification date, earlier funding."""

    __tablename__ = "funding_details"
    __table_args__ = (sa.UniqueConstraint("scheme_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_scheme.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    qualified_on: Mapped[date | None]
    funded_before: Mapped[bool] = mapped_column(default=False)

    participant: Mapped[Participant] = relationship()


class ClaimKind(enum.StrEnum):
    REGISTRATION = "registration"
    COMPLETION = "completion"

    @property
    def label(self) -> str:
        return {"registration": "Registration", "completion": "Completion"}[self.value]


class ClaimStatus(enum.StrEnum):
    CLAIMED = "claimed"
    PAID = "paid"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"claimed": "Claimed", "paid": "Paid", "refused": "Refused"}[self.value]


class FundingClaim(TimestampMixin, Base):
    """A registration or completion claim for one participant: when it was made, and what DfE decided."""

    __tablename__ = "funding_claim"
    __table_args__ = (sa.UniqueConstraint("scheme_id", "participant_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_scheme.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    kind: Mapped[ClaimKind] = mapped_column(enum_column(ClaimKind))
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus))
    amount_gbp: Mapped[int]
    claimed_on: Mapped[date]
    decided_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
