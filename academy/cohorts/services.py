"""Cohort use cases: creating cohorts, enrolling participants, assigning staff, milestone dates."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.accounts.models import Role, User
from academy.accounts.services import add_roles
from academy.assessment.models import Rating
from academy.audit.services import audit_row, record_audit, record_audit_rows
from academy.cohorts.models import Cohort
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework, FrameworkElement
from academy.logs.models import SelfAssessment
from academy.participants import schedule
from academy.participants.models import (
    Assignment,
    AssignmentKind,
    EmploymentType,
    Milestone,
    Participant,
    ParticipantStatus,
    StatusEvent,
    StatusEventKind,
)
from academy.participants.services import check_assignable, milestone_row
from academy.programmes.models import Programme, ServiceArea
from academy.programmes.services import proposed_programme, snapshot_settings


def create_cohort(
    name: str, start_date: date, programme: Programme, frameworks: list[Framework], *, actor: User | None
) -> Cohort:
    """A new cohort with a frozen copy of its programme's settings and the given framework versions."""
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the cohort.", field="name")
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name)) is not None:
        raise DomainError(f"A cohort called {name} already exists.", field="name")
    if not frameworks:
        raise DomainError("Choose at least one framework the cohort is assessed against.", field="frameworks")
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


@dataclass
class Enrolee:
    """One person to enrol: their (existing) account and their programme details."""

    user: User
    start_date: date | None = None
    fte: Decimal = Decimal("1.0")
    team: str = ""
    swe_number: str = ""
    employment_type: EmploymentType = EmploymentType.PERMANENT
    staff: dict[AssignmentKind, User] = field(default_factory=dict)


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
    staff: dict[AssignmentKind, User] | None = None,
    today: date | None = None,
) -> Participant:
    """Enrol `user` as an NQSW in `cohort`, generating their milestones and assigning `staff`."""
    if not Decimal("0.1") <= Decimal(fte) <= Decimal("1.0"):
        raise DomainError("FTE must be between 0.1 and 1.0.", field="fte")
    existing = db.session.scalar(
        sa.select(Participant.id).where(Participant.user_id == user.id, Participant.cohort_id == cohort.id)
    )
    if existing is not None:
        raise DomainError(f"{user.email} is already enrolled in {cohort.name}.", field="email")
    for member in (staff or {}).values():
        check_assignable(member, user.id)
    add_roles(user, {Role.NQSW}, actor=actor)
    enrolee = Enrolee(user, start_date, Decimal(fte), team, swe_number, employment_type, dict(staff or {}))
    return enrol_many(cohort, [enrolee], actor=actor, today=today)[0]


def enrol_many(
    cohort: Cohort, enrolees: list[Enrolee], *, actor: User | None, today: date | None = None
) -> list[Participant]:
    """The one way participants are written: each enrolee's participant, enrolment event, milestones,
    staff assignments (from their start date) and audit events, as multi-row INSERTs.

    Callers check first (enrol_participant for one person, the CSV importer for a file); this only writes.
    """
    writer = _EnrolmentWriter(cohort, actor, today or dates.today())
    ids = writer.participants(enrolees)
    writer.milestones_and_events(ids)
    writer.assignments(enrolees, ids)
    record_audit_rows(writer.audit)
    db.session.expire(cohort, ["participants"])
    loaded = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Participant).where(Participant.id.in_(ids)).options(selectinload(Participant.user))
        )
    }
    return [loaded[pid] for pid in ids]


