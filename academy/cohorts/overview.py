"""The cohort page's table: one row per participant, built in a fixed number of grouped queries.

Current rating = the latest Rating row per participant, element and programme year; evidence counts
come from EvidenceEntry grouped by participant. No query runs per row, however many participants.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from academy.accounts.models import User
from academy.assessment.models import Rating
from academy.cohorts.models import Cohort
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.extensions import db
from academy.frameworks.models import CohortFramework, FrameworkElement
from academy.participants.models import (
    Assignment,
    AssignmentKind,
    Milestone,
    Participant,
    ParticipantStatus,
    Pause,
)

SORTS = ("name", "team", "assessor", "status", "year", "due", "overdue", "evidence", "meeting")


@dataclass(frozen=True)
class Filters:
    status: str = ""
    team: str = ""
    assessor: str = ""  # a user id, or "none"
    year: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "name"
    direction: str = "asc"

    @classmethod
    def from_args(cls, args: Any) -> "Filters":
        sort = args.get("sort", "name")
        return cls(
            status=args.get("status", "") if args.get("status", "") in {s.value for s in ParticipantStatus} else "",
            team=args.get("team", "")[:200],
            assessor=args.get("assessor", "")
            if (args.get("assessor", "").isdigit() or args.get("assessor") == "none")
            else "",
            year=args.get("year", "") if args.get("year", "") in {"1", "2", "3"} else "",
            overdue=args.get("overdue") == "yes",
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "name",
            direction="desc" if args.get("direction") == "desc" else "asc",
        )

    def args(self, **changes: Any) -> dict[str, str]:
        """Query-string arguments for a link (sorting, export) keeping the current filters."""
        values = {**self.__dict__, **changes}
        values["overdue"] = "yes" if values["overdue"] else ""
        return {k: str(v) for k, v in values.items() if v not in ("", None, False)}


@dataclass
class Row:
    participant_id: int
    name: str
    email: str
    team: str
    status: ParticipantStatus
    programme_year: int
    assessor: str | None
    next_milestone: str | None
    next_due: date | None
    next_on_hold: bool
    overdue: int
    evidence_total: int
    evidence_accepted: int
    meeting: int
    rateable: int
    assessor_from: date | None = None  # when the assessor starts, if only a future one is assigned
    expected_return: date | None = None  # the expected end of an ongoing pause

    @property
    def meeting_share(self) -> float | None:
        return self.meeting / self.rateable if self.rateable else None


def rateable_elements(cohort: Cohort) -> dict[int, int]:
    """Per programme year, how many elements of the cohort's frameworks can be rated.

    Leaf elements count; a levelled element counts in the years of its level (PCF "asye" in year 1,
    "social_worker" in years 2 and 3).
    """
    child = aliased(FrameworkElement)
    rows = db.session.execute(
        sa.select(FrameworkElement.level, sa.func.count(FrameworkElement.id))
        .join(CohortFramework, CohortFramework.framework_id == FrameworkElement.framework_id)
        .where(CohortFramework.cohort_id == cohort.id, ~sa.exists().where(child.parent_id == FrameworkElement.id))
        .group_by(FrameworkElement.level)
    ).all()
    by_level = dict(rows)
    unlevelled = by_level.get(None, 0)
    return {
        1: unlevelled + by_level.get("asye", 0),
        2: unlevelled + by_level.get("social_worker", 0),
        3: unlevelled + by_level.get("social_worker", 0),
    }


def _subqueries(cohort: Cohort, today: date) -> dict[str, Any]:
    in_cohort = sa.select(Participant.id).where(Participant.cohort_id == cohort.id).scalar_subquery()
    assessor_user = aliased(User)
    assessor = (
        sa.select(
            Assignment.participant_id,
            sa.func.min(assessor_user.name).label("name"),
            sa.func.min(Assignment.user_id).label("user_id"),
        )
        .join(assessor_user, assessor_user.id == Assignment.user_id)
        .where(
            Assignment.kind == AssignmentKind.ASSESSOR,
            Assignment.participant_id.in_(in_cohort),
            Assignment.starts_on <= today,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= today),
        )
        .group_by(Assignment.participant_id)
        .subquery("assessor")
    )
    ranked = (
        sa.select(
            Milestone.participant_id,
            Milestone.title,
            Milestone.due_date,
            sa.func.row_number()
            .over(partition_by=Milestone.participant_id, order_by=(Milestone.months_due, Milestone.id))
            .label("rank"),
        )
        .where(Milestone.completed_on.is_(None), Milestone.participant_id.in_(in_cohort))
        .subquery("ranked")
    )
    upcoming = (
        sa.select(ranked.c.participant_id, ranked.c.title, ranked.c.due_date)
        .where(ranked.c.rank == 1)
        .subquery("upcoming")
    )
    overdue = (
        sa.select(Milestone.participant_id, sa.func.count(Milestone.id).label("n"))
        .where(
            Milestone.participant_id.in_(in_cohort),
            Milestone.completed_on.is_(None),
            Milestone.is_optional.is_(False),
            Milestone.due_date < today,
        )
        .group_by(Milestone.participant_id)
        .subquery("overdue")
    )
    evidence = (
        sa.select(
            EvidenceEntry.participant_id,
            sa.func.count(EvidenceEntry.id).label("total"),
            sa.func.count(EvidenceEntry.id).filter(EvidenceEntry.status == EvidenceStatus.ACCEPTED).label("accepted"),
        )
        .where(EvidenceEntry.participant_id.in_(in_cohort), EvidenceEntry.status != EvidenceStatus.DRAFT)
        .group_by(EvidenceEntry.participant_id)
        .subquery("evidence")
    )
    # Only the elements of the versions the cohort uses now: a moved cohort's old rows stay in the log.
    in_frameworks = (
        sa.select(FrameworkElement.id)
        .join(CohortFramework, CohortFramework.framework_id == FrameworkElement.framework_id)
        .where(CohortFramework.cohort_id == cohort.id)
        .scalar_subquery()
    )
    latest = (
        sa.select(sa.func.max(Rating.id).label("id"))
        .where(Rating.participant_id.in_(in_cohort), Rating.element_id.in_(in_frameworks))
        .group_by(Rating.participant_id, Rating.element_id, Rating.programme_year)
        .subquery("latest")
    )
    threshold = int(cohort.settings.get("meeting_threshold", 2))
    meeting = (
        sa.select(Rating.participant_id, Rating.programme_year, sa.func.count(Rating.id).label("n"))
        .join(latest, latest.c.id == Rating.id)
        .where(Rating.value >= threshold)
        .group_by(Rating.participant_id, Rating.programme_year)
        .subquery("meeting")
    )
    return {"assessor": assessor, "upcoming": upcoming, "overdue": overdue, "evidence": evidence, "meeting": meeting}


def cohort_rows(cohort: Cohort, filters: Filters, today: date) -> list[Row]:
    """The participants of `cohort` that match `filters`, sorted, with everything the table shows."""
    sub = _subqueries(cohort, today)
    rateable = rateable_elements(cohort)
    person = aliased(User)
    meeting_n = sa.func.coalesce(sub["meeting"].c.n, 0)
    denominator = sa.case(*((Participant.programme_year == y, n) for y, n in rateable.items()), else_=0)
    share = sa.case((denominator > 0, sa.cast(meeting_n, sa.Float) / denominator), else_=None)
    evidence_total = sa.func.coalesce(sub["evidence"].c.total, 0)
    overdue_n = sa.func.coalesce(sub["overdue"].c.n, 0)
    query = (
        sa.select(
            Participant.id,
            person.name,
            person.email,
            Participant.team,
            Participant.status,
            Participant.programme_year,
            sub["assessor"].c.name,
            sub["upcoming"].c.title,
            sub["upcoming"].c.due_date,
            overdue_n,
            evidence_total,
            sa.func.coalesce(sub["evidence"].c.accepted, 0),
            meeting_n,
        )
        .join(person, person.id == Participant.user_id)
        .outerjoin(sub["assessor"], sub["assessor"].c.participant_id == Participant.id)
        .outerjoin(sub["upcoming"], sub["upcoming"].c.participant_id == Participant.id)
        .outerjoin(sub["overdue"], sub["overdue"].c.participant_id == Participant.id)
        .outerjoin(sub["evidence"], sub["evidence"].c.participant_id == Participant.id)
        .outerjoin(
            sub["meeting"],
            sa.and_(
                sub["meeting"].c.participant_id == Participant.id,
                sub["meeting"].c.programme_year == Participant.programme_year,
            ),
        )
        .where(Participant.cohort_id == cohort.id)
    )
    if filters.status:
        query = query.where(Participant.status == ParticipantStatus(filters.status))
    if filters.team:
        query = query.where(Participant.team == filters.team)
    if filters.assessor == "none":
        query = query.where(sub["assessor"].c.user_id.is_(None))
    elif filters.assessor:
        query = query.where(sub["assessor"].c.user_id == int(filters.assessor))
    if filters.year:
        query = query.where(Participant.programme_year == int(filters.year))
    if filters.overdue:
        query = query.where(overdue_n > 0)
    if filters.q:
        query = query.where(sa.or_(person.name.ilike(f"%{filters.q}%"), person.email.ilike(f"%{filters.q}%")))
    keys = {
        "name": person.name,
        "team": Participant.team,
        "assessor": sub["assessor"].c.name,
        "status": Participant.status,
        "year": Participant.programme_year,
        "due": sub["upcoming"].c.due_date,
        "overdue": overdue_n,
        "evidence": evidence_total,
        "meeting": share,
    }
    key = keys[filters.sort]
    ordered = key.desc() if filters.direction == "desc" else key.asc()
    query = query.order_by(ordered.nulls_last(), person.name, Participant.id)
    rows = []
    for r in db.session.execute(query):
        status = ParticipantStatus(r[4])
        rows.append(
            Row(
                participant_id=r[0],
                name=r[1],
                email=r[2],
                team=r[3],
                status=status,
                programme_year=r[5],
                assessor=r[6],
                next_milestone=r[7] if status.is_current else None,
                next_due=r[8] if status.is_current else None,
                next_on_hold=status.is_current and r[7] is not None and r[8] is None,
                overdue=r[9] if status.is_current else 0,
                evidence_total=r[10],
                evidence_accepted=r[11],
                meeting=r[12],
                rateable=rateable.get(r[5], 0),
            )
        )
    _add_future_assessors_and_returns(rows, today)
    return rows


def _add_future_assessors_and_returns(rows: list[Row], today: date) -> None:
    """An assessor assigned from a later date, and a pause's expected return, in two more queries."""
    by_id = {row.participant_id: row for row in rows}
    waiting = [row.participant_id for row in rows if row.assessor is None]
    if waiting:
        future = db.session.execute(
            sa.select(Assignment.participant_id, Assignment.starts_on, User.name)
            .join(User, User.id == Assignment.user_id)
            .where(
                Assignment.participant_id.in_(waiting),
                Assignment.kind == AssignmentKind.ASSESSOR,
                Assignment.starts_on > today,
            )
            .order_by(Assignment.starts_on.desc())  # the earliest is set last
        )
        for participant_id, starts_on, name in future:
            by_id[participant_id].assessor, by_id[participant_id].assessor_from = name, starts_on
    paused = [row.participant_id for row in rows if row.status == ParticipantStatus.PAUSED]
    if paused:
        pauses = db.session.execute(
            sa.select(Pause.participant_id, Pause.expected_end).where(
                Pause.participant_id.in_(paused), Pause.ended_on.is_(None)
            )
        )
        for participant_id, expected_end in pauses:
            by_id[participant_id].expected_return = expected_end


def filter_choices(cohort: Cohort, today: date) -> dict[str, list[tuple[str, str]]]:
    """Options for the filter form: the cohort's teams and current assessors (two queries)."""
    teams = db.session.scalars(
        sa.select(Participant.team)
        .where(Participant.cohort_id == cohort.id, Participant.team != "")
        .distinct()
        .order_by(Participant.team)
    ).all()
    assessors = db.session.execute(
        sa.select(User.id, User.name)
        .join(Assignment, Assignment.user_id == User.id)
        .join(Participant, Participant.id == Assignment.participant_id)
        .where(
            Participant.cohort_id == cohort.id,
            Assignment.kind == AssignmentKind.ASSESSOR,
            Assignment.starts_on <= today,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= today),
        )
        .distinct()
        .order_by(User.name)
    ).all()
    return {"teams": [(t, t) for t in teams], "assessors": [(str(i), n) for i, n in assessors]}
