"""Who may download progression records and reports, run batches and check issued documents."""

from academy.accounts.models import Role, User
from academy.accounts.policies import can_manage_academy
from academy.cohorts.models import Cohort
from academy.participants.models import Participant
from academy.participants.policies import assignment_kinds, is_own_record
from academy.reports.models import BatchJob


def can_open_reports(user: User) -> bool:
    """Everyone signed in has the reports page; it lists only what each person may download."""
    return user.is_authenticated


def can_download_record(user: User, participant: Participant) -> bool:
    """The NQSW their own; staff assigned to them today; coordinators any."""
    return can_manage_academy(user) or is_own_record(user, participant) or bool(assignment_kinds(user, participant))


def can_download_cohort_report(user: User, cohort: Cohort) -> bool:
    """A cohort report lists every participant, so only coordinators may have it."""
    return can_manage_academy(user)


def can_build_record_batch(user: User, cohort: Cohort) -> bool:
    """Every record of a cohort in one ZIP: coordinators only."""
    return can_manage_academy(user)


def can_view_batch(user: User, job: BatchJob) -> bool:
    """A batch's progress and file: coordinators (who alone may start one)."""
    return can_manage_academy(user)


def can_verify_documents(user: User) -> bool:
    """Signed-in staff (coordinators and mentors) may check a copy against the issued original."""
    return user.is_authenticated and (user.has_role(Role.COORDINATOR) or user.has_role(Role.MENTOR))
