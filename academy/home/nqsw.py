"""What an NQSW's home page shows: milestones, evidence progress, entitlements, returned entries."""

from typing import Any

import sqlalchemy as sa

from academy.accounts.models import User
from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.evidence.progress import evidence_progress, unevidenced_elements
from academy.extensions import db
from academy.logs.calculations import protected_time_summary, supervision_summary
from academy.participants.models import Milestone, Participant


def own_participation(user: User) -> Participant | None:
    """The NQSW's current enrolment (the most recent one if they were enrolled more than once)."""
    return db.session.scalar(
        sa.select(Participant).where(Participant.user_id == user.id).order_by(Participant.start_date.desc())
    )


def nqsw_home(user: User) -> dict[str, Any]:
    participant = own_participation(user)
    context: dict[str, Any] = {"participant": participant, "upcoming": [], "today": today()}
    if participant is None:
        return context
    upcoming: list[Milestone] = [m for m in participant.milestones if m.completed_on is None][:3]
    returned = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(EvidenceEntry.participant_id == participant.id, EvidenceEntry.status == EvidenceStatus.RETURNED)
        .order_by(EvidenceEntry.decided_at)
    ).all()
    context.update(
        upcoming=upcoming,
        progress=evidence_progress(participant),
        unevidenced=unevidenced_elements(participant),
        protected_time=protected_time_summary(participant),
        supervision=supervision_summary(participant),
        returned=returned,
        share_percent=round(float(participant.cohort.settings.get("protected_time_share", 0.10)) * 100),
    )
    return context
