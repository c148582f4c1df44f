"""What an NQSW's home page shows."""

from typing import Any

import sqlalchemy as sa

from academy.accounts.models import User
from academy.cohorts.models import Milestone, Participant
from academy.core.dates import today
from academy.extensions import db


def own_participation(user: User) -> Participant | None:
    """The NQSW's current enrolment (the most recent one if they were enrolled more than once)."""
    return db.session.scalar(
        sa.select(Participant).where(Participant.user_id == user.id).order_by(Participant.start_date.desc())
    )


def nqsw_home(user: User) -> dict[str, Any]:
    participant = own_participation(user)
    upcoming: list[Milestone] = []
    if participant is not None:
        upcoming = [m for m in participant.milestones if m.completed_on is None][:3]
    return {"participant": participant, "upcoming": upcoming, "today": today()}
