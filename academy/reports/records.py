"""The content of one participant's progression record, loaded in one fixed set of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.accounts.models import Role, User, UserRole
from academy.assessment.models import Outcome, Rating, Review
from academy.assessment.services.ratings import element_name
from academy.cohorts.models import Cohort
from academy.core import dates
from academy.evidence.models import EvidenceEntry, EvidenceStatus, EvidenceType
from academy.evidence.progress import evidence_progress
from academy.extensions import db
from academy.frameworks.models import CohortFramework, Framework, FrameworkElement
from academy.logs.models import ProtectedTimeLog, SupervisionSession
from academy.participants.models import Assignment, AssignmentKind, Milestone, Participant
from academy.reports import charts

MINIMUM_TYPES = ("direct_observation", "feedback_person_using_services", "feedback_professional", "written_report")


@dataclass
class CompetencyRow:
    element: FrameworkElement
    depth: int
    rating_label: str | None = None
    rated_by: str = ""
    rated_at: Any = None
    comment: str = ""


@dataclass
class CompetencyTable:
    framework: Framework
    programme_year: int
    rows: list[CompetencyRow]


@dataclass
class ReviewItem:
    milestone: Milestone
    review: Review | None
    signed_by: str = ""


@dataclass
class ProgressionRecord:
    participant: Participant
    cohort: Cohort
    assessor: str
    line_manager: str
    mentor: str
    coordinators: str
    frameworks: list[Framework]
    agreement: ReviewItem | None
    year1_reviews: list[ReviewItem]
    later_reviews: list[ReviewItem]
    competency_tables: list[CompetencyTable]
    evidence_minimums: list[dict]
    reflections: list[dict]
    evidence: list[EvidenceEntry]
    supervision: dict
    protected_time: dict
    status_events: list
    outcomes: list[Outcome]
    users: dict[int, str]
    element_numbers: dict[int, str] = field(default_factory=dict)
    chart_svg: str = ""
    rating_labels: list[str] = field(default_factory=list)


def _load_participant(participant_id: int) -> Participant:
    return db.session.scalars(
        sa.select(Participant)
        .where(Participant.id == participant_id)
        .options(
            selectinload(Participant.user),
            selectinload(Participant.cohort)
            .selectinload(Cohort.framework_links)
            .selectinload(CohortFramework.framework)
            .selectinload(Framework.elements),
            selectinload(Participant.assignments).selectinload(Assignment.user),
            selectinload(Participant.milestones),
            selectinload(Participant.status_events),
        )
    ).one()


def _names(ids: set[int]) -> dict[int, str]:
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def _current_holder(participant: Participant, kind: AssignmentKind, on: date) -> str:
    current = [a for a in participant.assignments if a.kind == kind and a.is_current(on)]
    if current:
        return current[-1].user.name
    past = [a for a in participant.assignments if a.kind == kind and a.starts_on <= on]
    return f"{past[-1].user.name} (until {past[-1].ends_on:%d/%m/%Y})" if past else "Not assigned"


def _element_depths(elements: list[FrameworkElement]) -> list[tuple[FrameworkElement, int]]:
    """Elements in tree order with their depth (domain 0, statement 1, indicator 2)."""
    by_parent: dict[int | None, list[FrameworkElement]] = {}
    for element in elements:
        by_parent.setdefault(element.parent_id, []).append(element)
    ordered: list[tuple[FrameworkElement, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for element in sorted(by_parent.get(parent_id, []), key=lambda e: e.sort_order):
            ordered.append((element, depth))
            walk(element.id, depth + 1)

    walk(None, 0)
    return ordered


def _competency_tables(record_frameworks, ratings, scale, names, years) -> list[CompetencyTable]:
    latest: dict[tuple[int, int], Rating] = {}
    for rating in ratings:  # ordered by id: the last row per element and year is the current rating
        latest[(rating.element_id, rating.programme_year)] = rating
    tables = []
    for year in years:
        for framework in record_frameworks:
            rows = []
            for element, depth in _element_depths(framework.elements):
                if element.level and (element.level == "social_worker") != (year > 1):
                    continue  # PCF: ASYE level in year 1, social worker level in years 2-3
                row = CompetencyRow(element=element, depth=depth)
                current = latest.get((element.id, year))
                if current is not None:
                    row.rating_label = scale.get(current.value, str(current.value))
                    row.rated_by = names.get(current.rated_by_id, "")
                    row.rated_at = current.rated_at
                    row.comment = current.comment
                rows.append(row)
            tables.append(CompetencyTable(framework=framework, programme_year=year, rows=rows))
    return tables


def _supervision_summary(sessions: list[SupervisionSession], names: dict[int, str]) -> dict:
    held = [s for s in sessions if s.was_held]
    minutes = sum(s.duration_minutes or 0 for s in held)
    return {
        "sessions": sessions,
        "held": len(held),
        "cancelled": len(sessions) - len(held),
        "hours": Decimal(minutes) / 60,
        "last": held[-1].held_on if held else None,
        "names": names,
    }


def _protected_time_summary(logs: list[ProtectedTimeLog], participant: Participant, settings: dict, on: date) -> dict:
    share = Decimal(str(settings.get("protected_time_share", 0.10)))
    weekly = Decimal(str(settings.get("contracted_hours_per_week", 37)))
    end = min(on, participant.ended_on or on)
    weeks = Decimal(max((end - participant.start_date).days, 0)) / 7
    expected = (weeks * weekly * Decimal(participant.fte) * share).quantize(Decimal("0.1"))
    taken = sum((log.hours for log in logs), Decimal(0))
    return {"logs": logs, "taken": taken, "expected": expected, "share_percent": int(share * 100)}


def _evidence_minimums(entries: list[EvidenceEntry], settings: dict) -> tuple[list[dict], list[dict]]:
    accepted = [e for e in entries if e.status == EvidenceStatus.ACCEPTED]
    counts = Counter(e.type.value for e in accepted)
    all_counts = Counter(e.type.value for e in entries)
    minimum = settings.get("minimum_evidence", {})
    rows = []
    for evidence_type in EvidenceType:
        required = minimum.get(evidence_type.value) if evidence_type.value in MINIMUM_TYPES else None
        rows.append(
            {
                "label": evidence_type.label,
                "accepted": counts[evidence_type.value],
                "recorded": all_counts[evidence_type.value],
                "minimum": required,
                "met": None if required is None else counts[evidence_type.value] >= required,
            }
        )
    reflected = {e.milestone_code for e in accepted if e.type == EvidenceType.CRITICAL_REFLECTION}
    reflections = [
        {"milestone": code, "met": code in reflected} for code in minimum.get("critical_reflection_milestones", [])
    ]
    return rows, reflections


def _self_assessment_minimum(rows: list[dict], participant: Participant) -> None:
    """The self-assessment row counts the points saved against the points required, as the NQSW's home does."""
    points = [item for item in evidence_progress(participant) if item.key.startswith("self_assessment:")]
    for row in rows:
        if row["label"] == EvidenceType.SELF_ASSESSMENT.label and points:
            row["accepted"] = row["recorded"] = sum(item.met for item in points)
            row["minimum"] = sum(item.required for item in points)
            row["met"] = all(item.complete for item in points)


