"""Account-level permission rules: what a person's roles alone allow."""

from academy.accounts.models import Role, User


def can_manage_academy(user: User) -> bool:
    """Coordinators run the academy: cohorts, enrolment, assignments, reports."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)
