"""Who may see the academy's retention and workforce figures."""

from academy.accounts.models import Role, User


def can_view_retention(user: User) -> bool:
    """Coordinators only: the figures cover every participant of the academy."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)
