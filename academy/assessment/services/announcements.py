"""Telling the next person when a review or an ASYE recommendation changes hands.

Each function is one call after a state change in reviews.py or outcomes.py.
"""

from academy.accounts.models import User
from academy.assessment.models import Outcome, OutcomeStatus, Review, ReviewStatus
from academy.assessment.states import still_to_sign
from academy.notifications.models import NotificationKind
from academy.notifications.services import notify
from academy.participants.models import AssignmentKind
from academy.participants.services import current_assignment


def _assessor(review: Review) -> User | None:
    assignment = current_assignment(review.participant, AssignmentKind.ASSESSOR)
    return assignment.user if assignment is not None else None


def announce_review(review: Review, *, by: User) -> None:
    """Whoever has still to sign the review is told it waits for their signature."""
    if review.status == ReviewStatus.SIGNED:
        return
    participant, title = review.participant, review.milestone.title
    waiting = still_to_sign(review.status)
    recipients = ([participant.user] if "nqsw" in waiting else []) + (
        [_assessor(review)] if "assessor" in waiting else []
    )
    for user in recipients:
        if user is None:
            continue
        whose = "your" if user.id == participant.user_id else f"{participant.name}'s"
        notify(
            [user],
            NotificationKind.REVIEW_TO_SIGN,
            f"{whose[0].upper()}{whose[1:]} {title} is waiting for your signature.",  # names keep their capitals
            "assessment.review",
            by=by,
            participant_id=participant.id,
            milestone_id=review.milestone_id,
        )


def announce_outcome(outcome: Outcome, *, by: User) -> None:
    """The NQSW and the assessor learn that a recommendation went to the panel, and what it decided."""
    participant = outcome.participant
    recommendation = outcome.recommendation.value.upper()
    assessor = outcome.recommended_by
    if outcome.status == OutcomeStatus.PENDING:
        text = f"{assessor.name} recommended {recommendation} for {participant.name}'s ASYE to the moderation panel."
    elif outcome.status == OutcomeStatus.CONFIRMED:
        text = f"The moderation panel confirmed {recommendation} for {participant.name}'s ASYE."
    else:
        text = f"The moderation panel referred back the {recommendation} recommendation for {participant.name}'s ASYE."
    notify(
        [participant.user, assessor],
        NotificationKind.OUTCOME,
        text,
        "assessment.overview",
        by=by,
        participant_id=participant.id,
    )
