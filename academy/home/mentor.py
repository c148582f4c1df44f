"""What a mentor's or assessor's home page shows."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.cohorts.models import Assignment, Participant
from academy.core.dates import today
from academy.extensions import db


def current_assignments(user: User, on: date | None = None) -> list[Assignment]:
    """The user's assignments in force today, with their participants loaded."""
    on = on or today()
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .join(Assignment.participant)
            .options(
                joinedload(Assignment.participant).joinedload(Participant.user),
                joinedload(Assignment.participant).joinedload(Participant.cohort),
            )
            .where(
                Assignment.user_id == user.id,
                Assignment.starts_on <= on,
                sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
            )
            .order_by(Participant.start_date)
        )
    )


def mentor_home(user: User) -> dict[str, Any]:
    return {"assignments": current_assignments(user)}
