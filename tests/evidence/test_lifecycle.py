"""Every evidence transition the lifecycle allows, and the ones it refuses, through the services."""

from datetime import date

import pytest
import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.core.append_only import AppendOnlyViolation
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.evidence import services, states
from academy.evidence.models import EvidenceEvent, EvidenceStatus, EvidenceType
from tests import factories

S = EvidenceStatus


@pytest.fixture
def setup(db, mentor):
    participant = factories.make_participant(start=date(2025, 9, 1), today=date(2025, 9, 1))
    factories.assign(participant, mentor, "assessor")
    elements = [el for fw in participant.cohort.frameworks for el in fw.elements]
    return participant, mentor, elements


def make_entry(participant, elements, **overrides):
    fields = {
        "by": participant.user,
        "type": EvidenceType.DIRECT_OBSERVATION,
        "title": "Home visit with a family",
        "activity_date": date(2025, 10, 1),
        "narrative": "I led the visit; my assessor observed.",
        "links": [(elements[0].id, "Shows direct work"), (elements[1].id, "Shows analysis")],
        "observer_name": "Alex Assessor",
        "observer_is_registered": True,
        "setting": "Home visit",
    }
    fields.update(overrides)
    participant_ = fields.pop("participant", participant)
    return services.create_evidence(participant_, **fields)


# Every (status, action) pair the lifecycle allows, worked out by hand, and where it leads.
ALLOWED = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.RETURNED, "edit"): S.RETURNED,
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "submit"): S.RESUBMITTED,
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.RESUBMITTED, "accept"): S.ACCEPTED,
    (S.RESUBMITTED, "return"): S.RETURNED,
}
REFUSED = {
    "edit": "is read-only",
    "submit": "cannot be submitted",
    "accept": "cannot be accepted",
    "return": "cannot be returned",
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(REFUSED))
def test_transition_table(status, action):
    machine = states.EVIDENCE_LIFECYCLE
    if (status, action) in ALLOWED:
        assert machine.check(status, action) == ALLOWED[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            machine.check(status, action)
        assert refused.value.message == f"A {status.value} entry {REFUSED[action]}."
        assert refused.value.field == "status"


def test_the_status_groups_follow_from_the_table():
    assert {S.DRAFT, S.RETURNED} == states.EDITABLE
    assert {S.SUBMITTED, S.RESUBMITTED} == states.AWAITING_REVIEW
    assert {S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.RESUBMITTED} == states.VISIBLE_TO_STAFF


def test_full_lifecycle_keeps_history_and_audit(setup, db):
    participant, assessor, elements = setup
    entry = make_entry(participant, elements)
    assert entry.status == S.DRAFT
    with pytest.raises(DomainError, match="Confirm that no child"):
        services.submit_evidence(entry, by=participant.user)
    services.confirm_anonymised(entry, by=participant.user)
    services.submit_evidence(entry, by=participant.user)
    assert entry.status == S.SUBMITTED
    assert entry.submitted_at is not None
    with pytest.raises(DomainError, match="Say what the NQSW needs to change"):
        services.return_evidence(entry, by=assessor, feedback="  ")
    services.return_evidence(entry, by=assessor, feedback="Say more about your analysis.")
    assert entry.status == S.RETURNED
    assert entry.feedback == "Say more about your analysis."
    services.update_evidence(
        entry,
        by=participant.user,
        title=entry.title,
        activity_date=entry.activity_date,
        narrative="More analysis here.",
        links=[(elements[0].id, "Shows direct work")],
        anonymised_confirmed=True,
        observer_name="Alex Assessor",
        observer_is_registered=True,
        setting="Home visit",
    )
    services.submit_evidence(entry, by=participant.user)
    assert entry.status == S.RESUBMITTED
    services.accept_evidence(entry, by=assessor, comment="Good.")
    assert entry.status == S.ACCEPTED
    assert entry.decided_by_id == assessor.id

    actions = [e.action for e in entry.history]
    assert actions == ["created", "submitted", "returned", "updated", "resubmitted", "accepted"]
    assert entry.history[0].snapshot["status"] == "draft"
    assert entry.history[3].snapshot["narrative"] == "More analysis here."
    assert len(entry.history[0].snapshot["links"]) == 2
    audit = db.session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.subject_type == "EvidenceEntry", AuditEvent.subject_id == entry.id
        )
    ).all()
    assert audit == [f"evidence.{a}" for a in actions]
    # History rows are append-only.
    entry.history[0].comment = "changed"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_accepted_and_submitted_entries_are_read_only(setup):
    participant, assessor, elements = setup
    entry = make_entry(participant, elements, anonymised_confirmed=True)
    services.submit_evidence(entry, by=participant.user)
    edit = {"title": "x", "activity_date": date(2025, 10, 1), "links": [(elements[0].id, "r")], "setting": "s"}
    with pytest.raises(InvalidTransition, match="submitted entry is read-only"):
        services.update_evidence(entry, by=participant.user, **edit)
    with pytest.raises(InvalidTransition):
        services.submit_evidence(entry, by=participant.user)
    services.accept_evidence(entry, by=assessor)
    with pytest.raises(InvalidTransition, match="accepted entry is read-only"):
        services.update_evidence(entry, by=participant.user, **edit)
    with pytest.raises(InvalidTransition, match="accepted entry cannot be returned"):
        services.return_evidence(entry, by=assessor, feedback="Again")
    with pytest.raises(InvalidTransition):
        services.accept_evidence(entry, by=assessor)


