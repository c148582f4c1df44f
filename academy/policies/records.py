"""What a past assignee keeps: read access to the records they signed, nothing newer (product.md section 1).

A former assessor, mentor or line manager may still read the evidence entries they accepted, the reviews
they signed and the ratings they gave, but nothing else of the participant: no portfolio, no drafts, no
newer entries or reviews, no concerns, and never a change.
"""

from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Rating, Review
from academy.cohorts.models import Assignment, Participant
from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.extensions import db
from academy.policies.participants import assigned_participant_ids, can_view_participant


def signed_entry(user: User, entry: EvidenceEntry) -> bool:
    """The user accepted this entry (accepted entries never change, so nothing in it is newer)."""
    return user.is_authenticated and entry.status == EvidenceStatus.ACCEPTED and entry.decided_by_id == user.id


def can_view_review(user: User, review: Review) -> bool:
    """Everyone who may see the participant, and the assessor who signed this review."""
    if can_view_participant(user, review.participant):
        return True
    return user.is_authenticated and review.assessor_signed_by_id == user.id


def can_view_rating(user: User, rating: Rating) -> bool:
    """Everyone who may see the participant (looked up by id), and the person who gave this rating."""
    if user.is_authenticated and rating.rated_by_id == user.id:
        return True
    participant = db.session.get(Participant, rating.participant_id)
    return participant is not None and can_view_participant(user, participant)


def former_participant_ids(user: User, on: date | None = None) -> sa.Select:
    """A SELECT of the participants the user was assigned to once but is not assigned to on `on`."""
    on = on or today()
    return sa.select(Assignment.participant_id).where(
        Assignment.user_id == user.id,
        Assignment.ends_on < on,
        Assignment.participant_id.not_in(assigned_participant_ids(user, on)),
    )
