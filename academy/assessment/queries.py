"""Loading assessment records for views (each 404s when missing; `requires` then asks the rule), and
what the review page offers the signed-in user."""

from dataclasses import dataclass

from flask import abort

from academy.accounts.models import User
from academy.assessment.models import Concern, Outcome, Rating, Review, ReviewStatus
from academy.assessment.policies import can_comment_on_review, can_record_review
from academy.assessment.services import reviews as review_services
from academy.assessment.states import REVIEW_LIFECYCLE
from academy.core.web import get_or_404
from academy.evidence.models import EvidenceEntry
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.participants.models import Milestone, Participant
from academy.participants.queries import load_participant


def milestone_of(participant: Participant, milestone_id: int) -> Milestone:
    """One of the participant's review milestones, or 404."""
    milestone = get_or_404(Milestone, milestone_id)
    if milestone.participant_id != participant.id or milestone.kind not in review_services.REVIEW_KINDS:
        abort(404)
    return milestone


def load_review_milestone(participant_id: int, milestone_id: int) -> Milestone:
    """The participant's review milestone (recorded or not), or 404."""
    return milestone_of(load_participant(participant_id), milestone_id)


def load_review(participant_id: int, milestone_id: int) -> Review:
    """The recorded review of the participant's milestone, or 404."""
    review = review_services.review_for(load_review_milestone(participant_id, milestone_id))
    if review is None:
        abort(404)
    return review


def element_of(participant: Participant, element_id: int) -> FrameworkElement:
    """An element of one of the frameworks the participant's cohort uses, or 404."""
    element = get_or_404(FrameworkElement, element_id)
    if element.framework not in participant.cohort.frameworks:
        abort(404)
    return element


def load_rating(rating_id: int) -> Rating:
    """The rating with this id, or 404."""
    return get_or_404(Rating, rating_id)


def load_outcome(outcome_id: int) -> Outcome:
    """The recommendation with this id, or 404."""
    return get_or_404(Outcome, outcome_id)


def load_concern(concern_id: int) -> Concern:
    """The concern with this id, or 404."""
    return get_or_404(Concern, concern_id)


def load_entry_for_review(entry_id: int) -> EvidenceEntry:
    """The evidence entry with this id, or 404 (the rule decides whether it awaits this user's decision)."""
    return get_or_404(EvidenceEntry, entry_id)


@dataclass(frozen=True)
class ReviewPage:
    """What the review page shows `user`: the review so far and which of its forms they may use."""

    review: Review | None
    state: str  # "due", "overdue", "held" or "signed"
    may_record: bool  # the assessor records it, or changes it until someone signs
    may_comment: bool  # the NQSW comments until they sign
    may_sign: bool
    signed_by: User | None  # the assessor who signed it


def review_page_state(milestone: Milestone, user: User) -> ReviewPage:
    """The review of `milestone` and what `user` may do with it now."""
    participant = milestone.participant
    review = review_services.review_for(milestone)
    is_assessor = can_record_review(user, participant)
    if review is None:
        return ReviewPage(
            review=None,
            state=review_services.review_state(milestone, None),
            may_record=is_assessor,
            may_comment=False,
            may_sign=False,
            signed_by=None,
        )
    # A held review can still be edited; once anyone has signed it, only the other signature remains.
    unsigned = review.status == ReviewStatus.HELD
    is_nqsw = can_comment_on_review(user, review)
    return ReviewPage(
        review=review,
        state=review_services.review_state(milestone, review),
        may_record=is_assessor and unsigned,
        may_comment=is_nqsw and REVIEW_LIFECYCLE.can(review.status, "comment"),
        # The NQSW signs with or without a comment; the assessor signs once.
        may_sign=(is_nqsw and REVIEW_LIFECYCLE.can(review.status, "sign_nqsw"))
        or (is_assessor and REVIEW_LIFECYCLE.can(review.status, "sign_assessor")),
        signed_by=db.session.get(User, review.assessor_signed_by_id) if review.assessor_signed_by_id else None,
    )
