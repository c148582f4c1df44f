"""What the coordinator's home page shows."""

from typing import Any

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.models import AuditEvent
from academy.cohorts.models import Cohort, Participant, ParticipantStatus
from academy.extensions import db


def cohort_status_counts() -> dict[int, dict[ParticipantStatus, int]]:
    """Participants per cohort and status, in one grouped query."""
    rows = db.session.execute(
        sa.select(Participant.cohort_id, Participant.status, sa.func.count(Participant.id)).group_by(
            Participant.cohort_id, Participant.status
        )
    )
    counts: dict[int, dict[ParticipantStatus, int]] = {}
    for cohort_id, status, n in rows:
        counts.setdefault(cohort_id, {})[status] = n
    return counts


def coordinator_home(user: User) -> dict[str, Any]:
    cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())).all()
    recent = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(10)).all()
    return {"cohorts": cohorts, "counts": cohort_status_counts(), "recent_activity": recent}
