"""Who may see and change a cohort: the coordinators who run the academy."""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.cohorts.models import Cohort, FrameworkMove, ImportJob


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Coordinators see the cohort table, rename and close cohorts, enrol and import people."""
    return can_manage_academy(user)


def can_move_cohort(user: User, move: FrameworkMove) -> bool:
    """Coordinators move a cohort between framework versions and undo the move."""
    return can_manage_academy(user)


def can_follow_import(user: User, job: ImportJob) -> bool:
    """The progress of a background import: whoever may import (coordinators)."""
    return can_manage_cohort(user, job.cohort)
