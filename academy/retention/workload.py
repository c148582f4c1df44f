"""Workload and ASYE figures: caseload against target, ASYE outcomes, supervision, protected time."""

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any, cast

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy.orm import aliased

from academy.accounts.models import User
from academy.assessment.models import Outcome, OutcomeStatus, Recommendation
from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SupervisionSession
from academy.participants.models import Assignment, AssignmentKind, Milestone, Participant, Pause
from academy.programmes.defaults import default_settings
from academy.programmes.models import ServiceArea
from academy.programmes.supervision import due_dates
from academy.retention.metrics import rate
from academy.retention.scope import (
    Scope,
    cohorts_in_scope,
    enrolment_groups,
    first_leaving,
    in_post_on,
    months_between,
)
from academy.retention.sqlfunc import add_months, as_date, days_between, year_month

DEFAULTS = default_settings(ServiceArea.CHILD_FAMILY)
DAYS_PER_MONTH = 365.25 / 12


def setting(settings: dict[str, Any], key: str) -> Any:
    return settings.get(key, DEFAULTS[key])


def cohort_settings(scope: Scope) -> dict[int, tuple[str, dict[str, Any]]]:
    """The cohorts in scope: id -> (name, settings). Cohorts are few; their settings are JSON."""
    return cohorts_in_scope(scope)


def caseload_by_month(scope: Scope) -> list[tuple[str, float, int]]:
    """Per month of the period: (YYYY-MM, average cases per snapshot of a case holder, snapshots)."""
    month = year_month(CaseloadSnapshot.taken_on).label("month")
    query = (
        sa.select(month, sa.func.avg(CaseloadSnapshot.cases), sa.func.count(CaseloadSnapshot.id))
        .where(CaseloadSnapshot.taken_on.between(scope.period_start, scope.period_end), CaseloadSnapshot.cases > 0)
        .group_by(month)
        .order_by(month)
    )
    if scope.conditions():  # the whole academy needs no join
        query = query.join(Participant, Participant.id == CaseloadSnapshot.participant_id).where(*scope.conditions())
    return [(m, round(float(avg), 1), int(n)) for m, avg, n in db.session.execute(query)]


def average_caseload(scope: Scope) -> tuple[float | None, int]:
    """Over the whole period: (average cases per snapshot of a case holder, snapshots)."""
    query = sa.select(sa.func.avg(CaseloadSnapshot.cases), sa.func.count(CaseloadSnapshot.id)).where(
        CaseloadSnapshot.taken_on.between(scope.period_start, scope.period_end), CaseloadSnapshot.cases > 0
    )
    if scope.conditions():
        query = query.join(Participant, Participant.id == CaseloadSnapshot.participant_id).where(*scope.conditions())
    avg, n = db.session.execute(query).one()
    return (None if avg is None else round(float(avg), 1)), int(n)


def caseload_targets(scope: Scope) -> list[int]:
    """The distinct reduced-caseload targets of the cohorts in scope."""
    return sorted({int(setting(s, "caseload_target")) for _, s in cohort_settings(scope).values()})


@dataclass
class AsyeRow:
    cohort: str
    eligible: int = 0
    completed: int = 0
    passed: int = 0
    extended: int = 0
    days_to_pass: float = 0.0

    @property
    def completion_rate(self) -> float | None:
        return rate(self.completed, self.eligible)

    @property
    def pass_rate(self) -> float | None:
        return rate(self.passed, self.completed)

    @property
    def extension_rate(self) -> float | None:
        return rate(self.extended, self.eligible)

    @property
    def months_to_pass(self) -> float | None:
        return round(self.days_to_pass / self.passed / DAYS_PER_MONTH, 1) if self.passed else None