def test_draft_cannot_be_reviewed(setup):
    participant, assessor, elements = setup
    entry = make_entry(participant, elements)
    with pytest.raises(InvalidTransition, match="draft entry cannot be accepted"):
        services.accept_evidence(entry, by=assessor)
    with pytest.raises(InvalidTransition, match="draft entry cannot be returned"):
        services.return_evidence(entry, by=assessor, feedback="No")


def test_submit_needs_a_link(setup):
    participant, _, elements = setup
    entry = make_entry(participant, elements, links=[], anonymised_confirmed=True)
    with pytest.raises(DomainError, match="at least one element"):
        services.submit_evidence(entry, by=participant.user)


def test_who_may_review(setup, db):
    participant, _assessor, elements = setup
    other_mentor = factories.make_user(("mentor",))
    line_manager = factories.make_user(("mentor",))
    year_mentor = factories.make_user(("mentor",))
    factories.assign(participant, line_manager, "line_manager")
    factories.assign(participant, year_mentor, "mentor")
    entry = make_entry(participant, elements, anonymised_confirmed=True)
    services.submit_evidence(entry, by=participant.user)
    for person in (participant.user, other_mentor, line_manager, year_mentor):
        with pytest.raises(NotAllowed):
            services.accept_evidence(entry, by=person)
    participant.programme_year = 2  # a mentor may review in years 2 and 3
    services.accept_evidence(entry, by=year_mentor)
    assert entry.status == S.ACCEPTED


def test_an_observation_the_assessor_wrote_is_theirs_to_edit_and_the_nqsw_reflects_beside_it(setup):
    participant, assessor, elements = setup
    entry = make_entry(participant, elements, by=assessor, anonymised_confirmed=True)
    assert entry.author_id == assessor.id
    with pytest.raises(NotAllowed):
        make_entry(participant, elements, by=assessor, type=EvidenceType.CRITICAL_REFLECTION)
    edit = {"title": "Changed by the NQSW", "activity_date": date(2025, 10, 1), "links": [(elements[0].id, "r")]}
    with pytest.raises(NotAllowed, match="Only the person who wrote"):
        services.update_evidence(entry, by=participant.user, **edit)
    with pytest.raises(NotAllowed, match="Only the person who wrote"):
        services.submit_evidence(entry, by=participant.user)
    assert entry.title != "Changed by the NQSW"
    with pytest.raises(NotAllowed):
        services.add_reflection(entry, by=assessor, reflection="Not theirs to write")
    with pytest.raises(DomainError, match="Write your reflection"):
        services.add_reflection(entry, by=participant.user, reflection="  ")
    services.add_reflection(entry, by=participant.user, reflection="I learned to slow down.")
    assert entry.nqsw_reflection == "I learned to slow down."
    services.submit_evidence(entry, by=assessor)
    # The assessor who wrote it reviews it (nobody else could in year 1); the NQSW never does.
    with pytest.raises(NotAllowed, match="about them"):
        services.accept_evidence(entry, by=participant.user)
    services.accept_evidence(entry, by=assessor)
    assert entry.status == S.ACCEPTED
    with pytest.raises(DomainError, match="accepted"):
        services.add_reflection(entry, by=participant.user, reflection="Too late")


def test_only_nqsw_or_author_edits(setup):
    participant, assessor, elements = setup
    entry = make_entry(participant, elements)
    stranger = factories.make_user(("nqsw",))
    edit = {"title": "x", "activity_date": date(2025, 10, 1), "links": [(elements[0].id, "r")]}
    for person in (assessor, stranger):
        with pytest.raises(NotAllowed):
            services.update_evidence(entry, by=person, **edit)
    with pytest.raises(NotAllowed):
        make_entry(participant, elements, by=stranger)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"activity_date": None}, "activity_date"),
        ({"activity_date": date(2099, 1, 1)}, "activity_date"),
        ({"observer_name": ""}, "observer_name"),
        ({"observer_is_registered": None}, "observer_is_registered"),
        ({"setting": ""}, "setting"),
        ({"links": [(999999, "x")]}, "links"),
    ],
)
def test_validation_messages(setup, overrides, field):
    participant, _, elements = setup
    with pytest.raises(DomainError) as caught:
        make_entry(participant, elements, **overrides)
    assert caught.value.field == field


def test_link_needs_reason_and_type_fields(setup):
    participant, _, elements = setup
    with pytest.raises(DomainError) as caught:
        make_entry(participant, elements, links=[(elements[2].id, "  ")])
    assert caught.value.field == f"reason_{elements[2].id}"
    base = {"observer_name": None, "observer_is_registered": None, "setting": None}
    learning = make_entry(participant, elements, type=EvidenceType.LEARNING, hours="3.5", **base)
    assert str(learning.hours) == "3.50"
    with pytest.raises(DomainError, match="Hours must be between"):
        make_entry(participant, elements, type=EvidenceType.LEARNING, hours="0", **base)
    with pytest.raises(DomainError, match="Choose who gave"):
        make_entry(participant, elements, type=EvidenceType.FEEDBACK_PERSON, feedback_source="police", **base)
    report = make_entry(participant, elements, type=EvidenceType.WRITTEN_REPORT, report_kind="Court report", **base)
    assert report.report_kind == "Court report"
    assert EvidenceEvent.__tablename__ == "evidence_event"
