"""Who may change a programme's settings."""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.programmes.models import Programme


def can_edit_programme(user: User, programme: Programme) -> bool:
    """Coordinators set a programme's milestones, minimums and entitlements."""
    return can_manage_academy(user)