def asye(scope: Scope) -> list[AsyeRow]:
    """Per cohort and in total: ASYE completion, pass and extension rates and months to a pass."""
    decided_on = sa.func.coalesce(Outcome.panel_date, as_date(Outcome.decided_at))
    outcome = (
        sa.select(
            Outcome.participant_id,
            sa.func.max(sa.case((Outcome.recommendation == Recommendation.PASS, 1), else_=0)).label("passed"),
            sa.func.min(decided_on).label("decided_on"),
        )
        .where(Outcome.status == OutcomeStatus.CONFIRMED, decided_on <= scope.as_of)
        .group_by(Outcome.participant_id)
        .subquery("confirmed")
    )
    final = aliased(Milestone)
    passed = outcome.c.passed == 1
    # Grouped by cohort and start date: eligibility (12 whole months from start) is then one test per
    # group, made below in Python with the same month arithmetic as the other figures.
    query = (
        sa.select(
            Participant.cohort_id,
            Participant.start_date,
            sa.func.count(Participant.id),
            sa.func.count(outcome.c.participant_id),
            sa.func.sum(sa.case((passed, 1), else_=0)),
            sa.func.sum(sa.case((final.due_date > add_months(Participant.start_date, 12), 1), else_=0)),
            sa.func.sum(sa.case((passed, days_between(Participant.start_date, outcome.c.decided_on)), else_=0)),
        )
        .outerjoin(outcome, outcome.c.participant_id == Participant.id)
        .outerjoin(final, sa.and_(final.participant_id == Participant.id, final.code == "final_review"))
        .where(Participant.start_date <= scope.as_of, *scope.conditions())
        .group_by(Participant.cohort_id, Participant.start_date)
    )
    by_cohort: dict[int, AsyeRow] = {}
    for cohort_id, start, n, done, ok, ext, days in db.session.execute(query):
        if months_between(start, scope.as_of) < 12:
            continue
        row = by_cohort.setdefault(cohort_id, AsyeRow(""))
        row.eligible += int(n)
        row.completed += int(done)
        row.passed += int(ok or 0)
        row.extended += int(ext or 0)
        row.days_to_pass += float(days or 0)
    rows = []
    for cohort_id, (name, _) in cohorts_in_scope(scope).items():
        if cohort_id in by_cohort:
            by_cohort[cohort_id].cohort = name
            rows.append(by_cohort[cohort_id])
    total = AsyeRow("All cohorts")
    for row in rows:
        total.eligible += row.eligible
        total.completed += row.completed
        total.passed += row.passed
        total.extended += row.extended
        total.days_to_pass += row.days_to_pass
    return [*rows, total]


def sessions_due(schedule: list[dict[str, Any]], start: date, first: date, last: date) -> int:
    """How many supervision sessions fall due from `first` to `last` for someone who started on `start`."""
    shortens = any(int(a["interval_days"]) > int(b["interval_days"]) for a, b in pairwise(schedule))
    if shortens or last > start + relativedelta(years=DUE_DATE_YEARS):
        return sum(1 for day in due_dates(schedule, start, last) if day >= first)
    # Intervals that never shorten: the due dates up to any day are a prefix of one long list, worked
    # out once per start date (people of a cohort share one) and counted by bisection.
    days = _due_dates(json.dumps(schedule, sort_keys=True), start)
    return max(0, bisect_right(days, last) - bisect_left(days, first))


@lru_cache(maxsize=1024)
def _due_dates(schedule_json: str, start: date) -> tuple[date, ...]:
    return tuple(due_dates(json.loads(schedule_json), start, start + relativedelta(years=DUE_DATE_YEARS)))


DUE_DATE_YEARS = 10  # beyond any programme; later days fall back to the step-by-step count


def _time_in_post(scope: Scope, start: date, left_on: date | None) -> tuple[date, date]:
    """The first and last day of an enrolment's time in post within the period (last < first: none)."""
    return max(start, scope.period_start), min(left_on or scope.as_of, scope.as_of)


def _hours_earned(settings: dict[str, Any], fte: Decimal | None, first: date, last: date) -> float:
    """Protected development hours earned at `fte` on the days from `first` to `last`, both included."""
    weekly = float(setting(settings, "protected_time_share")) * float(setting(settings, "contracted_hours_per_week"))
    return weekly * float(fte or Decimal(0)) * ((last - first).days + 1) / 7


