"""Lifecycle transitions: each allowed one writes a status event and an audit event; refused ones say why."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.core.errors import DomainError, InvalidTransition
from academy.participants import lifecycle
from academy.participants.models import LeavingDestination, ParticipantStatus, PauseReason, StatusEvent, StatusEventKind
from academy.participants.states import PARTICIPANT_LIFECYCLE, allowed_actions
from tests import factories

START = date(2025, 9, 1)
TODAY = date(2025, 10, 1)


@pytest.fixture
def participant(db):
    return factories.make_participant(start=START, today=TODAY)


def _set_status(participant, status):
    participant.status = status


def _run(action, participant, actor):
    on = date(2025, 11, 3)
    calls = {
        "activate": lambda: lifecycle.activate(participant, actor=actor, on=on),
        "pause": lambda: lifecycle.pause(participant, actor=actor, reason=PauseReason.SICKNESS, starts_on=on),
        "resume": lambda: lifecycle.resume(participant, actor=actor, on=date(2025, 12, 1)),
        "change_fte": lambda: lifecycle.change_fte(participant, Decimal("0.5"), actor=actor, on=on),
        "leave": lambda: lifecycle.leave(
            participant, actor=actor, on=on, reason="Moved away", destination=LeavingDestination.OTHER_LOCAL_AUTHORITY
        ),
        "withdraw": lambda: lifecycle.withdraw(participant, actor=actor, on=on, reason="Left the programme"),
        "advance_year": lambda: lifecycle.advance_year(participant, actor=actor, on=on),
        "complete": lambda: lifecycle.complete_participant(participant, actor=actor, on=on),
        "fail": lambda: lifecycle.fail_participant(participant, actor=actor, on=on),
    }
    return calls[action]()


# Every (action, status) pair: allowed ones per the product's lifecycle, worked out by hand.
ALLOWED = {
    "activate": {"enrolled"},
    "pause": {"active"},
    "resume": {"paused"},
    "change_fte": {"enrolled", "active", "paused"},
    "leave": {"enrolled", "active", "paused"},
    "withdraw": {"enrolled", "active", "paused"},
    "advance_year": {"active"},
    "complete": {"active"},
    "fail": {"active"},
}
CASES = [(action, status) for action in PARTICIPANT_LIFECYCLE.actions for status in ParticipantStatus]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_transition_table(db, coordinator, participant, action, status):
    if status == ParticipantStatus.PAUSED:
        participant.status = ParticipantStatus.ACTIVE
        lifecycle.pause(participant, actor=coordinator, reason=PauseReason.OTHER, starts_on=date(2025, 10, 6))
    else:
        participant.status = status
    if action == "complete":
        participant.programme_year = 3
    before_events = len(participant.status_events)
    if status.value in ALLOWED[action]:
        _run(action, participant, coordinator)
        assert len(participant.status_events) == before_events + 1
        event = participant.status_events[-1]
        assert event.actor_id == coordinator.id
        audit = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert audit.participant_id == participant.id
        assert audit.actor_id == coordinator.id
    else:
        with pytest.raises(InvalidTransition) as refused:
            _run(action, participant, coordinator)
        assert participant.name in refused.value.message
        assert ":" in refused.value.message  # the reason follows
        assert len(participant.status_events) == before_events


@pytest.mark.parametrize(("action", "status"), CASES)
def test_the_table_allows_what_the_lifecycle_allows_and_says_why_not(action, status):
    """The table itself, without the services: every pair allowed per ALLOWED, or refused naming the person."""
    assert PARTICIPANT_LIFECYCLE.can(status, action) == (status.value in ALLOWED[action])
    refusal = PARTICIPANT_LIFECYCLE.refusal(status, action, name="Sam Example")
    if status.value in ALLOWED[action]:
        assert refusal is None
    else:
        assert refusal.startswith("Sam Example cannot be ")
        assert refusal.endswith(".")


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("pause", "paused", "Sam Example cannot be paused: they are already paused."),
        ("resume", "active", "Sam Example cannot be resumed: they are not paused."),
        (
            "activate",
            "paused",
            "Sam Example cannot be started: they have already started (they are paused: resume them instead).",
        ),
        ("complete", "paused", "Sam Example cannot be completed: they are paused; resume them first."),
        (
            "leave",
            "completed",
            "Sam Example cannot be recorded as leaving: they are completed and their record is closed.",
        ),
        (
            "advance_year",
            "enrolled",
            "Sam Example cannot be moved to the next programme year: that is not possible while they are enrolled.",
        ),
    ],
)
def test_refusals_say_why_in_plain_words(action, status, message):
    with pytest.raises(InvalidTransition) as refused:
        PARTICIPANT_LIFECYCLE.check(ParticipantStatus(status), action, name="Sam Example")
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("action", "status", "target"),
    [
        ("activate", "enrolled", "active"),
        ("pause", "active", "paused"),
        ("resume", "paused", "active"),
        ("change_fte", "paused", "paused"),
        ("leave", "enrolled", "left"),
        ("withdraw", "active", "withdrawn"),
        ("advance_year", "active", "active"),
        ("complete", "active", "completed"),
        ("fail", "active", "failed"),
    ],
)
def test_each_action_leads_where_the_lifecycle_says(action, status, target):
    assert PARTICIPANT_LIFECYCLE.target(ParticipantStatus(status), action) == ParticipantStatus(target)


def test_allowed_actions_for_a_paused_participant():
    assert allowed_actions(ParticipantStatus.PAUSED) == ["resume", "change_fte", "leave", "withdraw"]


def test_pause_twice_says_already_paused(db, coordinator, participant):
    lifecycle.pause(participant, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=date(2025, 10, 6))
    with pytest.raises(InvalidTransition, match="already paused"):
        lifecycle.pause(participant, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=date(2025, 10, 7))


def _due(participant, code):
    return next(m.due_date for m in participant.milestones if m.code == code)


def test_pause_moves_later_due_dates_and_resume_fixes_them(db, coordinator, participant):
    # Start 1 Sep 2025: 3-month review 1 Dec 2025, 6-month 1 Mar 2026, year-2 mid 1 Mar 2027.
    assert _due(participant, "review_3m") == date(2025, 12, 1)
    assert _due(participant, "agreement") == date(2025, 10, 1)
    lifecycle.pause(
        participant,
        actor=coordinator,
        reason=PauseReason.PARENTAL_LEAVE,
        starts_on=date(2025, 11, 1),
        expected_end=date(2025, 12, 1),
    )
    # 30 days paused: the agreement (before the pause) stays; later ones move 30 days.
    assert _due(participant, "agreement") == date(2025, 10, 1)
    assert _due(participant, "review_3m") == date(2025, 12, 31)
    assert _due(participant, "review_6m") == date(2026, 3, 31)
    assert participant.status == ParticipantStatus.PAUSED
    lifecycle.resume(participant, actor=coordinator, on=date(2025, 11, 11))
    # Back after 10 days instead: everything later moves 10 days.
    assert _due(participant, "review_3m") == date(2025, 12, 11)
    assert _due(participant, "year2_mid") == date(2027, 3, 11)
    assert participant.status == ParticipantStatus.ACTIVE
    kinds = [e.kind for e in participant.status_events]
    assert kinds == [StatusEventKind.ENROLLED, StatusEventKind.PAUSED, StatusEventKind.RESUMED]


def test_open_ended_pause_puts_later_dates_on_hold(db, coordinator, participant):
    lifecycle.pause(participant, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=date(2025, 11, 1))
    assert _due(participant, "agreement") == date(2025, 10, 1)
    assert _due(participant, "review_3m") is None
    assert _due(participant, "year3_end") is None


def test_fte_change_stretches_the_rest_of_the_asye(db, coordinator, participant):
    # Full time to 1 Mar 2026 (181 days of 365), then half time: the remaining 184 days take 368.
    lifecycle.change_fte(participant, Decimal("0.5"), actor=coordinator, on=date(2026, 3, 1))
    assert participant.fte == Decimal("0.50")
    assert _due(participant, "review_3m") == date(2025, 12, 1)
    assert _due(participant, "final_review") == date(2027, 3, 4)
    event = participant.status_events[-1]
    assert (event.kind, event.fte) == (StatusEventKind.FTE_CHANGED, Decimal("0.50"))


@pytest.mark.parametrize("bad", ["0", "1.5", "abc", "0.05", "0.333"])
def test_fte_outside_range_is_refused(db, coordinator, participant, bad):
    with pytest.raises(DomainError):
        lifecycle.change_fte(participant, bad, actor=coordinator, on=date(2026, 3, 1))


def test_leaving_records_destination_and_closes_the_record(db, coordinator, participant):
    lifecycle.leave(
        participant, actor=coordinator, on=date(2026, 1, 31), reason="Relocation", destination=LeavingDestination.AGENCY
    )
    assert participant.status == ParticipantStatus.LEFT
    assert participant.ended_on == date(2026, 1, 31)
    event = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.participant_id == participant.id)).all()[-1]
    assert (event.destination, event.reason) == (LeavingDestination.AGENCY, "Relocation")
    with pytest.raises(InvalidTransition, match="record is closed"):
        lifecycle.pause(participant, actor=coordinator, reason=PauseReason.OTHER, starts_on=date(2026, 2, 1))


def test_leaving_needs_a_reason(db, coordinator, participant):
    with pytest.raises(DomainError, match="reason"):
        lifecycle.leave(participant, actor=coordinator, on=date(2026, 1, 31), reason=" ")


def test_year_moves_and_completion(db, coordinator, participant):
    with pytest.raises(InvalidTransition, match="year 1 of 3"):
        lifecycle.complete_participant(participant, actor=coordinator, on=date(2026, 9, 1))
    lifecycle.advance_year(participant, actor=coordinator, on=date(2026, 9, 1))
    with pytest.raises(InvalidTransition, match="after the ASYE"):
        lifecycle.fail_participant(participant, actor=coordinator, on=date(2026, 9, 2))
    lifecycle.advance_year(participant, actor=coordinator, on=date(2027, 9, 1))
    with pytest.raises(InvalidTransition, match="final year"):
        lifecycle.advance_year(participant, actor=coordinator, on=date(2028, 9, 1))
    lifecycle.complete_participant(participant, actor=coordinator, on=date(2028, 9, 1))
    assert (participant.status, participant.programme_year) == (ParticipantStatus.COMPLETED, 3)


def test_status_events_are_append_only(db, coordinator, participant):
    lifecycle.pause(participant, actor=coordinator, reason=PauseReason.SICKNESS, starts_on=date(2025, 11, 1))
    db.session.flush()
    participant.status_events[-1].note = "rewritten"
    with pytest.raises(Exception):  # noqa: B017, PT011 (the append-only guard refuses any update)
        db.session.flush()
