"""Enrolling one person: find or create their account, enrol them, assign staff, invite them."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app

from academy.accounts.mailing import send_link
from academy.accounts.models import Role, User
from academy.accounts.services import create_invitation, create_user, find_user_by_email, normalise_email
from academy.cohorts.models import Cohort, CohortStatus
from academy.cohorts.services import enrol_participant
from academy.core.errors import DomainError
from academy.core.mail import Delivery
from academy.core.urls import can_build_links
from academy.participants.models import AssignmentKind, EmploymentType, Participant


@dataclass
class NewEnrolment:
    """What is needed to enrol one person; staff are already-resolved accounts (or None)."""

    email: str
    given_name: str
    family_name: str
    start_date: date | None = None
    fte: Decimal = Decimal("1.00")
    team: str = ""
    swe_number: str = ""
    employment_type: EmploymentType = EmploymentType.PERMANENT
    staff: dict[AssignmentKind, User] = field(default_factory=dict)


def check_cohort_open(cohort: Cohort) -> None:
    """Closed cohorts take no more participants."""
    if cohort.status == CohortStatus.CLOSED:
        raise DomainError(f"{cohort.name} is closed, so nobody more can be enrolled in it.")


def enrol_person(
    cohort: Cohort, data: NewEnrolment, *, actor: User | None, user: User | None = None
) -> tuple[Participant, bool]:
    """Enrol the person with `data.email`, creating an account (no password) if there is none.

    Returns the participant and whether a new account was made (it then needs an invitation).
    """
    check_cohort_open(cohort)
    email = normalise_email(data.email)
    user = user or find_user_by_email(email)
    is_new = user is None
    if user is None:
        name = f"{data.given_name.strip()} {data.family_name.strip()}".strip()
        user = create_user(email, name, {Role.NQSW}, actor=actor)
    participant = enrol_participant(
        cohort,
        user,
        actor=actor,
        start_date=data.start_date,
        fte=data.fte,
        team=data.team,
        swe_number=data.swe_number,
        employment_type=data.employment_type,
        staff={kind: staff for kind, staff in data.staff.items() if staff is not None},
    )
    return participant, is_new


def can_send_links() -> bool:
    """Links in emails are built from ACADEMY_BASE_URL only."""
    return can_build_links()


def invite(user: User, *, actor: User | None) -> str:
    """A new single-use, expiring set-password token for `user` (email it after committing)."""
    return create_invitation(user, actor=actor)


def email_invitation(user: User, token: str) -> Delivery:
    """Email `user` their set-password link (after the commit that made it); what became of the email.
    The caller commits again: a link handed to a mail server is marked as emailed."""
    opening = f"You have been enrolled in the {current_app.config['ACADEMY_NAME']} programme."
    return send_link(user, token, opening=opening)