def load_progression_record(participant_id: int, on: date | None = None) -> ProgressionRecord:
    """Everything the progression record shows, in a fixed number of queries whatever its length."""
    on = on or dates.today()
    participant = _load_participant(participant_id)
    cohort = participant.cohort
    settings = cohort.settings or {}
    pid = participant.id
    reviews = {
        r.milestone_id: r for r in db.session.scalars(sa.select(Review).where(Review.participant_id == pid)).all()
    }
    ratings = db.session.scalars(sa.select(Rating).where(Rating.participant_id == pid).order_by(Rating.id)).all()
    entries = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(EvidenceEntry.participant_id == pid, EvidenceEntry.status != EvidenceStatus.DRAFT)
        .options(selectinload(EvidenceEntry.links))
        .order_by(EvidenceEntry.activity_date, EvidenceEntry.id)
    ).all()
    sessions = db.session.scalars(
        sa.select(SupervisionSession)
        .where(SupervisionSession.participant_id == pid)
        .order_by(SupervisionSession.held_on, SupervisionSession.id)
    ).all()
    logs = db.session.scalars(
        sa.select(ProtectedTimeLog)
        .where(ProtectedTimeLog.participant_id == pid)
        .order_by(ProtectedTimeLog.taken_on, ProtectedTimeLog.id)
    ).all()
    outcomes = db.session.scalars(sa.select(Outcome).where(Outcome.participant_id == pid).order_by(Outcome.id)).all()
    coordinators = db.session.scalars(
        sa.select(User.name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.COORDINATOR, User.active.is_(True))
        .order_by(User.name)
    ).all()
    user_ids = {r.rated_by_id for r in ratings} | {s.supervisor_id for s in sessions}
    user_ids |= {e.actor_id for e in participant.status_events}
    user_ids |= {r.assessor_signed_by_id for r in reviews.values()}
    for outcome in outcomes:
        user_ids |= {outcome.recommended_by_id, outcome.panel_chair_id, outcome.decided_by_id}
    names = _names({user_id for user_id in user_ids if user_id is not None})

    scale = {item["value"]: item["label"] for item in settings.get("rating_scale", [])}
    frameworks = [link.framework for link in cohort.framework_links]
    years = sorted({1, *range(1, participant.programme_year + 1), *(r.programme_year for r in ratings)})
    items = [
        ReviewItem(
            m, reviews.get(m.id), names.get(reviews[m.id].assessor_signed_by_id or 0, "") if m.id in reviews else ""
        )
        for m in participant.milestones
        if m.kind.value != "panel"
    ]
    minimums, reflections = _evidence_minimums(list(entries), settings)
    _self_assessment_minimum(minimums, participant)
    tables = _competency_tables(frameworks, ratings, scale, names, years)
    return ProgressionRecord(
        participant=participant,
        cohort=cohort,
        assessor=_current_holder(participant, AssignmentKind.ASSESSOR, on),
        line_manager=_current_holder(participant, AssignmentKind.LINE_MANAGER, on),
        mentor=_current_holder(participant, AssignmentKind.MENTOR, on),
        coordinators=", ".join(coordinators) or "Not recorded",
        frameworks=frameworks,
        agreement=next((i for i in items if i.milestone.code == "agreement"), None),
        year1_reviews=[i for i in items if i.milestone.programme_year == 1 and i.milestone.code != "agreement"],
        later_reviews=[i for i in items if i.milestone.programme_year > 1],
        competency_tables=tables,
        evidence_minimums=minimums,
        reflections=reflections,
        evidence=list(entries),
        supervision=_supervision_summary(list(sessions), names),
        protected_time=_protected_time_summary(list(logs), participant, settings, on),
        status_events=list(participant.status_events),
        outcomes=list(outcomes),
        users=names,
        element_numbers={e.id: element_name(e) for f in frameworks for e in f.elements},
        chart_svg=charts.ratings_chart(tables, [scale[k] for k in sorted(scale)]),
        rating_labels=[scale[k] for k in sorted(scale)],
    )