def _paused_time(
    scope: Scope, left: sa.Subquery, cohorts: dict[int, tuple[str, dict[str, Any]]]
) -> list[tuple[int, int, int, float]]:
    """Per pause within the period: (enrolment, cohort, supervision sessions due, protected hours earned)
    while paused.

    A paused day expects no supervision and earns no protected time, as on the NQSW's own page, so
    these come off the counts of their enrolment's whole time in post. Pauses are few, so one query
    fetches them all and each is worked out on its own.
    """
    query = (
        sa.select(
            Participant.id,
            Participant.cohort_id,
            Participant.start_date,
            left.c.left_on,
            Participant.fte,
            Pause.starts_on,
            Pause.ended_on,
        )
        .join(Participant, Participant.id == Pause.participant_id)
        .outerjoin(left, left.c.participant_id == Participant.id)
        .where(Participant.start_date <= scope.as_of, *scope.conditions())
        .where(Pause.starts_on <= scope.as_of, sa.or_(Pause.ended_on.is_(None), Pause.ended_on > scope.period_start))
    )
    result = []
    for participant_id, cohort_id, start, left_on, fte, paused_from, returned_on in db.session.execute(query):
        # The time in post, cut to the pause (which runs up to the day before the return).
        first, last = _time_in_post(scope, start, left_on)
        first = max(first, paused_from)
        if returned_on is not None:
            last = min(last, returned_on - timedelta(days=1))
        if last < first:
            continue
        settings = cohorts[cohort_id][1]
        due = sessions_due(setting(settings, "supervision_schedule"), start, first, last)
        result.append((participant_id, cohort_id, due, _hours_earned(settings, fte, first, last)))
    return result


@dataclass
class LogRow:
    """Supervision sessions held against due, and protected hours used against entitled, per cohort."""

    cohort: str
    participants: int = 0
    sessions_due: int = 0
    sessions_held: int = 0
    sessions_counted: int = 0
    hours_entitled: float = 0.0
    hours_used: float = 0.0
    hours_counted: float = 0.0

    @property
    def supervision_rate(self) -> float | None:
        """Sessions held, counting no more than were due for each person, against sessions due: at most 100%."""
        return rate(min(self.sessions_counted, self.sessions_due), self.sessions_due)

    @property
    def protected_time_rate(self) -> float | None:
        """Hours used, counting no more than each person's entitlement, against hours entitled: at most 100%."""
        return rate(min(self.hours_counted, self.hours_entitled), self.hours_entitled)


def supervision_and_protected_time(scope: Scope) -> list[LogRow]:
    """Per cohort and in total, over each enrolment's time in post within the period.

    Each person's sessions held (and hours used) count towards the rate only up to what was due for
    them (their entitlement), so someone supervised weekly cannot make up for someone not supervised
    at all, and no rate can pass 100%. The sessions and hours actually logged are kept beside.
    """
    cohorts = cohort_settings(scope)
    left = first_leaving(scope.as_of)
    window_start = sa.case(
        (Participant.start_date > scope.period_start, Participant.start_date), else_=scope.period_start
    )
    window_end = sa.func.coalesce(left.c.left_on, scope.as_of)
    in_window = sa.and_(Participant.start_date <= scope.as_of, *scope.conditions())
    rows = {cid: LogRow(name) for cid, (name, _) in cohorts.items()}
    for group in enrolment_groups(scope):
        cohort_id, start, left_on, n, fte = group.cohort_id, group.start, group.left_on, group.count, group.fte
        if start > scope.as_of:
            continue
        row, settings = rows[cohort_id], cohorts[cohort_id][1]
        first, last = _time_in_post(scope, start, left_on)
        if last < first:
            continue
        row.participants += int(n)
        row.sessions_due += int(n) * sessions_due(setting(settings, "supervision_schedule"), start, first, last)
        row.hours_entitled += _hours_earned(settings, fte, first, last)
    paused: dict[int, tuple[int, float]] = {}
    for participant_id, cohort_id, due, hours in _paused_time(scope, left, cohorts):
        rows[cohort_id].sessions_due -= due
        rows[cohort_id].hours_entitled -= hours
        before = paused.get(participant_id, (0, 0.0))
        paused[participant_id] = (before[0] + due, before[1] + hours)
    for model, day, value in (
        (SupervisionSession, SupervisionSession.held_on, sa.func.count(SupervisionSession.id)),
        (ProtectedTimeLog, ProtectedTimeLog.taken_on, sa.func.sum(ProtectedTimeLog.hours)),
    ):
        extra = [SupervisionSession.was_held.is_(True)] if model is SupervisionSession else []
        # Per enrolment with anything logged, so each can be capped at what was due for them.
        query = (
            sa.select(
                Participant.id, Participant.cohort_id, Participant.start_date, left.c.left_on, Participant.fte, value
            )
            .join(Participant, Participant.id == model.participant_id)
            .outerjoin(left, left.c.participant_id == Participant.id)
            .where(in_window, day.between(scope.period_start, scope.as_of), day >= window_start, day <= window_end)
            .where(*extra)
            .group_by(Participant.id, Participant.cohort_id, Participant.start_date, left.c.left_on, Participant.fte)
        )
        for participant_id, cohort_id, start, left_on, fte, amount in db.session.execute(query):
            row, settings = rows[cohort_id], cohorts[cohort_id][1]
            first, last = _time_in_post(scope, start, left_on)
            if model is SupervisionSession:
                held = int(cast(int, amount))
                due = sessions_due(setting(settings, "supervision_schedule"), start, first, last)
                due -= paused.get(participant_id, (0, 0.0))[0]
                row.sessions_held += held
                row.sessions_counted += min(held, max(due, 0))
            else:
                used = float(cast(float, amount) or 0)
                entitled = _hours_earned(settings, fte, first, last) - paused.get(participant_id, (0, 0.0))[1]
                row.hours_used += used
                row.hours_counted += min(used, max(entitled, 0.0))
    result = [row for row in rows.values() if row.participants]
    total = LogRow("All cohorts")
    for row in result:
        total.participants += row.participants
        total.sessions_due += row.sessions_due
        total.sessions_held += row.sessions_held
        total.sessions_counted += row.sessions_counted
        total.hours_entitled += row.hours_entitled
        total.hours_used += row.hours_used
        total.hours_counted += row.hours_counted
    for row in (*result, total):
        row.hours_entitled = round(row.hours_entitled, 1)
        row.hours_used = round(row.hours_used, 1)
        row.hours_counted = round(min(row.hours_counted, row.hours_entitled), 1)
        row.sessions_counted = min(row.sessions_counted, row.sessions_due)
    return [*result, total]


