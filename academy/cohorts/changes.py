"""The coordinator's changes to a cohort once it exists: renaming it and closing it to enrolment.

Like every use case these write an audit event and flush; the caller commits.
"""

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort, CohortStatus
from academy.core.errors import DomainError
from academy.extensions import db


def rename_cohort(cohort: Cohort, name: str, *, actor: User | None) -> None:
    """Give the cohort a new name, which no other cohort may have."""
    name = name.strip()
    clash = db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort.id))
    if clash:
        raise DomainError(f"A cohort called {name} already exists.", field="name")
    before = cohort.name
    cohort.name = name
    record_audit(actor, "cohort.updated", cohort, before={"name": before}, after={"name": name})


def close_cohort(cohort: Cohort, *, actor: User | None) -> bool:
    """Close the cohort so nobody more can be enrolled; False when it was already closed (nothing changes)."""
    if cohort.status == CohortStatus.CLOSED:
        return False
    before = cohort.status
    cohort.status = CohortStatus.CLOSED
    record_audit(actor, "cohort.closed", cohort, before={"status": before.value}, after={"status": "closed"})
    return True
