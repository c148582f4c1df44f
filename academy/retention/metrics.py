"""The retention and workforce figures, each computed by the database in one or two grouped queries.

Each function takes a Scope (academy.retention.scope) and returns plain rows; definitions in words
live beside the figures in academy.retention.figures.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from academy.participants.models import LeavingDestination, Participant, StatusEvent, StatusEventKind
from academy.retention.scope import (
    LEAVING_KINDS,
    Scope,
    came_back_after,
    cohorts_in_scope,
    enrolment_groups,
    in_post_on,
    months_between,
)
from academy.retention.sqlfunc import months_between as sql_months_between

RETENTION_POINTS = (12, 24, 36)
SERVICE_BANDS = ("0 to 12 months", "12 to 24 months", "24 to 36 months", "36 months or more")


def rate(part: float | Decimal | None, whole: float | Decimal | None) -> float | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(float(part or 0) * 100 / float(whole), 1)


@dataclass
class RetentionRow:
    cohort_id: int | None
    cohort: str
    eligible: dict[int, int]
    retained: dict[int, int]

    def rate(self, months: int) -> float | None:
        return rate(self.retained[months], self.eligible[months])


def retention(scope: Scope) -> list[RetentionRow]:
    """Per cohort and in total: enrolments eligible at 12/24/36 months and those still in post then."""
    rows: dict[int, RetentionRow] = {}
    for group in enrolment_groups(scope):
        row = rows.setdefault(
            group.cohort_id,
            RetentionRow(group.cohort_id, "", dict.fromkeys(RETENTION_POINTS, 0), dict.fromkeys(RETENTION_POINTS, 0)),
        )
        so_far = months_between(group.start, scope.as_of)
        served = None if group.left_on is None else months_between(group.start, group.left_on)
        for n in RETENTION_POINTS:
            if so_far >= n:
                row.eligible[n] += group.count
                if served is None or served >= n:
                    row.retained[n] += group.count
    ordered = []
    for cohort_id, (name, _) in cohorts_in_scope(scope).items():
        if cohort_id in rows:
            rows[cohort_id].cohort = name
            ordered.append(rows[cohort_id])
    total = RetentionRow(
        None,
        "All cohorts",
        {n: sum(r.eligible[n] for r in ordered) for n in RETENTION_POINTS},
        {n: sum(r.retained[n] for r in ordered) for n in RETENTION_POINTS},
    )
    return [*ordered, total]


def _leaving_events(scope: Scope, start: date, end: date) -> sa.Select:
    return (
        sa.select(sa.func.count(StatusEvent.id))
        .join(Participant, Participant.id == StatusEvent.participant_id)
        .where(
            StatusEvent.kind.in_(LEAVING_KINDS),
            StatusEvent.effective_on >= start,
            StatusEvent.effective_on <= end,
            *scope.conditions(),
        )
    )


def leavers_by_service(scope: Scope) -> list[tuple[str, int, int]]:
    """Leavers in the period by months of service at leaving: (band, leavers, of whom came back)."""
    served = sql_months_between(Participant.start_date, StatusEvent.effective_on)
    band = sa.case((served < 12, 0), (served < 24, 1), (served < 36, 2), else_=3).label("band")
    back = sa.func.sum(sa.case((came_back_after(StatusEvent), 1), else_=0))
    query = _leaving_events(scope, scope.period_start, scope.period_end).add_columns(band, back).group_by(band)
    counts = {b: (int(n), int(r or 0)) for n, b, r in db.session.execute(query)}
    return [(label, *counts.get(i, (0, 0))) for i, label in enumerate(SERVICE_BANDS)]


def leavers_by_destination(scope: Scope) -> list[tuple[str, int]]:
    """Leavers in the period by where they went (the DfE attrition categories); unrecorded is Unknown."""
    destination = sa.func.coalesce(StatusEvent.destination, LeavingDestination.UNKNOWN.value).label("destination")
    query = _leaving_events(scope, scope.period_start, scope.period_end).add_columns(destination).group_by(destination)
    counts = {LeavingDestination(d): int(n) for n, d in db.session.execute(query)}
    return [(d.label, counts.get(d, 0)) for d in LeavingDestination]


def leavers_by_reason(scope: Scope) -> list[tuple[str, int]]:
    """Leavers in the period by the reason recorded, most common first."""
    query = (
        _leaving_events(scope, scope.period_start, scope.period_end)
        .add_columns(StatusEvent.kind, StatusEvent.reason)
        .group_by(StatusEvent.kind, StatusEvent.reason)
    )
    counts: dict[str, int] = {}
    for n, kind, reason in db.session.execute(query):
        label = reason.strip() or ("ASYE not passed" if kind == StatusEventKind.FAILED else "Not recorded")
        counts[label] = counts.get(label, 0) + int(n)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class Turnover:
    label: str
    start: date
    end: date
    leavers: int
    leavers_fte: Decimal
    headcount: int
    headcount_fte: Decimal

    # The census formula divides leavers by those in post at the end, so a small group that mostly left
    # would pass 100%. Such a rate says nothing useful and is not shown (None, with `more_leavers`).

    @property
    def more_leavers(self) -> bool:
        return self.leavers > self.headcount or self.leavers_fte > self.headcount_fte

    @property
    def rate(self) -> float | None:
        return None if self.leavers > self.headcount else rate(self.leavers, self.headcount)

    @property
    def rate_fte(self) -> float | None:
        return None if self.leavers_fte > self.headcount_fte else rate(self.leavers_fte, self.headcount_fte)


def turnover(scope: Scope, label: str, start: date, end: date) -> Turnover:
    """Leavers from `start` to `end` divided by those in post on `end` (headcount and FTE)."""
    leavers = (
        sa.select(sa.func.count(StatusEvent.id), sa.func.coalesce(sa.func.sum(Participant.fte), 0))
        .join(Participant, Participant.id == StatusEvent.participant_id)
        .where(
            StatusEvent.kind.in_(LEAVING_KINDS),
            StatusEvent.effective_on.between(start, end),
            *scope.conditions(),
        )
    )
    in_post = sa.select(
        sa.func.count(sa.distinct(Participant.user_id)), sa.func.coalesce(sa.func.sum(Participant.fte), 0)
    ).where(in_post_on(end), *scope.conditions())
    n_left, fte_left = db.session.execute(leavers).one()
    n_in, fte_in = db.session.execute(in_post).one()
    return Turnover(label, start, end, int(n_left), Decimal(fte_left), int(n_in), Decimal(fte_in))


def headcount(scope: Scope, on: date) -> int:
    """People in post on `on`."""
    query = sa.select(sa.func.count(sa.distinct(Participant.user_id))).where(in_post_on(on), *scope.conditions())
    return int(db.session.scalar(query) or 0)
