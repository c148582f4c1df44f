"""Cohort use cases: creating cohorts, enrolling participants, assigning staff, milestone dates."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import add_roles
from academy.assessment.models import Rating
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework, FrameworkElement
from academy.logs.models import SelfAssessment
from academy.participants.models import EmploymentType, Participant, ParticipantStatus, StatusEvent, StatusEventKind
from academy.participants.services import generate_milestones
from academy.programmes.models import Programme, ServiceArea
from academy.programmes.services import snapshot_settings


def create_cohort(
    name: str, start_date: date, programme: Programme, frameworks: list[Framework], *, actor: User | None
) -> Cohort:
    """A new cohort with a frozen copy of its programme's settings and the given framework versions."""
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the cohort.", field="name")
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name)) is not None:
        raise DomainError(f"A cohort called {name} already exists.", field="name")
    cohort = Cohort(
        name=name,
        start_date=start_date,
        programme=programme,
        service_area=programme.service_area,
        settings=snapshot_settings(programme),
        framework_links=[CohortFramework(framework=f) for f in frameworks],
    )
    db.session.add(cohort)
    record_audit(
        actor,
        "cohort.created",
        cohort,
        summary=f"Created cohort {name}",
        after={
            "name": name,
            "start_date": start_date.isoformat(),
            "programme": programme.name,
            "frameworks": [f"{f.code} {f.version}" for f in frameworks],
        },
    )
    return cohort


def new_participant(
    cohort: Cohort,
    user: User,
    *,
    actor: User | None,
    start_date: date | None = None,
    fte: Decimal = Decimal("1.0"),
    team: str = "",
    swe_number: str = "",
    employment_type: EmploymentType = EmploymentType.PERMANENT,
    today: date | None = None,
) -> Participant:
    """Build (and add) a participant with their enrolment event and milestones; no checks, no audit."""
    today = today or dates.today()
    start = start_date or cohort.start_date
    status = ParticipantStatus.ACTIVE if start <= today else ParticipantStatus.ENROLLED
    participant = Participant(
        user=user,
        cohort=cohort,
        start_date=start,
        fte=Decimal(fte),
        team=team.strip(),
        swe_number=swe_number.strip(),
        employment_type=employment_type,
        status=status,
    )
    db.session.add(participant)
    participant.status_events.append(
        StatusEvent(
            kind=StatusEventKind.ENROLLED,
            effective_on=start,
            to_status=status.value,
            fte=Decimal(fte),
            programme_year=1,
            actor_id=actor.id if actor else None,
        )
    )
    generate_milestones(participant)
    return participant


def enrol_participant(
    cohort: Cohort,
    user: User,
    *,
    actor: User | None,
    start_date: date | None = None,
    fte: Decimal = Decimal("1.0"),
    team: str = "",
    swe_number: str = "",
    employment_type: EmploymentType = EmploymentType.PERMANENT,
    today: date | None = None,
) -> Participant:
    """Enrol `user` as an NQSW in `cohort`, generating their milestones."""
    if not Decimal("0.1") <= Decimal(fte) <= Decimal("1.0"):
        raise DomainError("FTE must be between 0.1 and 1.0.", field="fte")
    existing = db.session.scalar(
        sa.select(Participant).where(Participant.user_id == user.id, Participant.cohort_id == cohort.id)
    )
    if existing is not None:
        raise DomainError(f"{user.email} is already enrolled in {cohort.name}.", field="email")
    if Role.NQSW not in user.roles:
        add_roles(user, {Role.NQSW}, actor=actor)
    participant = new_participant(
        cohort,
        user,
        actor=actor,
        start_date=start_date,
        fte=fte,
        team=team,
        swe_number=swe_number,
        employment_type=employment_type,
        today=today,
    )
    record_audit(
        actor,
        "participant.enrolled",
        participant,
        summary=f"Enrolled {user.name} in {cohort.name}",
        after={
            "email": user.email,
            "cohort": cohort.name,
            "start_date": participant.start_date.isoformat(),
            "fte": str(fte),
        },
    )
    return participant


def default_frameworks(programme: Programme, on: date) -> list[Framework]:
    """The loaded frameworks for the programme's service area (or all areas) in force on `on`."""

    return list(
        db.session.scalars(
            sa.select(Framework)
            .where(
                Framework.service_area.in_([programme.service_area, ServiceArea.ALL]),
                sa.or_(Framework.valid_from.is_(None), Framework.valid_from <= on),
                sa.or_(Framework.valid_to.is_(None), Framework.valid_to >= on),
            )
            .order_by(Framework.code, Framework.version)
        )
    )


def cohort_records_on(cohort: Cohort, framework: Framework) -> int:
    """How many ratings, evidence links and self-assessments of the cohort's participants use the framework."""

    element_ids = sa.select(FrameworkElement.id).where(FrameworkElement.framework_id == framework.id)
    participant_ids = sa.select(Participant.id).where(Participant.cohort_id == cohort.id)
    ratings = db.session.scalar(
        sa.select(sa.func.count(Rating.id)).where(
            Rating.participant_id.in_(participant_ids), Rating.element_id.in_(element_ids)
        )
    )
    links = db.session.scalar(
        sa.select(sa.func.count(EvidenceLink.id))
        .join(EvidenceEntry, EvidenceEntry.id == EvidenceLink.entry_id)
        .where(EvidenceEntry.participant_id.in_(participant_ids), EvidenceLink.element_id.in_(element_ids))
    )
    self_assessments = db.session.scalar(
        sa.select(sa.func.count(SelfAssessment.id)).where(
            SelfAssessment.participant_id.in_(participant_ids), SelfAssessment.element_id.in_(element_ids)
        )
    )
    return (ratings or 0) + (links or 0) + (self_assessments or 0)


def move_cohort(cohort: Cohort, old: Framework, new: Framework, actor: User | None) -> None:
    """Assess a cohort against `new` instead of `old`. Only before anything is recorded against `old`.

    Ratings, evidence links and self-assessments point at elements of one version, so a cohort that has
    any of them on `old` stays on it (its records keep their meaning); the version mapping shows where
    those ratings would count.
    """
    link = db.session.get(CohortFramework, (cohort.id, old.id))
    if link is None:
        raise DomainError(f"{cohort.name} does not use {old.label}.", field="cohort")
    if old.id == new.id:
        raise DomainError("Choose a different framework version.", field="target")
    if db.session.get(CohortFramework, (cohort.id, new.id)) is not None:
        raise DomainError(f"{cohort.name} already uses {new.label}.", field="target")
    recorded = cohort_records_on(cohort, old)
    if recorded:
        raise DomainError(
            f"{cohort.name} has {recorded} ratings, evidence links or self-assessments on {old.label}, "
            "so it stays on that version.",
            field="cohort",
        )
    cohort.framework_links.remove(link)
    db.session.flush()
    cohort.framework_links.append(CohortFramework(framework=new, added_at=now_utc()))
    db.session.flush()
    record_audit(
        actor,
        "cohort.framework_moved",
        cohort,
        summary=f"Moved {cohort.name} from {old.label} to {new.label}",
        before={"framework_id": old.id, "framework": f"{old.code} {old.version}"},
        after={"framework_id": new.id, "framework": f"{new.code} {new.version}"},
    )
