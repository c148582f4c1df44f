"""What a figure is about (academy, cohort, service area, team, period) and the shared definitions.

Definitions used by every figure (shown on the dashboard in words):
- An *enrolment* is one Participant row: one person in one cohort, from its start date. A person who
  leaves and is enrolled again in a later cohort has a second enrolment, counted in that cohort.
- An enrolment *leaves* on the first status event of kind left, withdrawn or failed (a confirmed ASYE
  fail ends the programme). Pauses are not leaving. A leaver who comes back (a later enrolment of the
  same person, or a later enrolled/activated/resumed event on the same enrolment) still counts as a
  leaver on the day they left; their service is not re-joined into one unbroken stretch.
- *In post* on a day: started on or before it, and the latest status event on or before it is not a
  leaving one (so someone on a pause is in post, and someone who left and came back is in post again).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import g, has_request_context
from sqlalchemy.orm import aliased

from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.participants.models import Participant, StatusEvent, StatusEventKind
from academy.programmes.models import ServiceArea

LEAVING_KINDS = (StatusEventKind.LEFT, StatusEventKind.WITHDRAWN, StatusEventKind.FAILED)
RETURNING_KINDS = (StatusEventKind.ENROLLED, StatusEventKind.ACTIVATED, StatusEventKind.RESUMED)
# Events that say whether someone is in post; FTE and programme-year changes do not.
STATUS_KINDS = (*LEAVING_KINDS, *RETURNING_KINDS, StatusEventKind.PAUSED, StatusEventKind.COMPLETED)


def census_year_end(year: int) -> date:
    return date(year, 9, 30)


def census_year_start(year: int) -> date:
    return date(year - 1, 10, 1)


def latest_census_year(on: date) -> int:
    """The most recent census year (to 30 September) that has ended on `on`."""
    return on.year if on >= census_year_end(on.year) else on.year - 1


@dataclass(frozen=True)
class Scope:
    """The participants a figure covers and the period it reports on (both ends inclusive)."""

    period_start: date
    period_end: date
    census_year: int
    period_label: str
    cohort_id: int | None = None
    service_area: ServiceArea | None = None
    team: str | None = None

    @classmethod
    def rolling(cls, on: date, **filters) -> "Scope":
        """The 12 months to `on`, with the latest completed census year for census figures."""
        start = on - relativedelta(months=12) + timedelta(days=1)
        return cls(start, on, latest_census_year(on), f"12 months to {on.day} {on:%B %Y}", **filters)

    @classmethod
    def census(cls, year: int, **filters) -> "Scope":
        """The census year to 30 September `year`."""
        return cls(census_year_start(year), census_year_end(year), year, f"Year to 30 September {year}", **filters)

    @property
    def as_of(self) -> date:
        return self.period_end

    @property
    def is_census(self) -> bool:
        return self.period_start == census_year_start(self.census_year) and self.period_end == census_year_end(
            self.census_year
        )

    def previous(self) -> "Scope":
        """The same selection over the period a year earlier (the census year before, or the 12 months before)."""
        filters = {"cohort_id": self.cohort_id, "service_area": self.service_area, "team": self.team}
        if self.is_census:
            return Scope.census(self.census_year - 1, **filters)
        return Scope.rolling(self.period_end - relativedelta(years=1), **filters)

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        """WHERE clauses on Participant selecting the enrolments in scope."""
        clauses: list[sa.ColumnElement[bool]] = []
        if self.cohort_id is not None:
            clauses.append(Participant.cohort_id == self.cohort_id)
        if self.service_area is not None:
            clauses.append(
                Participant.cohort_id.in_(sa.select(Cohort.id).where(Cohort.service_area == self.service_area))
            )
        if self.team:
            clauses.append(Participant.team == self.team)
        return clauses


def first_leaving(until: date) -> sa.Subquery:
    """Per enrolment, the day of its first leaving event on or before `until` (column left_on)."""
    return (
        sa.select(StatusEvent.participant_id, sa.func.min(StatusEvent.effective_on).label("left_on"))
        .where(StatusEvent.kind.in_(LEAVING_KINDS), StatusEvent.effective_on <= until)
        .group_by(StatusEvent.participant_id)
        .subquery("first_leaving")
    )


def in_post_on(day: date) -> sa.ColumnElement[bool]:
    """True for an enrolment in post on `day` (see the module docstring)."""
    latest = (
        sa.select(StatusEvent.kind)
        .where(
            StatusEvent.participant_id == Participant.id,
            StatusEvent.effective_on <= day,
            StatusEvent.kind.in_(STATUS_KINDS),
        )
        .order_by(StatusEvent.effective_on.desc(), StatusEvent.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    # coalesce() rather than "IS NULL OR NOT IN": the subquery then runs once per enrolment, not twice.
    kind = sa.func.coalesce(sa.type_coerce(latest, sa.String), "none")
    return sa.and_(Participant.start_date <= day, kind.not_in([k.value for k in LEAVING_KINDS]))


def came_back_after(event: Any) -> sa.ColumnElement[bool]:
    """True when the person of a leaving `event` (StatusEvent or an alias of it) was enrolled or active again
    after it."""
    later_event = aliased(StatusEvent)
    again = aliased(Participant)
    left = aliased(Participant)
    same_enrolment = sa.exists().where(
        later_event.participant_id == event.participant_id,
        later_event.kind.in_(RETURNING_KINDS),
        later_event.effective_on > event.effective_on,
    )
    new_enrolment = sa.exists().where(
        left.id == event.participant_id,
        again.user_id == left.user_id,
        again.id != left.id,
        again.start_date > event.effective_on,
    )
    return sa.or_(same_enrolment, new_enrolment)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end`, birthday-style; the same as sqlfunc.months_between."""
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


