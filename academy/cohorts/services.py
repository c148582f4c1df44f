"""Cohort use cases: creating cohorts, enrolling participants, assigning staff, milestone dates."""

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.audit.services import record_audit
from academy.cohorts import schedule
from academy.cohorts.models import (
    Assignment,
    AssignmentKind,
    Cohort,
    EmploymentType,
    Milestone,
    Participant,
    ParticipantStatus,
    StatusEvent,
    StatusEventKind,
)
from academy.core import dates
from academy.core.errors import DomainError
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework
from academy.programmes.models import MilestoneKind, Programme
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


def _schedule_inputs(participant: Participant) -> dict:
    """The pauses and FTE history of a participant, in the shape the schedule module wants."""
    # An ongoing pause with an expected return date projects from that date; with none, the later
    # due dates are unknown ("on hold") until the participant returns.
    pauses = [schedule.Pause(p.starts_on, p.ended_on or p.expected_end) for p in participant.pauses]
    changes = [
        schedule.FteChange(e.effective_on, float(e.fte))
        for e in participant.status_events
        if e.kind == StatusEventKind.FTE_CHANGED and e.fte is not None
    ]
    first_fte = next(
        (float(e.fte) for e in participant.status_events if e.kind == StatusEventKind.ENROLLED and e.fte),
        float(participant.fte),
    )
    return {
        "pauses": pauses,
        "fte_changes": changes,
        "initial_fte": first_fte,
        "asye_months": participant.cohort.settings.get("asye_months", 12),
    }


def recompute_due_dates(participant: Participant) -> None:
    """Re-derive every milestone's due date from the start date, pauses and FTE history."""
    offsets = [m.months_due for m in participant.milestones]
    dates = schedule.due_dates(participant.start_date, offsets, **_schedule_inputs(participant))
    for milestone in participant.milestones:
        milestone.due_date = dates[milestone.months_due]


def generate_milestones(participant: Participant) -> None:
    """Create the participant's milestones from their cohort's settings."""
    participant.milestones = [
        Milestone(
            code=m["code"],
            title=m["title"],
            kind=MilestoneKind(m["kind"]),
            programme_year=m["programme_year"],
            months_due=m["months_due"],
            is_optional=m["is_optional"],
            needs_critical_reflection=m["needs_critical_reflection"],
        )
        for m in participant.cohort.settings.get("milestones", [])
    ]
    recompute_due_dates(participant)


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
        from academy.accounts.services import add_roles

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


def current_assignment(participant: Participant, kind: AssignmentKind, on: date | None = None) -> Assignment | None:
    """The assignment of `kind` in force on `on` (today by default)."""
    on = on or dates.today()
    return next((a for a in participant.assignments if a.kind == kind and a.is_current(on)), None)


def assign_staff(
    participant: Participant,
    staff: User,
    kind: AssignmentKind,
    *,
    starts_on: date,
    actor: User | None,
    handover_note: str = "",
) -> Assignment:
    """Assign `staff` to `participant` as `kind` from `starts_on`, ending whoever held it before."""
    if not staff.has_role(Role.MENTOR):
        raise DomainError(f"{staff.email} does not have the mentor role, so cannot be assigned.", field="user")
    if staff.id == participant.user_id:
        raise DomainError("Nobody can be assigned to their own record.", field="user")
    previous = current_assignment(participant, kind, on=starts_on)
    if previous is not None and previous.user_id == staff.id:
        return previous
    if previous is not None:
        if kind == AssignmentKind.ASSESSOR and not handover_note.strip():
            raise DomainError("A change of assessor needs a handover note.", field="handover_note")
        if starts_on <= previous.starts_on:
            raise DomainError("The new assignment must start after the current one started.", field="starts_on")
        previous.ends_on = starts_on - timedelta(days=1)
    assignment = Assignment(
        participant=participant,
        user=staff,
        kind=kind,
        starts_on=starts_on,
        handover_note=handover_note.strip(),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(assignment)
    record_audit(
        actor,
        "assignment.created",
        assignment,
        participant_id=participant.id,
        summary=f"{staff.name} assigned as {kind.label.lower()} to {participant.name}",
        before={"user": previous.user.email} if previous else None,
        after={"user": staff.email, "kind": kind.value, "starts_on": starts_on.isoformat()},
    )
    return assignment


def default_frameworks(programme: Programme, on: date) -> list[Framework]:
    """The loaded frameworks for the programme's service area (or all areas) in force on `on`."""
    from academy.programmes.models import ServiceArea

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
