"""Kaplan-Meier survival in post: months from start to leaving, with those still in post censored.

The estimator (Kaplan and Meier, "Nonparametric estimation from incomplete observations", JASA 53,
1958): at each time t with d leavers among n still at risk just before t, S(t) = S(t-) * (1 - d/n).
Anyone censored at t (still in post when observation stopped) counts as at risk at t, as is usual.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from academy.retention.scope import Scope, cohorts_in_scope, enrolment_groups, months_between

AT_RISK_MONTHS = (0, 6, 12, 18, 24, 30, 36)


@dataclass(frozen=True)
class Step:
    time: int
    at_risk: int
    events: int
    censored: int
    survival: float


def kaplan_meier(observations: Iterable[tuple[int, int, int]]) -> list[Step]:
    """Steps of the estimate from grouped observations (time, leavers at time, censored at time)."""
    by_time: dict[int, list[int]] = {}
    for time, events, censored in observations:
        counts = by_time.setdefault(int(time), [0, 0])
        counts[0] += int(events)
        counts[1] += int(censored)
    at_risk = sum(e + c for e, c in by_time.values())
    survival = 1.0
    steps = []
    for time in sorted(by_time):
        events, censored = by_time[time]
        if events:
            survival *= 1 - events / at_risk
        steps.append(Step(time, at_risk, events, censored, survival))
        at_risk -= events + censored
    return steps


def survival_at(steps: list[Step], time: float) -> float | None:
    """S(time): the estimate after every step at or before `time`; None beyond the last observation."""
    if not steps or time > steps[-1].time:
        return None
    value = 1.0
    for step in steps:
        if step.time > time:
            break
        value = step.survival
    return value


def at_risk_at(steps: list[Step], time: int) -> int:
    """The number still observed (neither left nor censored) just before `time`."""
    return sum(step.events + step.censored for step in steps if step.time >= time)


@dataclass
class CohortCurve:
    cohort: str
    steps: list[Step]

    @property
    def starters(self) -> int:
        return at_risk_at(self.steps, 0)


def cohort_curves(scope: Scope) -> list[CohortCurve]:
    """One curve per cohort, from the grouped counts of (cohort, start, leaving date) in scope."""
    grouped: dict[int, list[tuple[int, int, int]]] = {}
    for group in enrolment_groups(scope):
        if group.start > scope.as_of:
            continue
        served = months_between(group.start, group.left_on or scope.as_of)
        gone = group.left_on is not None
        grouped.setdefault(group.cohort_id, []).append((served, group.count if gone else 0, 0 if gone else group.count))
    return [
        CohortCurve(name, kaplan_meier(grouped[cohort_id]))
        for cohort_id, (name, _) in cohorts_in_scope(scope).items()
        if cohort_id in grouped
    ]
