"""Loading feedback requests for views (the permission check is the view's rule) and listing them."""

import sqlalchemy as sa

from academy.core.web import get_or_404
from academy.extensions import db
from academy.feedback.models import FeedbackRequest
from academy.participants.models import Participant


def load_request(request_id: int) -> FeedbackRequest:
    """The feedback request with this id, or 404. Use with `requires(rule, load=load_request)`."""
    return get_or_404(FeedbackRequest, request_id)


def requests_of(participant: Participant) -> list[FeedbackRequest]:
    """The participant's requests, newest first."""
    return list(
        db.session.scalars(
            sa.select(FeedbackRequest)
            .where(FeedbackRequest.participant_id == participant.id)
            .order_by(FeedbackRequest.created_at.desc(), FeedbackRequest.id.desc())
        )
    )
