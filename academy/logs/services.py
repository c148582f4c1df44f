"""Portfolio logs: protected time, caseload snapshots, supervision sessions, self-assessment, CPD CSV."""

from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.errors import DomainError, NotAllowed
from academy.extensions import db
from academy.frameworks.models import FrameworkElement
from academy.logs.models import (
    CaseloadSnapshot,
    ProtectedTimeLog,
    SelfAssessment,
    SelfAssessmentPoint,
    SupervisionSession,
)
from academy.logs.policies import can_log_protected_time, can_record_caseload, can_record_supervision, can_self_assess
from academy.participants.models import Participant

SUPERVISION_KINDS = [
    ("reflective", "Reflective supervision"),
    ("case", "Case supervision"),
    ("group", "Group supervision"),
]
SELF_ASSESSMENT_SCALE = [
    (1, "Not yet confident"),
    (2, "Developing confidence"),
    (3, "Confident"),
    (4, "Very confident"),
]


def _check_date(value: date | None, field: str, participant: Participant) -> date:
    if value is None:
        raise DomainError("Enter a date.", field=field)
    if value > dates.today():
        raise DomainError("The date must be today or in the past.", field=field)
    if value < participant.start_date:
        raise DomainError("The date must be on or after the start of the programme.", field=field)
    return value


def record_protected_time(participant: Participant, *, by: User, taken_on, hours, activity: str) -> ProtectedTimeLog:
    if not can_log_protected_time(by, participant):
        raise NotAllowed("Only the NQSW logs their protected development time.")
    taken_on = _check_date(taken_on, "taken_on", participant)
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        raise DomainError("Enter the hours as a number, for example 3.5.", field="hours") from None
    if not Decimal("0.25") <= hours <= Decimal("24"):
        raise DomainError("Hours must be between 0.25 and 24.", field="hours")
    activity = " ".join((activity or "").split())
    if not activity:
        raise DomainError("Say what you did with the time.", field="activity")
    if len(activity) > 300:
        raise DomainError("Keep the activity to 300 characters or fewer.", field="activity")
    log = ProtectedTimeLog(
        participant_id=participant.id, taken_on=taken_on, hours=hours, activity=activity, recorded_by_id=by.id
    )
    db.session.add(log)
    record_audit(by, "protected_time.logged", log, summary=f"{hours} h protected time on {taken_on.isoformat()}")
    return log


def record_caseload(participant: Participant, *, by: User, taken_on, cases) -> CaseloadSnapshot:
    if not can_record_caseload(by, participant):
        raise NotAllowed("Only the NQSW or their line manager records caseloads.")
    taken_on = _check_date(taken_on, "taken_on", participant)
    if cases is None or not 0 <= int(cases) <= 200:
        raise DomainError("Enter the number of cases held, from 0 to 200.", field="cases")
    snapshot = CaseloadSnapshot(
        participant_id=participant.id, taken_on=taken_on, cases=int(cases), recorded_by_id=by.id
    )
    db.session.add(snapshot)
    record_audit(by, "caseload.recorded", snapshot, summary=f"{cases} cases on {taken_on.isoformat()}")
    return snapshot


def record_supervision(
    participant: Participant,
    *,
    by: User,
    held_on,
    kind: str,
    was_held: bool = True,
    duration_minutes: int | None = None,
    supervisor: User | None = None,
) -> SupervisionSession:
    if not can_record_supervision(by, participant):
        raise NotAllowed("Only the NQSW's line manager or assessor records supervision.")
    held_on = _check_date(held_on, "held_on", participant)
    if kind not in {code for code, _ in SUPERVISION_KINDS}:
        raise DomainError("Choose the kind of supervision.", field="kind")
    if duration_minutes is not None and not 5 <= int(duration_minutes) <= 480:
        raise DomainError("The length must be between 5 and 480 minutes.", field="duration_minutes")
    session = SupervisionSession(
        participant_id=participant.id,
        held_on=held_on,
        kind=kind,
        was_held=bool(was_held),
        duration_minutes=duration_minutes if was_held else None,
        supervisor_id=(supervisor or by).id,
        recorded_by_id=by.id,
    )
    db.session.add(session)
    state = "held" if was_held else "cancelled"
    record_audit(by, "supervision.recorded", session, summary=f"Supervision {state} on {held_on.isoformat()}")
    return session


def self_assessment_elements(participant: Participant) -> list[FrameworkElement]:
    """The elements an NQSW rates themself against: the top level of each of the cohort's frameworks."""
    return [el for fw in participant.cohort.frameworks for el in fw.elements if el.parent_id is None]


def open_points(participant: Participant) -> list[SelfAssessmentPoint]:
    """Start, middle and end of year 1, then once in each later year reached."""
    points = [SelfAssessmentPoint.START, SelfAssessmentPoint.MIDDLE, SelfAssessmentPoint.END]
    if participant.programme_year >= 2:
        points.append(SelfAssessmentPoint.YEAR2)
    if participant.programme_year >= 3:
        points.append(SelfAssessmentPoint.YEAR3)
    return points


def save_self_assessment(
    participant: Participant, *, by: User, point: SelfAssessmentPoint, values: dict[int, int], comments: dict[int, str]
) -> list[SelfAssessment]:
    """Record (or replace) the NQSW's own rating of every element at one point. Never an assessor rating."""
    if not can_self_assess(by, participant):
        raise NotAllowed("Only the NQSW completes their self-assessment.")
    point = SelfAssessmentPoint(point)
    if point not in open_points(participant):
        raise DomainError("That self-assessment point is not open yet.", field="point")
    allowed = {value for value, _ in SELF_ASSESSMENT_SCALE}
    elements = self_assessment_elements(participant)
    for element in elements:
        if values.get(element.id) not in allowed:
            raise DomainError(f"Choose how confident you feel about {element.label}.", field=f"element_{element.id}")
    existing = {
        row.element_id: row
        for row in db.session.scalars(
            sa.select(SelfAssessment).where(
                SelfAssessment.participant_id == participant.id, SelfAssessment.point == point
            )
        )
    }
    before = {str(k): v.value for k, v in existing.items()} or None
    rows = []
    for element in elements:
        row = existing.get(element.id) or SelfAssessment(
            participant_id=participant.id, element_id=element.id, point=point
        )
        row.value = values[element.id]
        row.comment = (comments.get(element.id) or "").strip()[:2000]
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    record_audit(
        by,
        "self_assessment.saved",
        participant,
        summary=f"Self-assessment at the {point.value} point",
        before=before,
        after={str(r.element_id): r.value for r in rows},
    )
    return rows
