"""People needing attention, each with the reasons (docs/product.md section 10)."""
# ruff: noqa: E501  (fixture rows read best one per line)

from datetime import UTC, datetime, timedelta

from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceStatus, EvidenceType
from academy.logs.models import CaseloadSnapshot, SupervisionSession
from academy.participants.models import Participant, ParticipantStatus
from academy.participants.policies import visible_participants_query
from academy.retention.attention import needing_attention
from tests.factories import assign, make_cohort, make_participant


def entry(participant, status, submitted_days_ago=None):
    submitted = datetime.now(UTC) - timedelta(days=submitted_days_ago) if submitted_days_ago is not None else None
    return EvidenceEntry(
        participant_id=participant.id, type=EvidenceType.WRITTEN_REPORT, title="Report", activity_date=today(),
        status=status, author_id=participant.user_id, submitted_at=submitted,
    )  # fmt: skip


def test_each_reason_is_listed_and_people_with_none_are_not(db, coordinator, mentor):
    on = today()
    cohort = make_cohort("Now", on - timedelta(days=200), with_frameworks=False)
    behind = make_participant(cohort, today=on)
    fine = make_participant(cohort, today=on)
    paused = make_participant(cohort, today=on)
    paused.status = ParticipantStatus.PAUSED
    for milestone in fine.milestones:
        if milestone.due_date and milestone.due_date < on:
            milestone.completed_on = milestone.due_date
    db.session.add_all(
        [
            entry(behind, EvidenceStatus.SUBMITTED, submitted_days_ago=40),
            entry(fine, EvidenceStatus.SUBMITTED, submitted_days_ago=3),
            SupervisionSession(participant_id=behind.id, held_on=on - timedelta(days=45), recorded_by_id=coordinator.id),
            SupervisionSession(participant_id=fine.id, held_on=on - timedelta(days=10), recorded_by_id=coordinator.id),
            CaseloadSnapshot(participant_id=behind.id, taken_on=on - timedelta(days=60), cases=12, recorded_by_id=coordinator.id),
            CaseloadSnapshot(participant_id=behind.id, taken_on=on - timedelta(days=5), cases=20, recorded_by_id=coordinator.id),
            CaseloadSnapshot(participant_id=fine.id, taken_on=on - timedelta(days=5), cases=16, recorded_by_id=coordinator.id),
        ]
    )  # fmt: skip
    db.session.flush()
    # The entries were created just now, so "no evidence for 28 days" only shows when asked 30 days on.
    items = needing_attention(on=on)
    assert [i.participant.id for i in items] == [behind.id]
    reasons = items[0].reasons
    assert any(r.startswith("3 reviews overdue") for r in reasons), reasons  # agreement, 3 and 6 months
    assert "1 evidence entry waiting more than 14 days for review" in reasons
    assert any(r.startswith("Supervision gap: 45 days, more than the 31 allowed") for r in reasons)
    assert "Caseload 20 is above the target of 16" in reasons
    later = {i.participant.id: i.reasons for i in needing_attention(on=on + timedelta(days=30))}
    assert any(r.startswith("No evidence added for 28 days") for r in later[fine.id])
    assert paused.id not in later


def test_it_can_be_limited_to_a_mentors_people(db, mentor):
    cohort = make_cohort("Mine", today() - timedelta(days=100), with_frameworks=False)
    mine = make_participant(cohort)
    other = make_participant(cohort)
    assign(mine, mentor, "mentor")
    ids = visible_participants_query(mentor).with_only_columns(Participant.id)
    assert [i.participant.id for i in needing_attention(among=ids)] == [mine.id]
    assert other.id in {i.participant.id for i in needing_attention()}


def test_someone_not_started_is_not_listed(db):
    cohort = make_cohort("Later", today() + timedelta(days=10), with_frameworks=False)
    make_participant(cohort)
    assert needing_attention(on=today()) == []


def test_the_caseload_counted_is_the_last_one_recorded_on_the_latest_day(db, coordinator):
    on = today()
    cohort = make_cohort("Caseloads", on - timedelta(days=20), with_frameworks=False)
    corrected_down, corrected_up = make_participant(cohort, today=on), make_participant(cohort, today=on)
    day = on - timedelta(days=2)
    for person, first, then in ((corrected_down, 20, 14), (corrected_up, 14, 19)):
        db.session.add(
            CaseloadSnapshot(participant_id=person.id, taken_on=day, cases=first, recorded_by_id=coordinator.id)
        )
        db.session.flush()
        db.session.add(
            CaseloadSnapshot(participant_id=person.id, taken_on=day, cases=then, recorded_by_id=coordinator.id)
        )
        db.session.flush()
    reasons = {i.participant.id: i.reasons for i in needing_attention(on=on)}
    assert not any(r.startswith("Caseload") for r in reasons.get(corrected_down.id, []))
    assert "Caseload 19 is above the target of 16" in reasons[corrected_up.id]
