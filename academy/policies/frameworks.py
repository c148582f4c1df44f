"""Who may see and change competency frameworks: coordinators only."""

from academy.accounts.models import Role, User


def can_manage_frameworks(user: User) -> bool:
    """Coordinators import, edit, version and map frameworks; nobody else sees these pages."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)
