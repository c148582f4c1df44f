"""Kaplan-Meier against the classic worked example, and censoring of people still in post."""

from datetime import date

import pytest

from academy.retention.scope import Scope
from academy.retention.survival import at_risk_at, cohort_curves, kaplan_meier, survival_at
from tests.factories import leave, make_cohort, make_participant


def test_estimator_matches_the_textbook_example_with_censoring():
    """Remission weeks of the 6-MP group of Freireich et al. (Blood 21:699, 1963), worked as the KM
    example in Kleinbaum and Klein, Survival Analysis: A Self-Learning Text (Springer), chapter 2.
    Times (+ censored): 6,6,6,6+,7,9+,10,10+,11+,13,16,17+,19+,20+,22,23,25+,32+,32+,34+,35+.

    By hand, censored times count as at risk at their own time:
      t=6:  n=21, d=3  S = 18/21                 = 0.857
      t=7:  n=17, d=1  S = 0.857 x 16/17         = 0.807
      t=10: n=15, d=1  S = 0.807 x 14/15         = 0.753
      t=13: n=12, d=1  S = 0.753 x 11/12         = 0.690
      t=16: n=11, d=1  S = 0.690 x 10/11         = 0.627
      t=22: n=7,  d=1  S = 0.627 x 6/7           = 0.538
      t=23: n=6,  d=1  S = 0.538 x 5/6           = 0.448
    """
    observations = [
        (6, 3, 1), (7, 1, 0), (9, 0, 1), (10, 1, 1), (11, 0, 1), (13, 1, 0), (16, 1, 0), (17, 0, 1),
        (19, 0, 1), (20, 0, 1), (22, 1, 0), (23, 1, 0), (25, 0, 1), (32, 0, 2), (34, 0, 1), (35, 0, 1),
    ]  # fmt: skip
    steps = {s.time: s for s in kaplan_meier(observations)}
    expected = {6: (21, 0.857), 7: (17, 0.807), 10: (15, 0.753), 13: (12, 0.690), 16: (11, 0.627),
                22: (7, 0.538), 23: (6, 0.448)}  # fmt: skip
    for time, (at_risk, survival) in expected.items():
        assert steps[time].at_risk == at_risk
        assert steps[time].survival == pytest.approx(survival, abs=0.0005)
    assert survival_at(list(steps.values()), 35) == pytest.approx(0.448, abs=0.0005)
    assert survival_at(list(steps.values()), 36) is None  # beyond the last observation


def test_people_still_in_post_are_censored_at_the_end_of_the_period(db):
    # Started 4 Sep 2023; observed to 30 Sep 2024 (census year 2024): 12 whole months.
    cohort = make_cohort("K", date(2023, 9, 4), with_frameworks=False)
    people = [make_participant(cohort, today=date(2024, 9, 30)) for _ in range(4)]
    leave(people[0], date(2024, 1, 10))  # 4 months
    leave(people[1], date(2024, 6, 3))  # 8 months (3 June is before the 4th)
    leave(people[2], date(2025, 1, 6))  # after the period: still in post then, censored at 12
    (curve,) = cohort_curves(Scope.census(2024))
    # By hand: t=4 n=4 d=1 -> 3/4; t=8 n=3 d=1 -> 3/4 x 2/3 = 1/2; two censored at 12.
    assert [(s.time, s.at_risk, s.events, s.censored) for s in curve.steps] == [
        (4, 4, 1, 0),
        (8, 3, 1, 0),
        (12, 2, 0, 2),
    ]
    assert survival_at(curve.steps, 12) == pytest.approx(0.5)
    assert [at_risk_at(curve.steps, m) for m in (0, 6, 12, 18)] == [4, 3, 2, 0]
    # A year later the third person's leaving is inside the period: an event at 16 months.
    (later,) = cohort_curves(Scope.census(2025))
    assert [(s.time, s.events) for s in later.steps][-2:] == [(16, 1), (24, 0)]
    assert survival_at(later.steps, 24) == pytest.approx(0.5 * 1 / 2)
