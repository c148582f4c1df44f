"""Small helpers the assessment pages share: loading a review for an action, and saving through a service."""

from collections.abc import Callable

from flask import abort

from academy.assessment import reviews as review_services
from academy.assessment.forms import show_error
from academy.assessment.models import Review
from academy.cohorts.models import Milestone, Participant
from academy.cohorts.queries import get_participant_for_view
from academy.core.errors import DomainError
from academy.extensions import db


def committed(form, field: str, action: Callable[[], object]) -> bool:
    """Run one service call and commit; on a DomainError roll back, put its message on `field`, return False."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        show_error(form, error, field)
        return False
    db.session.commit()
    return True


def milestone_of(participant: Participant, milestone_id: int) -> Milestone:
    """One of the participant's review milestones, or 404."""
    milestone = db.session.get(Milestone, milestone_id)
    if (
        milestone is None
        or milestone.participant_id != participant.id
        or milestone.kind not in review_services.REVIEW_KINDS
    ):
        abort(404)
    return milestone


def review_to_act_on(participant_id: int, milestone_id: int) -> tuple[Participant, Milestone, Review]:
    """The participant (whom the user may see), the milestone and its recorded review, or 404/403."""
    participant = get_participant_for_view(participant_id)
    milestone = milestone_of(participant, milestone_id)
    review = review_services.review_for(milestone)
    if review is None:
        abort(404)
    return participant, milestone, review
