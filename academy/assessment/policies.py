"""Who may judge an NQSW's work: rate, decide evidence, record and sign reviews, recommend, moderate.

docs/product.md section 1: the assessor rates in year 1; the assessor or a mentor in years 2-3; nobody
rates, signs or reviews their own record; an assignment that has ended gives no right to act.
"""

from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.assessment.models import Concern, Outcome, Rating, Review
from academy.core.dates import today
from academy.extensions import db
from academy.participants.models import Assignment, AssignmentKind, Milestone, Participant
from academy.participants.policies import (
    assigned_participant_ids,
    assignment_kinds,
    can_view_participant,
    is_own_record,
)

# Assignment kinds that may rate in each programme year (the same people review evidence: policies/evidence.py).
RATERS_BY_YEAR = {
    1: {AssignmentKind.ASSESSOR},
    2: {AssignmentKind.ASSESSOR, AssignmentKind.MENTOR},
    3: {AssignmentKind.ASSESSOR, AssignmentKind.MENTOR},
}
CONCERN_KINDS = {AssignmentKind.ASSESSOR, AssignmentKind.LINE_MANAGER}


def _acts_on(user: User, participant: Participant) -> bool:
    """Signed in, the participant is still on the programme, and it is not the user's own record."""
    return user.is_authenticated and participant.status.is_current and not is_own_record(user, participant)


def can_rate(user: User, participant: Participant, on: date | None = None) -> bool:
    """The current assessor in year 1; the current assessor or mentor in years 2 and 3."""
    if not _acts_on(user, participant):
        return False
    allowed = RATERS_BY_YEAR.get(participant.programme_year, set())
    return bool(assignment_kinds(user, participant, on) & allowed)


def is_current_assessor(user: User, participant: Participant, on: date | None = None) -> bool:
    return AssignmentKind.ASSESSOR in assignment_kinds(user, participant, on)


def can_record_review(user: User, participant: Participant, on: date | None = None) -> bool:
    """The assessor records each milestone review (docs/product.md section 9)."""
    return _acts_on(user, participant) and is_current_assessor(user, participant, on)


def can_sign_review_as_assessor(user: User, review: Review, on: date | None = None) -> bool:
    return can_record_review(user, review.participant, on)


def can_comment_on_review(user: User, review: Review) -> bool:
    """Only the NQSW whose review it is adds their comment and signs as the NQSW."""
    return is_own_record(user, review.participant)


def can_sign_review(user: User, review: Review) -> bool:
    """The NQSW whose review it is, and their current assessor."""
    return can_comment_on_review(user, review) or can_sign_review_as_assessor(user, review)


def can_recommend(user: User, participant: Participant, on: date | None = None) -> bool:
    """Only the current assessor recommends the ASYE outcome, in year 1 (a mentor never does)."""
    return participant.programme_year == 1 and can_record_review(user, participant, on)


def can_decide_outcome(user: User, outcome: Outcome) -> bool:
    """A coordinator who is neither the NQSW nor the person who made the recommendation."""
    return (
        can_manage_academy(user)
        and not is_own_record(user, outcome.participant)
        and outcome.recommended_by_id != user.id
    )


def can_view_concerns(user: User, participant: Participant, on: date | None = None) -> bool:
    """Concerns and action plans: the assessor, the line manager and coordinators, never the NQSW or a mentor."""
    if not user.is_authenticated or is_own_record(user, participant):
        return False
    return can_manage_academy(user) or bool(assignment_kinds(user, participant, on) & CONCERN_KINDS)


def can_raise_concern(user: User, participant: Participant, on: date | None = None) -> bool:
    """An assessor or line manager raises a concern and keeps its action plan up to date."""
    return _acts_on(user, participant) and bool(assignment_kinds(user, participant, on) & CONCERN_KINDS)


def can_view_review(user: User, review: Review) -> bool:
    """Everyone who may see the participant, and the assessor who signed this review."""
    if can_view_participant(user, review.participant):
        return True
    return user.is_authenticated and review.assessor_signed_by_id == user.id


def can_view_milestone_review(user: User, milestone: Milestone) -> bool:
    """The review page of a milestone: as for its review once recorded, else whoever may see the participant."""
    review = db.session.scalar(sa.select(Review).where(Review.milestone_id == milestone.id))
    return can_view_review(user, review) if review is not None else can_view_participant(user, milestone.participant)


def can_view_concern(user: User, concern: Concern) -> bool:
    """A concern is seen by those who see the participant's concerns."""
    return can_view_concerns(user, concern.participant)


def can_correct_rating(user: User, rating: Rating) -> bool:
    """Whoever may rate the participant now corrects one of the participant's ratings."""
    participant = db.session.get(Participant, rating.participant_id)
    return participant is not None and can_rate(user, participant)


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
