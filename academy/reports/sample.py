"""A typical year-3 participant with three years of history, all synthetic: the record the report tests
read back and benchmarks/records.py times.

Nothing in the app uses it. People, cohorts, participants and assignments go through the real
services; ratings, reviews, evidence, supervision, protected time and outcomes are added through their
models. The caller commits.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.assessment.models import Outcome, OutcomeStatus, Rating, Recommendation, Review, ReviewStatus
from academy.cohorts.models import Cohort
from academy.cohorts.services import create_cohort, enrol_participant
from academy.evidence.models import EvidenceEntry, EvidenceLink, EvidenceStatus, EvidenceType
from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.frameworks.models import Framework
from academy.logs.models import ProtectedTimeLog, SupervisionSession
from academy.participants.models import AssignmentKind, Participant, ParticipantStatus, StatusEvent, StatusEventKind
from academy.participants.services import assign_staff
from academy.programmes.services import default_programme, ensure_default_programmes

START = date(2024, 9, 2)
TODAY = date(2026, 11, 1)  # the day the history is written up to
EVIDENCE_PLAN = [
    (EvidenceType.DIRECT_OBSERVATION, 3),
    (EvidenceType.FEEDBACK_PERSON, 3),
    (EvidenceType.FEEDBACK_PROFESSIONAL, 3),
    (EvidenceType.WRITTEN_REPORT, 3),
    (EvidenceType.LEARNING, 4),
]


@dataclass
class Staff:
    assessor: User
    line_manager: User
    mentor: User


_sequence = itertools.count(1)


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def make_person(role: str, name: str | None = None, *, password: str | None = None) -> User:
    """An account with one role (without a password nobody can sign in as it)."""
    n = next(_sequence)
    return create_user(f"year3-sample-{n}@example.org", name or f"Sample Person {n}", {Role(role)}, password=password)


def make_staff(*, password: str | None = None) -> Staff:
    return Staff(
        assessor=make_person("mentor", "Ada Assessor", password=password),
        line_manager=make_person("mentor", "Lee Linemanager", password=password),
        mentor=make_person("mentor", "Mo Mentor", password=password),
    )


def make_year3_cohort(name: str = "September 2024 intake") -> Cohort:
    """A cohort that started on START, assessed against every shipped framework."""
    ensure_default_programmes()
    load_shipped_frameworks()
    frameworks = list(db.session.scalars(sa.select(Framework).order_by(Framework.id)))
    return create_cohort(name, START, default_programme(), frameworks, actor=None)


def rated_elements(cohort: Cohort, year: int) -> list:
    elements = [e for f in cohort.frameworks for e in f.elements]
    return [e for e in elements if not e.level or (e.level == "social_worker") == (year > 1)]


def add_year3_history(participant: Participant, staff: Staff, *, rate_everything: bool = True) -> None:
    """Three years of reviews, ratings, evidence, supervision and protected time, and a confirmed PASS."""
    cohort = participant.cohort
    participant.status = ParticipantStatus.ACTIVE
    participant.programme_year = 3
    db.session.add_all(
        [
            StatusEvent(
                participant=participant,
                kind=StatusEventKind.YEAR_CHANGED,
                effective_on=date(2025, 10, 20),
                programme_year=2,
                actor_id=staff.assessor.id,
                reason="ASYE passed",
            ),
            StatusEvent(
                participant=participant,
                kind=StatusEventKind.YEAR_CHANGED,
                effective_on=date(2026, 9, 2),
                programme_year=3,
                actor_id=staff.assessor.id,
            ),
        ]
    )
    for milestone in participant.milestones:
        if milestone.kind.value == "panel" or milestone.due_date is None or milestone.due_date > TODAY:
            continue
        held = milestone.due_date - timedelta(days=3)
        db.session.add(
            Review(
                participant=participant,
                milestone=milestone,
                status=ReviewStatus.SIGNED,
                held_on=held,
                attendees=f"{participant.name}, {staff.assessor.name}, {staff.line_manager.name}",
                progress_summary=f"Summary of the {milestone.title.lower()}: steady progress in casework.",
                on_track=True,
                actions=f"Actions after the {milestone.title.lower()}: shadow a child protection conference.",
                interim_assessment="Practice is at the expected level for this point.",
                nqsw_comment="I agree with the summary.",
                recorded_by_id=staff.assessor.id,
                assessor_signed_by_id=staff.assessor.id,
                assessor_signed_at=at(held),
                nqsw_signed_at=at(held + timedelta(days=1)),
            )
        )
        milestone.completed_on = held
    for year in (1, 2, 3):
        rater = staff.assessor if year == 1 else staff.mentor
        elements = rated_elements(cohort, year)
        if not rate_everything and year == 3:
            elements = elements[:5]
        for i, element in enumerate(elements):
            db.session.add(
                Rating(
                    participant_id=participant.id,
                    element_id=element.id,
                    programme_year=year,
                    value=1,
                    rated_by_id=rater.id,
                    rated_at=at(START + timedelta(days=120 + 365 * (year - 1) + i)),
                )
            )
            db.session.add(
                Rating(
                    participant_id=participant.id,
                    element_id=element.id,
                    programme_year=year,
                    value=2 + (i % 2) * (year > 1),
                    rated_by_id=rater.id,
                    comment="Seen in observed practice.",
                    rated_at=at(START + timedelta(days=60 + 365 * (year - 1) + i)),
                )
            )
    first_element = cohort.frameworks[0].elements[0]
    day = START + timedelta(days=20)
    for evidence_type, count in EVIDENCE_PLAN:
        for n in range(count):
            entry = EvidenceEntry(
                participant=participant,
                type=evidence_type,
                title=f"{evidence_type.label} {n + 1}",
                activity_date=day,
                narrative="Anonymised account.",
                status=EvidenceStatus.ACCEPTED,
                anonymised_confirmed=True,
                author_id=participant.user_id,
                hours=Decimal(3) if n == 0 else None,
                submitted_at=at(day),
                decided_at=at(day + timedelta(days=5)),
                decided_by_id=staff.assessor.id,
            )
            entry.links.append(EvidenceLink(element_id=first_element.id, reason="Shows the element in practice."))
            db.session.add(entry)
            day += timedelta(days=17)
    for code in ("review_6m", "final_review"):
        db.session.add(
            EvidenceEntry(
                participant=participant,
                type=EvidenceType.CRITICAL_REFLECTION,
                title=f"Reflection {code}",
                activity_date=day,
                status=EvidenceStatus.ACCEPTED,
                anonymised_confirmed=True,
                author_id=participant.user_id,
                milestone_code=code,
            )
        )
    session_day = START
    while session_day < TODAY:
        db.session.add(
            SupervisionSession(
                participant_id=participant.id,
                held_on=session_day,
                supervisor_id=staff.line_manager.id,
                was_held=session_day.day % 5 != 0,
                duration_minutes=90,
                recorded_by_id=staff.line_manager.id,
            )
        )
        session_day += timedelta(days=7 if session_day < START + timedelta(weeks=6) else 28)
    log_day = START + timedelta(days=10)
    while log_day < TODAY:
        db.session.add(
            ProtectedTimeLog(
                participant_id=participant.id,
                taken_on=log_day,
                hours=Decimal("7.5"),
                activity="Reading and reflective writing",
                recorded_by_id=staff.line_manager.id,
            )
        )
        log_day += timedelta(days=30)
    db.session.add(
        Outcome(
            participant=participant,
            recommendation=Recommendation.PASS,
            narrative="Meets every PCF domain.",
            recommended_by_id=staff.assessor.id,
            recommended_at=at(date(2025, 8, 30)),
            status=OutcomeStatus.CONFIRMED,
            panel_date=date(2025, 10, 14),
            panel_chair_id=staff.line_manager.id,
            panel_reason="Portfolio complete; supervision regular.",
            decided_by_id=staff.line_manager.id,
            decided_at=at(date(2025, 10, 14)),
        )
    )
    db.session.flush()


def make_year3_participant(cohort: Cohort, staff: Staff, *, name: str | None = None, **kwargs) -> Participant:
    """A participant of `cohort` with their assessor, line manager and mentor, and three years of history."""
    participant = enrol_participant(
        cohort, make_person("nqsw", name), actor=None, team="Children in care", swe_number="SW123456", today=TODAY
    )
    for person, kind in ((staff.assessor, "assessor"), (staff.line_manager, "line_manager"), (staff.mentor, "mentor")):
        assign_staff(participant, person, AssignmentKind(kind), starts_on=participant.start_date, actor=None)
    add_year3_history(participant, staff, **kwargs)
    return participant
