"""Telling staff that an NQSW has been assigned to them."""

from academy.accounts.models import User
from academy.notifications.models import NotificationKind
from academy.notifications.services import notify
from academy.participants.models import Assignment


def when(assignment: Assignment) -> str:
    return f"{assignment.starts_on.day} {assignment.starts_on:%B %Y}"


def announce_assignment(assignment: Assignment, *, by: User | None) -> None:
    """The member of staff learns whom they now hold, in which capacity and from when."""
    participant = assignment.participant
    notify(
        [assignment.user],
        NotificationKind.ASSIGNED,
        f"{participant.name} is assigned to you as {assignment.kind.label.lower()} from {when(assignment)}.",
        "participants.participant",
        by=by,
        participant_id=participant.id,
    )
