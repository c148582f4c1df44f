"""The state machines of milestone reviews and ASYE outcomes: which action is allowed from which state.

A review is `due -> held -> signed` (overdue is derived from the due date, never stored). Signing is
two steps in either order, each a state of its own: held -> signed by the assessor | signed by the NQSW
-> signed (by both). Until anyone signs, the assessor may still correct the record; the NQSW may
comment until they sign. The signature times stay on the review as the record of who signed when;
who still has to sign follows from the state alone.

An outcome is `pending -> confirmed | referred_back`; a referred-back recommendation is followed by a
new one (a new row), never reopened.
"""

from academy.assessment.models import OutcomeStatus, ReviewStatus
from academy.core.states import StateMachine

R = ReviewStatus

# The signature each person gives, by the action that gives it.
SIGNATURES = {"sign_assessor": "assessor", "sign_nqsw": "nqsw"}

_NOT_RECORDED = "The review has not been recorded yet, so it cannot be commented on or signed."
_SOMEONE_SIGNED = "Someone has signed this review, so the record cannot be changed."
_FIXED = "This review has been signed by both people, so it cannot be changed."

REVIEW_LIFECYCLE: StateMachine[ReviewStatus] = StateMachine(
    states=tuple(ReviewStatus),
    transitions={
        (R.DUE, "record"): R.HELD,
        (R.HELD, "record"): R.HELD,
        (R.HELD, "comment"): R.HELD,
        (R.HELD, "sign_assessor"): R.SIGNED_BY_ASSESSOR,
        (R.HELD, "sign_nqsw"): R.SIGNED_BY_NQSW,
        (R.SIGNED_BY_ASSESSOR, "comment"): R.SIGNED_BY_ASSESSOR,
        (R.SIGNED_BY_ASSESSOR, "sign_nqsw"): R.SIGNED,
        (R.SIGNED_BY_NQSW, "sign_assessor"): R.SIGNED,
    },
    refusals={
        (R.DUE, "comment"): _NOT_RECORDED,
        (R.DUE, "sign_assessor"): _NOT_RECORDED,
        (R.DUE, "sign_nqsw"): _NOT_RECORDED,
        (R.SIGNED_BY_ASSESSOR, "record"): _SOMEONE_SIGNED,
        (R.SIGNED_BY_ASSESSOR, "sign_assessor"): "The assessor has already signed this review.",
        (R.SIGNED_BY_NQSW, "record"): _SOMEONE_SIGNED,
        (R.SIGNED_BY_NQSW, "comment"): "You have signed this review, so your comment cannot be changed.",
        (R.SIGNED_BY_NQSW, "sign_nqsw"): "You have already signed this review.",
        (R.SIGNED, "record"): _FIXED,
        (R.SIGNED, "comment"): _FIXED,
        (R.SIGNED, "sign_assessor"): _FIXED,
        (R.SIGNED, "sign_nqsw"): _FIXED,
    },
)

# Held and waiting for one signature or both (shown as "held, waiting for signatures").
AWAITING_SIGNATURE = REVIEW_LIFECYCLE.states_allowing(*SIGNATURES)


def still_to_sign(status: ReviewStatus) -> list[str]:
    """Who still has to sign a review in `status`: "assessor", "nqsw", both or neither."""
    return [who for action, who in SIGNATURES.items() if REVIEW_LIFECYCLE.can(status, action)]


def review_next_state(state: ReviewStatus, action: str) -> ReviewStatus:
    """The state after `action`, or InvalidTransition saying why not."""
    return REVIEW_LIFECYCLE.check(state, action)


_DECIDED = {OutcomeStatus.CONFIRMED: "confirmed", OutcomeStatus.REFERRED_BACK: "referred back"}

OUTCOME_LIFECYCLE: StateMachine[OutcomeStatus] = StateMachine(
    states=tuple(OutcomeStatus),
    transitions={
        (OutcomeStatus.PENDING, "confirm"): OutcomeStatus.CONFIRMED,
        (OutcomeStatus.PENDING, "refer_back"): OutcomeStatus.REFERRED_BACK,
    },
    refusals={
        (state, action): f"The panel has already {done} this recommendation."
        for state, done in _DECIDED.items()
        for action in ("confirm", "refer_back")
    },
)


def outcome_next_state(state: OutcomeStatus, action: str) -> OutcomeStatus:
    """The state after `action`, or InvalidTransition saying why not."""
    return OUTCOME_LIFECYCLE.check(state, action)
