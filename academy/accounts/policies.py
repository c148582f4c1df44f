"""Account-level permission rules: what a person's roles alone allow."""

from academy.accounts.models import Role, User


def is_signed_in(user: User) -> bool:
    """Anyone signed in, whatever their roles (signing out, the page that sends them home)."""
    return user.is_authenticated


def can_manage_academy(user: User) -> bool:
    """Coordinators run the academy: cohorts, enrolment, assignments, reports."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def can_manage_account(user: User, account: User) -> bool:
    """Coordinators manage every account (roles, deactivation, invitations) from the people pages."""
    return can_manage_academy(user)


def is_mentor(user: User) -> bool:
    """Staff who assess, mentor or line-manage NQSWs (the mentor role)."""
    return user.is_authenticated and user.has_role(Role.MENTOR)


def is_nqsw(user: User) -> bool:
    """People on the programme (the NQSW role)."""
    return user.is_authenticated and user.has_role(Role.NQSW)
