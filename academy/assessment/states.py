"""The state machines of milestone reviews and ASYE outcomes: which action is allowed from which state.

A review is `due -> held -> signed` (overdue is derived from the due date, never stored). While held,
the assessor may still edit the record until someone signs it, and the NQSW may comment until they sign.
An outcome is `pending -> confirmed | referred_back`; a referred-back recommendation is followed by a
new one (a new row), never reopened.
"""

from academy.assessment.models import OutcomeStatus, ReviewStatus
from academy.core.errors import InvalidTransition

# (state, action) -> state after the action. Signing may also finish the review (see reviews.py).
REVIEW_TRANSITIONS: dict[tuple[ReviewStatus, str], ReviewStatus] = {
    (ReviewStatus.DUE, "record"): ReviewStatus.HELD,
    (ReviewStatus.HELD, "record"): ReviewStatus.HELD,
    (ReviewStatus.HELD, "comment"): ReviewStatus.HELD,
    (ReviewStatus.HELD, "sign_assessor"): ReviewStatus.HELD,
    (ReviewStatus.HELD, "sign_nqsw"): ReviewStatus.HELD,
}

REVIEW_REFUSALS = {
    ReviewStatus.DUE: "The review has not been recorded yet, so it cannot be commented on or signed.",
    ReviewStatus.SIGNED: "This review has been signed by both people, so it cannot be changed.",
}

OUTCOME_TRANSITIONS: dict[tuple[OutcomeStatus, str], OutcomeStatus] = {
    (OutcomeStatus.PENDING, "confirm"): OutcomeStatus.CONFIRMED,
    (OutcomeStatus.PENDING, "refer_back"): OutcomeStatus.REFERRED_BACK,
}


def review_next_state(state: ReviewStatus, action: str) -> ReviewStatus:
    """The state after `action`, or InvalidTransition saying why not."""
    try:
        return REVIEW_TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(
            REVIEW_REFUSALS.get(state, "The review cannot be changed in its current state.")
        ) from None


def outcome_next_state(state: OutcomeStatus, action: str) -> OutcomeStatus:
    """The state after `action`, or InvalidTransition saying why not."""
    try:
        return OUTCOME_TRANSITIONS[(state, action)]
    except KeyError:
        done = "confirmed" if state == OutcomeStatus.CONFIRMED else "referred back"
        raise InvalidTransition(f"The panel has already {done} this recommendation.") from None
