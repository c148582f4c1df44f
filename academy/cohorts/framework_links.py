"""Correcting which frameworks a cohort is assessed against: adding one, removing one.

Both are for a cohort set up wrongly. Once anything is recorded against a framework (ratings, evidence
links, self-assessments), removing it would orphan those records, so it is refused; a cohort that has
ratings keeps the set of frameworks it is assessed on, and moves to a newer version of one through the
framework's "move a cohort" page instead (services.move_cohort). Every cohort keeps at least one.
"""

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Rating
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.cohorts.services import cohort_records_on
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework
from academy.participants.models import Participant

VERSION_MOVE = "To assess it against a newer version, move the cohort from the framework's page instead."


def cohort_has_ratings(cohort: Cohort) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Rating.id)
            .where(Rating.participant_id.in_(sa.select(Participant.id).where(Participant.cohort_id == cohort.id)))
            .limit(1)
        )
    )


def _labels(cohort: Cohort) -> list[str]:
    return [f.label for f in cohort.frameworks]


def add_cohort_framework(cohort: Cohort, framework: Framework, *, actor: User | None) -> None:
    """Assess the cohort against one more framework, while nobody in it has been rated."""
    if framework in cohort.frameworks:
        raise DomainError(f"{cohort.name} already uses {framework.label}.", field="framework")
    same = next((f for f in cohort.frameworks if f.code == framework.code), None)
    if same is not None:
        raise DomainError(
            f"{cohort.name} already uses {same.label}, another version of this framework. {VERSION_MOVE}",
            field="framework",
        )
    if cohort_has_ratings(cohort):
        raise DomainError(
            f"Ratings have been recorded in {cohort.name}, so the frameworks it is assessed against are fixed. "
            + VERSION_MOVE,
            field="framework",
        )
    before = _labels(cohort)
    cohort.framework_links.append(CohortFramework(framework=framework, added_at=now_utc()))
    db.session.flush()
    record_audit(
        actor,
        "cohort.framework_added",
        cohort,
        summary=f"{framework.label} added to {cohort.name}",
        before={"frameworks": before},
        after={"frameworks": _labels(cohort)},
    )


def remove_cohort_framework(cohort: Cohort, framework: Framework, *, actor: User | None) -> None:
    """Stop assessing the cohort against a framework nothing has been recorded against."""
    link = next((link for link in cohort.framework_links if link.framework_id == framework.id), None)
    if link is None:
        raise DomainError(f"{cohort.name} does not use {framework.label}.", field="framework")
    if len(cohort.framework_links) == 1:
        raise DomainError(
            f"{framework.label} is the only framework of {cohort.name}. Add the right one before removing it.",
            field="framework",
        )
    recorded = cohort_records_on(cohort, framework)
    if recorded:
        raise DomainError(
            f"{cohort.name} has {recorded} ratings, evidence links or self-assessments on {framework.label}, "
            f"so it cannot be removed. {VERSION_MOVE}",
            field="framework",
        )
    before = _labels(cohort)
    cohort.framework_links.remove(link)
    db.session.flush()
    record_audit(
        actor,
        "cohort.framework_removed",
        cohort,
        summary=f"{framework.label} removed from {cohort.name}",
        before={"frameworks": before},
        after={"frameworks": _labels(cohort)},
    )