def first_census_year(scope: Scope, most: int = 9) -> int | None:
    """The census year in which the earliest cohort in scope started (at most `most` years back)."""
    query = sa.select(sa.func.min(Cohort.start_date))
    if scope.cohort_id is not None:
        query = query.where(Cohort.id == scope.cohort_id)
    if scope.service_area is not None:
        query = query.where(Cohort.service_area == scope.service_area)
    first = db.session.scalar(query)
    if first is None or first > scope.as_of:
        return None
    started = first.year + 1 if first > date(first.year, 9, 30) else first.year
    return max(started, scope.census_year - most + 1)


DEFAULT_LIMITS = {"assessor": 4, "mentor": 6}


def load_limits() -> dict[str, int]:
    """The most NQSWs one assessor or mentor should hold (settings MAX_NQSWS_PER_ASSESSOR, _PER_MENTOR)."""
    return {
        "assessor": int(current_app.config.get("MAX_NQSWS_PER_ASSESSOR", DEFAULT_LIMITS["assessor"])),
        "mentor": int(current_app.config.get("MAX_NQSWS_PER_MENTOR", DEFAULT_LIMITS["mentor"])),
    }


@dataclass
class StaffLoad:
    name: str
    role: str
    held: int
    maximum: int

    @property
    def short_name(self) -> str:
        return f"{self.name} ({self.role.lower()})"

    @property
    def load(self) -> str:
        if self.held > self.maximum:
            return f"Over the maximum by {self.held - self.maximum}"
        return "At the maximum" if self.held == self.maximum else "Within the maximum"


def staff_loads(scope: Scope) -> list[StaffLoad]:
    """Each assessor and mentor holding NQSWs in scope on the last day of the period, most loaded first."""
    day = scope.as_of
    kinds = {AssignmentKind.ASSESSOR: "Assessor", AssignmentKind.MENTOR: "Mentor"}
    query = (
        sa.select(User.name, Assignment.kind, sa.func.count(sa.distinct(Assignment.participant_id)))
        .join(Participant, Participant.id == Assignment.participant_id)
        .join(User, User.id == Assignment.user_id)
        .where(
            Assignment.kind.in_(list(kinds)),
            Assignment.starts_on <= day,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= day),
            in_post_on(day),
            *scope.conditions(),
        )
        .group_by(User.id, User.name, Assignment.kind)
    )
    limits = load_limits()
    rows = [
        StaffLoad(name, kinds[AssignmentKind(kind)], int(n), limits[AssignmentKind(kind).value])
        for name, kind, n in db.session.execute(query)
    ]
    return sorted(rows, key=lambda r: (-(r.held - r.maximum), r.name, r.role))
