"""Issued documents: each progression record's reference and SHA-256, for later verification."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.core.db import Base


class IssuedDocument(Base):
    __tablename__ = "issued_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # progression_record, cohort_report
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int]
    generated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    generated_at: Mapped[datetime]

    generated_by: Mapped[User | None] = relationship()
