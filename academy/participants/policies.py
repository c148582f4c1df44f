"""Who may see and act on a participant: the coordinator, the NQSW themself, assigned staff."""

from datetime import date

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.policies import can_manage_academy
from academy.core.dates import today
from academy.extensions import db
from academy.participants.models import Assignment, AssignmentKind, Participant


def is_own_record(user: User, participant: Participant) -> bool:
    """The participant is this user (an NQSW looking at themself)."""
    return user.is_authenticated and participant.user_id == user.id


def assignment_kinds(user: User, participant: Participant, on: date | None = None) -> set[AssignmentKind]:
    """The capacities in which `user` is assigned to `participant` on the given date."""
    if not user.is_authenticated or not user.has_role(Role.MENTOR):
        return set()
    on = on or today()
    rows = db.session.scalars(
        sa.select(Assignment.kind).where(
            Assignment.participant_id == participant.id,
            Assignment.user_id == user.id,
            Assignment.starts_on <= on,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
        )
    )
    return set(rows)


def can_view_participant(user: User, participant: Participant) -> bool:
    """Coordinators, the NQSW themself, and staff assigned to them today."""
    return can_manage_academy(user) or is_own_record(user, participant) or bool(assignment_kinds(user, participant))


def can_manage_participant(user: User, participant: Participant) -> bool:
    """Coordinators record assignments, pauses, FTE changes, starts and endings, and resend invitations.

    Never on their own record: a coordinator who is also enrolled as an NQSW does not choose their own
    assessor, pause or end their own programme, or correct their own details (another coordinator does).
    """
    return can_manage_academy(user) and not is_own_record(user, participant)


def visible_participants_query(user: User) -> sa.Select:
    """A SELECT of the participants `user` may see, for lists (one query, not one check per row)."""
    query = sa.select(Participant)
    if can_manage_academy(user):
        return query
    assigned = assigned_participant_ids(user)
    return query.where(sa.or_(Participant.user_id == user.id, Participant.id.in_(assigned)))


def assigned_participant_ids(user: User, on: date | None = None) -> sa.Select:
    """A SELECT of the ids of the participants `user` is assigned to (in any capacity) on the given date."""
    on = on or today()
    return sa.select(Assignment.participant_id).where(
        Assignment.user_id == user.id,
        Assignment.starts_on <= on,
        sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
    )
