"""Loading cohorts for views, and read-side queries about them."""

import sqlalchemy as sa

from academy.cohorts.models import Cohort, FrameworkMove, ImportJob
from academy.core.web import get_or_404
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework
from academy.participants.models import Participant, ParticipantStatus


def load_cohort(cohort_id: int) -> Cohort:
    """The cohort with this id, or 404. Use with `requires(rule, load=load_cohort)`."""
    return get_or_404(Cohort, cohort_id)


def load_import_job(import_id: int) -> ImportJob:
    """The background import with this id, or 404."""
    return get_or_404(ImportJob, import_id)


def frameworks_of(cohort: Cohort) -> list[Framework]:
    """The framework versions the cohort is assessed against, by code (one query)."""
    return list(
        db.session.scalars(
            sa.select(Framework)
            .join(CohortFramework, CohortFramework.framework_id == Framework.id)
            .where(CohortFramework.cohort_id == cohort.id)
            .order_by(Framework.code, Framework.version)
        )
    )


def load_move(move_id: int) -> FrameworkMove:
    """The framework move with this id, or 404."""
    return get_or_404(FrameworkMove, move_id)


def cohort_status_counts() -> dict[int, dict[ParticipantStatus, int]]:
    """Participants per cohort and status, in one grouped query."""
    rows = db.session.execute(
        sa.select(Participant.cohort_id, Participant.status, sa.func.count(Participant.id)).group_by(
            Participant.cohort_id, Participant.status
        )
    )
    counts: dict[int, dict[ParticipantStatus, int]] = {}
    for cohort_id, status, n in rows:
        counts.setdefault(cohort_id, {})[status] = n
    return counts


def cohorts_using(framework: Framework) -> list[Cohort]:
    """The cohorts assessed against this framework version, by name."""
    return list(
        db.session.scalars(
            sa.select(Cohort)
            .join(CohortFramework, CohortFramework.cohort_id == Cohort.id)
            .where(CohortFramework.framework_id == framework.id)
            .order_by(Cohort.name)
        )
    )


def cohorts_by_framework() -> dict[int, list[Cohort]]:
    """framework id -> cohorts using it, for lists (one query)."""
    rows = db.session.execute(
        sa.select(CohortFramework.framework_id, Cohort).join(Cohort, Cohort.id == CohortFramework.cohort_id)
    )
    result: dict[int, list[Cohort]] = {}
    for framework_id, cohort in rows:
        result.setdefault(framework_id, []).append(cohort)
    return result
