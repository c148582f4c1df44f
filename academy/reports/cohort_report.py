"""A cohort's figures for the cohort report: counts, a chart and one row per participant."""

from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.assessment.models import Outcome, Rating, Review, ReviewStatus
from academy.cohorts.models import Cohort
from academy.core import dates
from academy.evidence.models import EvidenceEntry, EvidenceStatus, EvidenceType
from academy.extensions import db
from academy.logs.models import SupervisionSession
from academy.participants.models import Assignment, AssignmentKind, Milestone, Participant, ParticipantStatus
from academy.reports import charts
from academy.reports.records import MINIMUM_TYPES


@dataclass
class ParticipantRow:
    participant: Participant
    assessor: str
    accepted_evidence: int
    minimums_met: int
    meeting_or_above: int
    rated: int
    supervision_held: int
    overdue_reviews: int
    outcome: str


@dataclass
class CohortReport:
    cohort: Cohort
    rows: list[ParticipantRow]
    status_counts: list[tuple[str, int]]
    year_counts: list[tuple[int, int]]
    outcome_counts: list[tuple[str, int]]
    chart: str
    chart_table: list[tuple[str, int, int]]


def _outcome_text(outcome: Outcome | None) -> str:
    if outcome is None:
        return "None yet"
    text = f"{outcome.recommendation.value.upper()} recommended"
    if outcome.status.value == "confirmed":
        return f"{outcome.recommendation.value.upper()} confirmed"
    if outcome.status.value == "referred_back":
        return f"{text}, referred back"
    return f"{text}, awaiting panel"


def cohort_figures(cohort: Cohort) -> CohortReport:
    """The cohort report's content, from a fixed handful of grouped queries."""
    today = dates.today()
    settings = cohort.settings or {}
    threshold = settings.get("meeting_threshold", 2)
    minimum = settings.get("minimum_evidence", {})
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.cohort_id == cohort.id)
        .options(
            selectinload(Participant.user),
            selectinload(Participant.assignments).selectinload(Assignment.user),
        )
    ).all()
    participants = sorted(participants, key=lambda p: p.user.name.lower())
    ids = [p.id for p in participants]
    accepted: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for pid, etype, count in db.session.execute(
        sa.select(EvidenceEntry.participant_id, EvidenceEntry.type, sa.func.count())
        .where(EvidenceEntry.participant_id.in_(ids), EvidenceEntry.status == EvidenceStatus.ACCEPTED)
        .group_by(EvidenceEntry.participant_id, EvidenceEntry.type)
    ):
        accepted[pid][etype.value] = count
    latest: dict[tuple[int, int, int], int] = {}
    for pid, element_id, year, value in db.session.execute(
        sa.select(Rating.participant_id, Rating.element_id, Rating.programme_year, Rating.value)
        .where(Rating.participant_id.in_(ids))
        .order_by(Rating.id)
    ):
        latest[(pid, element_id, year)] = value
    supervision = dict(
        db.session.execute(
            sa.select(SupervisionSession.participant_id, sa.func.count())
            .where(SupervisionSession.participant_id.in_(ids), SupervisionSession.was_held.is_(True))
            .group_by(SupervisionSession.participant_id)
        ).all()
    )
    overdue = dict(
        db.session.execute(
            sa.select(Milestone.participant_id, sa.func.count())
            .outerjoin(Review, Review.milestone_id == Milestone.id)
            .where(
                Milestone.participant_id.in_(ids),
                Milestone.due_date < today,
                Milestone.completed_on.is_(None),
                Milestone.is_optional.is_(False),
                sa.or_(Review.id.is_(None), Review.status == ReviewStatus.DUE),
            )
            .group_by(Milestone.participant_id)
        ).all()
    )
    outcomes: dict[int, Outcome] = {}
    for outcome in db.session.scalars(sa.select(Outcome).where(Outcome.participant_id.in_(ids)).order_by(Outcome.id)):
        outcomes[outcome.participant_id] = outcome

    rows = []
    for p in participants:
        current = [v for (pid, _, year), v in latest.items() if pid == p.id and year == p.programme_year]
        assessor = next(
            (a.user.name for a in p.assignments if a.kind == AssignmentKind.ASSESSOR and a.is_current(today)), ""
        )
        rows.append(
            ParticipantRow(
                participant=p,
                assessor=assessor or "Not assigned",
                accepted_evidence=sum(accepted[p.id].values()),
                minimums_met=sum(1 for t in MINIMUM_TYPES if accepted[p.id][t] >= minimum.get(t, 0)),
                meeting_or_above=sum(1 for v in current if v >= threshold),
                rated=len(current),
                supervision_held=supervision.get(p.id, 0),
                overdue_reviews=overdue.get(p.id, 0),
                outcome=_outcome_text(outcomes.get(p.id)),
            )
        )
    statuses = Counter(p.status for p in participants)
    years = Counter(p.programme_year for p in participants)
    outcome_counts = Counter(row.outcome for row in rows)
    chart_table = []
    for evidence_type in MINIMUM_TYPES:
        met = sum(1 for r in rows if accepted[r.participant.id][evidence_type] >= minimum.get(evidence_type, 0))
        chart_table.append((EvidenceType(evidence_type).label, met, len(rows)))
    chart = charts.bar_chart(
        "Participants meeting each evidence minimum",
        [label for label, _, _ in chart_table],
        {"Minimum met": [met for _, met, _ in chart_table], "Participants": [total for _, _, total in chart_table]},
    )
    return CohortReport(
        cohort=cohort,
        rows=rows,
        status_counts=[(s.label, statuses[s]) for s in ParticipantStatus if statuses[s]],
        year_counts=sorted(years.items()),
        outcome_counts=sorted(outcome_counts.items()),
        chart=chart,
        chart_table=chart_table,
    )
