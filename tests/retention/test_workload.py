"""ASYE rates, supervision compliance, protected time and caseload against hand-worked fixtures."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.assessment.models import Outcome, OutcomeStatus, Recommendation
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SupervisionSession
from academy.participants.models import Participant, Pause, PauseReason
from academy.participants.services import recompute_due_dates
from academy.programmes.supervision import due_dates
from academy.retention import workload
from academy.retention.scope import Scope
from tests.factories import make_cohort, make_participant, make_user


def outcome(participant, recommendation, status, panel_date, recorder):
    db.session.add(
        Outcome(
            participant=participant,
            recommendation=recommendation,
            recommended_by_id=recorder.id,
            recommended_at=datetime(2025, 1, 2, tzinfo=UTC),
            status=status,
            panel_date=panel_date,
            decided_at=datetime.combine(panel_date, datetime.min.time(), tzinfo=UTC) if panel_date else None,
        )
    )


def test_asye_completion_pass_extension_and_time_to_pass(db, coordinator):
    cohort = make_cohort("X", date(2024, 1, 8), with_frameworks=False)
    p = [make_participant(cohort, today=date(2025, 9, 30)) for _ in range(5)]
    outcome(p[0], Recommendation.PASS, OutcomeStatus.CONFIRMED, date(2025, 1, 20), coordinator)  # 378 days
    outcome(p[1], Recommendation.FAIL, OutcomeStatus.CONFIRMED, date(2025, 2, 3), coordinator)
    outcome(p[2], Recommendation.PASS, OutcomeStatus.PENDING, None, coordinator)
    outcome(p[4], Recommendation.PASS, OutcomeStatus.REFERRED_BACK, date(2025, 2, 3), coordinator)
    db.session.add(
        Pause(participant=p[3], reason=PauseReason.SICKNESS, starts_on=date(2024, 3, 1), ended_on=date(2024, 4, 1))
    )
    db.session.flush()
    db.session.refresh(p[3])
    recompute_due_dates(p[3])
    db.session.flush()
    too_new = make_cohort("Y", date(2025, 1, 6), with_frameworks=False)
    make_participant(too_new, today=date(2025, 9, 30))  # 8 months in: not eligible
    x, total = workload.asye(Scope.census(2025))
    assert (x.cohort, x.eligible, x.completed, x.passed, x.extended) == ("X", 5, 2, 1, 1)
    assert (x.completion_rate, x.pass_rate, x.extension_rate) == (40.0, 50.0, 20.0)
    assert x.months_to_pass == 12.4  # 378 days / 30.44
    assert total.eligible == 5


@pytest.fixture
def logs(db, coordinator):
    """Start 6 Jan 2025, observed to 2 Mar 2025: 56 days in post, 8 weeks."""
    cohort = make_cohort("L", date(2025, 1, 6), with_frameworks=False)
    q1 = make_participant(cohort, today=date(2025, 3, 2))
    q2 = make_participant(cohort, make_user(), fte="0.5", today=date(2025, 3, 2))
    rows = []
    for day in (13, 20, 27):
        rows.append(SupervisionSession(participant_id=q1.id, held_on=date(2025, 1, day), recorded_by_id=coordinator.id))
    for day in (3, 10):
        rows.append(SupervisionSession(participant_id=q1.id, held_on=date(2025, 2, day), recorded_by_id=coordinator.id))
    rows.append(
        SupervisionSession(
            participant_id=q1.id, held_on=date(2025, 2, 17), was_held=False, recorded_by_id=coordinator.id
        )
    )
    for held_on in (date(2025, 1, 13), date(2025, 1, 27), date(2025, 2, 10), date(2025, 2, 24), date(2025, 3, 5)):
        rows.append(SupervisionSession(participant_id=q2.id, held_on=held_on, recorded_by_id=coordinator.id))
    rows += [
        ProtectedTimeLog(participant_id=q1.id, taken_on=date(2025, 1, 20), hours=Decimal("20"), activity="Course",
                         recorded_by_id=coordinator.id),
        ProtectedTimeLog(participant_id=q2.id, taken_on=date(2025, 2, 3), hours=Decimal("5.2"), activity="Reading",
                         recorded_by_id=coordinator.id),
        CaseloadSnapshot(participant_id=q1.id, taken_on=date(2025, 1, 31), cases=5, recorded_by_id=coordinator.id),
        CaseloadSnapshot(participant_id=q1.id, taken_on=date(2025, 2, 28), cases=8, recorded_by_id=coordinator.id),
        CaseloadSnapshot(participant_id=q2.id, taken_on=date(2025, 2, 14), cases=4, recorded_by_id=coordinator.id),
        CaseloadSnapshot(participant_id=q2.id, taken_on=date(2025, 2, 28), cases=0, recorded_by_id=coordinator.id),
    ]  # fmt: skip
    db.session.add_all(rows)
    db.session.flush()
    return Scope.rolling(date(2025, 3, 2))


def test_supervision_compliance_against_the_schedule(logs):
    # Weekly for 6 weeks: due 13, 20, 27 Jan, 3, 10, 17 Feb; the next (fortnightly) would be 3 March.
    # Due 6 each = 12. Held: q1 5 (the cancelled one on 17 Feb does not count), q2 4 (5 March is later).
    row, total = workload.supervision_and_protected_time(logs)
    assert (row.participants, row.sessions_due, row.sessions_held, row.supervision_rate) == (2, 12, 9, 75.0)
    assert total.supervision_rate == 75.0


def test_protected_time_against_ten_percent_of_contracted_hours(logs):
    # 10% of 37 hours = 3.7 a week, for 8 weeks: 29.6 hours at 1.0 FTE + 14.8 at 0.5 FTE = 44.4.
    row, _ = workload.supervision_and_protected_time(logs)
    assert (row.hours_entitled, row.hours_used, row.protected_time_rate) == (44.4, 25.2, 56.8)


def test_paused_days_expect_no_supervision_and_earn_no_protected_time(db, logs, coordinator):
    q1, q2 = db.session.scalars(sa.select(Participant).order_by(Participant.id)).all()
    # q1 away 27 Jan to 9 Feb (back on 10 Feb): 14 days, the sessions due 27 Jan and 3 Feb drop out.
    # q2 away from 17 Feb and not back by 2 March: 14 days, the session due 17 Feb drops out.
    db.session.add_all([
        Pause(participant=q1, reason=PauseReason.SICKNESS, starts_on=date(2025, 1, 27), ended_on=date(2025, 2, 10)),
        Pause(participant=q2, reason=PauseReason.PARENTAL_LEAVE, starts_on=date(2025, 2, 17)),
        # A pause that ended long before the period changes nothing.
        Pause(participant=q1, reason=PauseReason.OTHER, starts_on=date(2023, 1, 2), ended_on=date(2023, 2, 1)),
    ])  # fmt: skip
    db.session.flush()
    row, _ = workload.supervision_and_protected_time(logs)
    # Due 12 - 3 = 9 (q1 4, q2 5) and 9 held, but q1 held 5 of 4 due and q2 4 of 5: each person counts up
    # to what was due for them, so 4 + 4 = 8 of 9 count (88.9%), not 9 of 9.
    # Hours 44.4 - 14 days x 3.7 / 7 (7.4) - 14 days x 1.85 / 7 (3.7) = 33.3.
    assert (row.sessions_due, row.sessions_held, row.sessions_counted, row.supervision_rate) == (9, 9, 8, 88.9)
    assert (row.hours_entitled, row.hours_used, row.protected_time_rate) == (33.3, 25.2, 75.7)


def test_caseload_by_month_counts_case_holders_only(logs):
    # January: 5. February: 8 and 4 (the zero-case snapshot is not a case holder) = 6.
    assert workload.caseload_by_month(logs) == [("2025-01", 5.0, 1), ("2025-02", 6.0, 2)]
    assert workload.caseload_targets(logs) == [16]


def test_supervision_due_dates_follow_each_phase():
    schedule = workload.DEFAULTS["supervision_schedule"]
    due = list(due_dates(schedule, date(2025, 1, 6), date(2025, 8, 31)))
    # 6 weekly to 17 Feb; fortnightly while on or before 6 July (3 Mar ... 23 Jun = 9); then every 31 days.
    assert due[:7] == [date(2025, 1, 13), date(2025, 1, 20), date(2025, 1, 27), date(2025, 2, 3),
                       date(2025, 2, 10), date(2025, 2, 17), date(2025, 3, 3)]  # fmt: skip
    assert due[14] == date(2025, 6, 23)
    assert due[15:] == [date(2025, 7, 24), date(2025, 8, 24)]
