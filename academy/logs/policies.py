"""Who may read and write a participant's logs."""

from academy.accounts.models import User
from academy.participants.models import AssignmentKind, Participant
from academy.participants.policies import (
    assignment_kinds,
    is_own_record,
)


def can_log_protected_time(user: User, participant: Participant) -> bool:
    return is_own_record(user, participant)


def can_record_caseload(user: User, participant: Participant) -> bool:
    """The NQSW or their line manager."""
    return is_own_record(user, participant) or AssignmentKind.LINE_MANAGER in assignment_kinds(user, participant)


def can_record_supervision(user: User, participant: Participant) -> bool:
    """The line manager or the assessor."""
    kinds = assignment_kinds(user, participant)
    return bool(kinds & {AssignmentKind.LINE_MANAGER, AssignmentKind.ASSESSOR})


def can_self_assess(user: User, participant: Participant) -> bool:
    return is_own_record(user, participant)
