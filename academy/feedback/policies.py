"""Who may ask outside people for feedback, see the requests and act on them.

The requests hold outside people's names and emails, so they are shown to the NQSW, their current
assessor (who may ask on their behalf) and coordinators, and to nobody else.
"""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.evidence.policies import is_assessor
from academy.feedback.models import FeedbackRequest
from academy.participants.models import Participant
from academy.participants.policies import is_own_record


def can_view_feedback_requests(user: User, participant: Participant) -> bool:
    """The NQSW, their current assessor and coordinators."""
    return user.is_authenticated and (
        is_own_record(user, participant) or is_assessor(user, participant) or can_manage_academy(user)
    )


def can_request_feedback(user: User, participant: Participant) -> bool:
    """The NQSW, or their current assessor for them, while the NQSW is on the programme."""
    return (
        user.is_authenticated
        and participant.status.is_current
        and (is_own_record(user, participant) or is_assessor(user, participant))
    )


def can_view_feedback_request(user: User, request: FeedbackRequest) -> bool:
    return can_view_feedback_requests(user, request.participant)


def can_change_feedback_request(user: User, request: FeedbackRequest) -> bool:
    """Withdraw, send again or record the paper answer: the NQSW or their current assessor."""
    return can_request_feedback(user, request.participant)


def can_manage_feedback_settings(user: User) -> bool:
    """Coordinators switch outside feedback off, or limit who may be asked."""
    return can_manage_academy(user)
