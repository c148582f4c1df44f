"""Retention, leavers and turnover against a hand-worked academy.

The academy, observed on 30 September 2025 (the end of census year 2025):

Cohort A, start 5 Sep 2022 (36 whole months to 30 Sep 2025):
  a1 stays; a2 leaves 1 Mar 2023 (5 months, agency, "Better pay"); a3 leaves 15 Jan 2024 (16 months,
  another LA); a4 is paused 1 Jan to 1 Jun 2023 and stays; a5 leaves 10 Feb 2025 (29 months, left
  social work, "Career change"); a6 leaves 1 Jul 2023 (9 months) and comes back as b1.
Cohort B, start 4 Sep 2023 (24 whole months): b1 (a6's person) stays; b2 leaves 2 Dec 2024 (14 months,
  nothing recorded) and is active again on the same enrolment from 3 Mar 2025; b3 stays at 0.5 FTE.
Cohort C, start 2 Jun 2025: c1 stays.
"""

from datetime import date

import pytest

from academy.participants.models import LeavingDestination, StatusEventKind
from academy.retention import metrics
from academy.retention.scope import Scope
from tests.factories import leave, make_cohort, make_participant, make_user, pause_and_resume, status_event

AS_OF = date(2025, 9, 30)


@pytest.fixture
def academy(db):
    a = make_cohort("A 2022", date(2022, 9, 5), with_frameworks=False)
    b = make_cohort("B 2023", date(2023, 9, 4), with_frameworks=False)
    c = make_cohort("C 2025", date(2025, 6, 2), with_frameworks=False)
    people = {name: make_participant(a, team="North", today=AS_OF) for name in ("a1", "a2", "a3", "a4", "a5", "a6")}
    leave(people["a2"], date(2023, 3, 1), LeavingDestination.AGENCY, "Better pay")
    leave(people["a3"], date(2024, 1, 15), LeavingDestination.OTHER_LOCAL_AUTHORITY, "Moved away")
    pause_and_resume(people["a4"], date(2023, 1, 1), date(2023, 6, 1))
    leave(people["a5"], date(2025, 2, 10), LeavingDestination.LEFT_SOCIAL_WORK, "Career change")
    leave(people["a6"], date(2023, 7, 1), LeavingDestination.OTHER, "Travelling")
    people["b1"] = make_participant(b, people["a6"].user, team="South", today=AS_OF)
    people["b2"] = make_participant(b, team="South", today=AS_OF)
    leave(people["b2"], date(2024, 12, 2), reason="")
    status_event(people["b2"], StatusEventKind.ACTIVATED, date(2025, 3, 3))
    people["b3"] = make_participant(b, team="South", fte="0.5", today=AS_OF)
    people["c1"] = make_participant(c, team="North", today=AS_OF)
    return {"A": a, "B": b, "C": c, **people}


def test_retention_counts_only_those_who_started_long_enough_ago(academy):
    rows = {r.cohort: r for r in metrics.retention(Scope.census(2025))}
    a, b, c, total = rows["A 2022"], rows["B 2023"], rows["C 2025"], rows["All cohorts"]
    assert (a.eligible, a.retained) == ({12: 6, 24: 6, 36: 6}, {12: 4, 24: 3, 36: 2})
    assert (a.rate(12), a.rate(24), a.rate(36)) == (66.7, 50.0, 33.3)
    # b2 left at 14 months and came back: retained at 12, not at 24. Nobody in B is 36 months in.
    assert (b.eligible, b.retained) == ({12: 3, 24: 3, 36: 0}, {12: 3, 24: 2, 36: 0})
    assert b.rate(36) is None
    assert c.eligible == {12: 0, 24: 0, 36: 0}
    assert (total.rate(12), total.rate(24), total.rate(36)) == (77.8, 55.6, 33.3)


def test_a_pause_is_not_leaving(academy):
    # On 31 March 2023 a4 is paused and a2 has left: five of cohort A are in post.
    assert metrics.headcount(Scope.census(2023), date(2023, 3, 31)) == 5


def test_census_turnover_is_leavers_in_year_over_in_post_on_30_september(academy):
    census = metrics.turnover(Scope.census(2025), "census", date(2024, 10, 1), date(2025, 9, 30))
    # Leavers a5 and b2. In post: a1, a4, b1, b2 (back), b3, c1 = 6 people; a6 and b1 are one person.
    assert (census.leavers, census.headcount, census.rate) == (2, 6, 33.3)
    assert (float(census.leavers_fte), float(census.headcount_fte), census.rate_fte) == (2.0, 5.5, 36.4)


def test_someone_who_left_and_rejoined_counts_once_in_post_and_once_as_leaver(academy):
    census = metrics.turnover(Scope.census(2023), "census", date(2022, 10, 1), date(2023, 9, 30))
    # Leavers a2 and a6; in post: a1, a3, a4, a5 and b1 to b3 (b1 is a6 back again) = 7.
    assert (census.leavers, census.headcount, census.rate) == (2, 7, 28.6)
    bands = metrics.leavers_by_service(Scope.census(2023))
    assert bands[0] == ("0 to 12 months", 2, 1)  # a2 and a6; a6 came back


def test_leavers_by_service_destination_and_reason(academy):
    scope = Scope.census(2025)
    assert metrics.leavers_by_service(scope) == [
        ("0 to 12 months", 0, 0),
        ("12 to 24 months", 1, 1),  # b2 at 14 months, active again later
        ("24 to 36 months", 1, 0),  # a5 at 29 months
        ("36 months or more", 0, 0),
    ]
    assert dict(metrics.leavers_by_destination(scope)) == {
        "Another local authority": 0,
        "Agency work": 0,
        "Left social work": 1,
        "Other": 0,
        "Unknown": 1,
    }
    assert metrics.leavers_by_reason(scope) == [("Career change", 1), ("Not recorded", 1)]


def test_filters_narrow_to_cohort_and_team(academy):
    rows = metrics.retention(Scope.census(2025, cohort_id=academy["B"].id))
    assert [r.cohort for r in rows] == ["B 2023", "All cohorts"]
    north = metrics.turnover(Scope.census(2025, team="North"), "census", date(2024, 10, 1), date(2025, 9, 30))
    assert (north.leavers, north.headcount) == (1, 3)  # a5 left; a1, a4, c1 in post


def test_a_failed_asye_counts_as_leaving_with_its_reason(db):
    cohort = make_cohort("F", date(2023, 9, 4), with_frameworks=False)
    person = make_participant(cohort, make_user(), today=AS_OF)
    leave(person, date(2024, 11, 1), kind=StatusEventKind.FAILED)
    scope = Scope.census(2025)
    assert metrics.leavers_by_reason(scope) == [("ASYE not passed", 1)]
    assert metrics.turnover(scope, "c", date(2024, 10, 1), AS_OF).leavers == 1
