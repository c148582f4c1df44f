"""Who may see and record ASYE funding: the coordinators who run the academy."""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.participants.models import Participant
from academy.participants.policies import is_own_record


def can_manage_funding(user: User, participant: Participant | None = None) -> bool:
    """Coordinators record eligibility details and claims, and export the claims list (not their own claim)."""
    return can_manage_academy(user) and (participant is None or not is_own_record(user, participant))
