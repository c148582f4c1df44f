"""Who may read and change frameworks."""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.frameworks.models import Framework


def can_manage_framework(user: User, framework: Framework) -> bool:
    """Coordinators read a framework, edit it into versions, map it and move cohorts onto it."""
    return can_manage_academy(user)
