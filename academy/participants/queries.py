"""Loading participants and cohorts for views, with the permission check in the same step."""

from flask import abort
from flask_login import current_user

from academy.core.web import get_or_404, require
from academy.extensions import db
from academy.participants.models import Participant
from academy.participants.policies import can_view_participant


def load_participant(participant_id: int) -> Participant:
    """The participant with this id, or 404. Use with `requires(rule, load=load_participant)`."""
    return get_or_404(Participant, participant_id)


def get_participant_for_view(participant_id: int) -> Participant:
    """Load a participant the signed-in user may see, or 404/403."""
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    require(can_view_participant(current_user, participant))
    return participant