@dataclass(frozen=True)
class EnrolmentGroup:
    """Enrolments in scope sharing a cohort, a start date and a first leaving date (None: not left)."""

    cohort_id: int
    start: date
    left_on: date | None
    count: int
    fte: Decimal


def enrolment_groups(scope: Scope) -> list[EnrolmentGroup]:
    """Every enrolment in scope, grouped by (cohort, start, first leaving up to the end of the period).

    One grouped query. People of a cohort mostly share its start date, so there are about as many
    groups as leavers plus cohorts, whatever the number of participants; retention, survival and
    supervision figures are worked out from these counts. Within a request the result is shared.
    """
    cache = _request_cache("retention_enrolment_groups")
    if scope not in cache:
        left = first_leaving(scope.as_of)
        query = (
            sa.select(
                Participant.cohort_id,
                Participant.start_date,
                left.c.left_on,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(Participant.fte), 0),
            )
            .outerjoin(left, left.c.participant_id == Participant.id)
            .where(*scope.conditions())
            .group_by(Participant.cohort_id, Participant.start_date, left.c.left_on)
        )
        cache[scope] = [
            EnrolmentGroup(cohort_id, start, left_on, int(n), Decimal(fte))
            for cohort_id, start, left_on, n, fte in plain_rows(query)
        ]
    return cache[scope]


def plain_rows(query: sa.Select) -> list[sa.Row]:
    """Rows from Core, without the ORM's per-row bookkeeping (for queries returning many small rows)."""
    if db.session.autoflush:
        db.session.flush()
    return list(db.session.connection().execute(query).all())


def _request_cache(name: str) -> dict:
    """A dict kept for the rest of the request (a fresh one outside requests): data cannot change meanwhile."""
    return g.setdefault(name, {}) if has_request_context() else {}


def cohorts_in_scope(scope: Scope) -> dict[int, tuple[str, dict[str, Any]]]:
    """The cohorts the scope can cover, oldest first: id -> (name, settings). Cohorts are few."""
    cache = _request_cache("retention_cohorts")
    if scope not in cache:
        cache[scope] = _cohorts_in_scope(scope)
    return cache[scope]


def short_labels(scope: Scope) -> dict[str, str]:
    """Cohort name -> a short label for charts, its start month ("Sep 2024"); "(2)" and so on tell apart
    cohorts starting in the same month. Short labels fit under a bar without being cut."""
    cache = _request_cache("retention_short_labels")
    if scope not in cache:
        query = sa.select(Cohort.name, Cohort.start_date).order_by(Cohort.start_date, Cohort.id)
        if scope.cohort_id is not None:
            query = query.where(Cohort.id == scope.cohort_id)
        if scope.service_area is not None:
            query = query.where(Cohort.service_area == scope.service_area)
        labels: dict[str, str] = {}
        used: dict[str, int] = {}
        for name, start in db.session.execute(query):
            label = f"{start:%b %Y}"
            used[label] = used.get(label, 0) + 1
            labels[name] = label if used[label] == 1 else f"{label} ({used[label]})"
        cache[scope] = labels
    return cache[scope]


def _cohorts_in_scope(scope: Scope) -> dict[int, tuple[str, dict[str, Any]]]:
    query = sa.select(Cohort.id, Cohort.name, Cohort.settings).order_by(Cohort.start_date, Cohort.id)
    if scope.cohort_id is not None:
        query = query.where(Cohort.id == scope.cohort_id)
    if scope.service_area is not None:
        query = query.where(Cohort.service_area == scope.service_area)
    return {cid: (name, settings or {}) for cid, name, settings in db.session.execute(query)}
