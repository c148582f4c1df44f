"""Loading assessment records for views, with the permission check in the same step."""

from flask import abort

from academy.assessment.models import Review
from academy.assessment.services import reviews as review_services
from academy.extensions import db
from academy.participants.models import Milestone, Participant
from academy.participants.queries import get_participant_for_view


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