class _EnrolmentWriter:
    """The INSERTs of one enrolment (of one person or of a whole file) and their audit events."""

    def __init__(self, cohort: Cohort, actor: User | None, today: date) -> None:
        self.cohort, self.actor, self.today = cohort, actor, today
        self.actor_id = actor.id if actor else None
        self.at = now_utc()
        self.audit: list[dict] = []
        self.values: list[dict] = []

    def _insert(self, model: Any, rows: list[dict]) -> list[int]:
        if not rows:
            return []
        statement = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(db.session.scalars(statement, rows))

    def participants(self, enrolees: list[Enrolee]) -> list[int]:
        for enrolee in enrolees:
            start = enrolee.start_date or self.cohort.start_date
            self.values.append(
                {
                    "user_id": enrolee.user.id,
                    "cohort_id": self.cohort.id,
                    "start_date": start,
                    "fte": Decimal(enrolee.fte),
                    "team": enrolee.team.strip(),
                    "swe_number": enrolee.swe_number.strip(),
                    "employment_type": enrolee.employment_type,
                    "status": ParticipantStatus.ACTIVE if start <= self.today else ParticipantStatus.ENROLLED,
                    "programme_year": 1,
                    "created_at": self.at,
                }
            )
        ids = self._insert(Participant, self.values)
        for enrolee, pid, v in zip(enrolees, ids, self.values, strict=True):
            self.audit.append(
                audit_row(
                    self.actor,
                    "participant.enrolled",
                    "Participant",
                    pid,
                    participant_id=pid,
                    summary=f"Enrolled {enrolee.user.name} in {self.cohort.name}",
                    after={
                        "email": enrolee.user.email,
                        "cohort": self.cohort.name,
                        "start_date": v["start_date"].isoformat(),
                        "fte": str(v["fte"]),
                    },
                    at=self.at,
                )
            )
        return ids

    def milestones_and_events(self, participant_ids: list[int]) -> None:
        templates = self.cohort.settings.get("milestones", [])
        offsets = [m["months_due"] for m in templates]
        asye_months = self.cohort.settings.get("asye_months", 12)
        cache: dict[tuple, dict] = {}
        milestones, events = [], []
        for pid, v in zip(participant_ids, self.values, strict=True):
            key = (v["start_date"], v["fte"])
            if key not in cache:
                cache[key] = schedule.due_dates(
                    v["start_date"], offsets, initial_fte=float(v["fte"]), asye_months=asye_months
                )
            milestones += [milestone_row(pid, m, cache[key][m["months_due"]]) for m in templates]
            events.append(
                {
                    "participant_id": pid,
                    "kind": StatusEventKind.ENROLLED,
                    "effective_on": v["start_date"],
                    "from_status": None,
                    "to_status": v["status"].value,
                    "fte": v["fte"],
                    "programme_year": 1,
                    "reason": "",
                    "destination": None,
                    "note": "",
                    "actor_id": self.actor_id,
                    "created_at": self.at,
                }
            )
        if milestones:
            db.session.execute(sa.insert(Milestone), milestones)
        db.session.execute(sa.insert(StatusEvent), events)

    def assignments(self, enrolees: list[Enrolee], participant_ids: list[int]) -> None:
        values, labels = [], []
        for enrolee, pid, v in zip(enrolees, participant_ids, self.values, strict=True):
            for kind, staff in enrolee.staff.items():
                values.append(
                    {
                        "participant_id": pid,
                        "user_id": staff.id,
                        "kind": kind,
                        "starts_on": v["start_date"],
                        "ends_on": None,
                        "handover_note": "",
                        "created_by_id": self.actor_id,
                        "created_at": self.at,
                    }
                )
                labels.append((pid, staff, kind, enrolee.user.name, v["start_date"]))
        ids = self._insert(Assignment, values)
        for aid, (pid, staff, kind, name, start) in zip(ids, labels, strict=True):
            self.audit.append(
                audit_row(
                    self.actor,
                    "assignment.created",
                    "Assignment",
                    aid,
                    participant_id=pid,
                    summary=f"{staff.name} assigned as {kind.label.lower()} to {name}",
                    after={"user": staff.email, "kind": kind.value, "starts_on": start.isoformat()},
                    at=self.at,
                )
            )


def default_frameworks(programme: Programme, on: date) -> list[Framework]:
    """The newest loaded version of each framework for the programme's service area (or all areas) in force
    on `on`: a cohort is assessed against one version of each framework, never two."""
    in_force = db.session.scalars(
        sa.select(Framework).where(
            Framework.service_area.in_([programme.service_area, ServiceArea.ALL]),
            sa.or_(Framework.valid_from.is_(None), Framework.valid_from <= on),
            sa.or_(Framework.valid_to.is_(None), Framework.valid_to >= on),
        )
    )
    newest: dict[str, Framework] = {}
    for framework in in_force:
        current = newest.get(framework.code)
        if current is None or _version_key(framework.version) > _version_key(current.version):
            newest[framework.code] = framework
    return [newest[code] for code in sorted(newest)]


@dataclass
class CohortProposal:
    """What a new cohort starting on `start` is proposed: the coordinator confirms or changes both."""

    start: date
    programme: Programme
    frameworks: list[Framework]


def propose_setup(start: date) -> CohortProposal:
    """The programme by start date (the ASYE before 1 September 2027, the ECDP from then) and the frameworks in
    force for it on that date (the child and family KSS until 31 March 2027, then the imported early career
    standards)."""
    programme = proposed_programme(start)
    return CohortProposal(start, programme, default_frameworks(programme, start))


def _version_key(version: str) -> tuple:
    """ "2018.10" after "2018.2": compare the numeric parts as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split("."))


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
