"""Milestone reviews: due -> held -> signed, table-driven; a signed review never changes; overdue is derived."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Review, ReviewStatus
from academy.assessment.services.reviews import (
    add_nqsw_comment,
    record_review,
    review_for,
    review_state,
    sign_review,
)
from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.participants.lifecycle import advance_year
from academy.participants.models import ParticipantStatus
from tests.conftest import sign_in
from tests.factories import make_team, review_record


@pytest.fixture
def team(db):
    return make_team()


def milestone(team, code="review_3m"):
    return next(m for m in team.participant.milestones if m.code == code)


def to_state(team, state: str):
    """A review of the 3-month milestone brought to `state` through the services."""
    m = milestone(team)
    if state == "due":
        return m, None
    review = record_review(m, review_record(), by=team.assessor)
    if state in ("commented", "nqsw_signed", "assessor_signed", "signed"):
        add_nqsw_comment(review, "I agree with the actions.", by=team.nqsw)
    if state in ("nqsw_signed", "signed"):
        sign_review(review, by=team.nqsw)
    if state in ("assessor_signed", "signed"):
        sign_review(review, by=team.assessor)
    return m, review


ACTIONS = {
    "record": lambda team, m, r: record_review(m, review_record(progress_summary="Changed"), by=team.assessor),
    "comment": lambda team, m, r: add_nqsw_comment(r, "A new comment", by=team.nqsw),
    "sign_nqsw": lambda team, m, r: sign_review(r, by=team.nqsw),
    "sign_assessor": lambda team, m, r: sign_review(r, by=team.assessor),
}


@pytest.mark.parametrize(
    ("state", "action", "result"),
    [
        ("due", "record", "held"),
        ("held", "record", "held"),
        ("held", "comment", "held"),
        ("held", "sign_assessor", "held"),
        ("held", "sign_nqsw", DomainError),  # the NQSW comments before signing
        ("commented", "sign_nqsw", "held"),
        ("commented", "record", "held"),
        ("nqsw_signed", "record", InvalidTransition),
        ("nqsw_signed", "comment", InvalidTransition),
        ("nqsw_signed", "sign_nqsw", InvalidTransition),
        ("nqsw_signed", "sign_assessor", "signed"),
        ("assessor_signed", "record", InvalidTransition),
        ("assessor_signed", "comment", "held"),
        ("assessor_signed", "sign_assessor", InvalidTransition),
        ("assessor_signed", "sign_nqsw", "signed"),
        ("signed", "record", InvalidTransition),
        ("signed", "comment", InvalidTransition),
        ("signed", "sign_nqsw", InvalidTransition),
        ("signed", "sign_assessor", InvalidTransition),
    ],
)
def test_review_transitions(team, state, action, result):
    m, review = to_state(team, state)
    if isinstance(result, str):
        ACTIONS[action](team, m, review)
        assert review_for(m).status == ReviewStatus(result)
    else:
        before = (review.status, review.progress_summary, review.nqsw_comment)
        with pytest.raises(result):
            ACTIONS[action](team, m, review)
        assert (review.status, review.progress_summary, review.nqsw_comment) == before


@pytest.mark.parametrize("action", ["comment", "sign_nqsw", "sign_assessor"])
def test_a_due_review_cannot_be_commented_on_or_signed(team, action):
    m = milestone(team)
    with pytest.raises((InvalidTransition, NotAllowed)):
        ACTIONS[action](team, m, Review(participant=team.participant, milestone=m, status=ReviewStatus.DUE))


def test_signing_completes_the_milestone_and_is_audited(team, db):
    m, review = to_state(team, "signed")
    assert review.status == ReviewStatus.SIGNED
    assert m.completed_on == review.held_on
    assert review.assessor_signed_by_id == team.assessor.id
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Review")).all()
    assert actions == ["review.recorded", "review.commented", "review.signed", "review.signed"]


@pytest.mark.parametrize("who", ["mentor", "line_manager", "nqsw"])
def test_only_the_assessor_records_a_review(team, who):
    with pytest.raises(NotAllowed):
        record_review(milestone(team), review_record(), by=getattr(team, who))


def test_nobody_signs_their_own_record_as_the_assessor(team):
    """The NQSW's signature is only ever the NQSW's: it never counts as the assessor's."""
    _, review = to_state(team, "commented")
    sign_review(review, by=team.nqsw)
    with pytest.raises(InvalidTransition):
        sign_review(review, by=team.nqsw)
    assert review.assessor_signed_at is None
    assert review.status == ReviewStatus.HELD


@pytest.mark.parametrize("who", ["mentor", "line_manager"])
def test_other_staff_cannot_sign_or_comment(team, who):
    _, review = to_state(team, "commented")
    with pytest.raises(NotAllowed):
        sign_review(review, by=getattr(team, who))
    with pytest.raises(NotAllowed):
        add_nqsw_comment(review, "Not mine to add", by=getattr(team, who))


def test_a_former_assessor_cannot_sign(team):
    from tests import factories

    _, review = to_state(team, "commented")
    successor = factories.make_user({"mentor"})
    factories.assign(team.participant, successor, "assessor", starts_on=today(), handover_note="Handover")
    with pytest.raises(NotAllowed):
        sign_review(review, by=team.assessor)
    sign_review(review, by=successor)


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("held_on", {"held_on": None}, "date the review was held"),
        ("held_on", {"held_on": date(2999, 1, 1)}, "today or in the past"),
        ("attendees", {"attendees": " "}, "who attended"),
        ("on_track", {"on_track": None}, "on track"),
    ],
)
def test_a_review_record_is_checked(team, field, changes, message):
    bad = review_record(**changes)
    if "held_on" in changes:
        bad.held_on = changes["held_on"]
    with pytest.raises(DomainError, match=message) as error:
        record_review(milestone(team), bad, by=team.assessor)
    assert error.value.field == field


def test_overdue_is_derived_from_the_due_date(team):
    m = milestone(team)  # due 3 months after a start 120 days ago
    assert review_state(m, None) == "overdue"
    assert review_state(m, None, today=m.due_date) == "due"
    review = record_review(m, review_record(), by=team.assessor)
    assert review_state(m, review) == "held"


def test_signing_the_end_of_programme_review_completes_the_participant(db):
    team = make_team(start=today() - timedelta(days=1100))
    advance_year(team.participant, actor=None, on=today())
    advance_year(team.participant, actor=None, on=today())
    m = milestone(team, "year3_end")
    review = record_review(m, review_record(), by=team.assessor)
    add_nqsw_comment(review, "Thank you", by=team.nqsw)
    sign_review(review, by=team.nqsw)
    sign_review(review, by=team.assessor)
    assert team.participant.status == ParticipantStatus.COMPLETED


def test_the_panel_milestone_is_not_a_review(team):
    with pytest.raises(DomainError, match="not a review"):
        record_review(milestone(team, "panel"), review_record(), by=team.assessor)


def test_review_through_the_pages(client, team, login):
    m = milestone(team)
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.assessor)
    empty = client.post_form(url, {"attendees": ""})
    assert empty.status_code == 400
    assert "List who attended the review" in empty.get_data(as_text=True)
    held = today() - timedelta(days=2)
    form = {
        "held_on": [str(held.day), str(held.month), str(held.year)],
        "attendees": "NQSW and assessor",
        "progress_summary": "Good progress",
        "on_track": "yes",
        "actions": "",
        "interim_assessment": "On track for a pass",
    }
    assert client.post_form(url, form).status_code == 302
    client.post_form(f"{url}/sign", {}, page=url)
    assert review_for(m).assessor_signed_at is not None
    login(team.nqsw)
    assert "Sign the review" not in client.get(url).get_data(as_text=True)  # comment first
    client.post_form(f"{url}/comment", {"comment": "I agree"}, page=url)
    client.post_form(f"{url}/sign", {}, page=url)
    review = review_for(m)
    assert (review.status, review.held_on, review.nqsw_comment) == (ReviewStatus.SIGNED, held, "I agree")
    page = client.get(url).get_data(as_text=True)
    assert "can no longer be changed" in page
    assert "Save review" not in page
    login(team.assessor)
    assert client.post_form(url, form, page=f"/participants/{team.participant.id}/assessment").status_code == 400


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("line_manager", 403)])
def test_review_recording_is_refused_to_other_staff(client, team, who, status):
    m = milestone(team)
    sign_in(client, getattr(team, who))
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    assert client.get(url).status_code == 200  # they may read it
    assert client.post_form(url, {"attendees": "x"}).status_code == status


def test_signing_the_last_review_of_year_two_moves_to_year_three(db):
    team = make_team(start=today() - timedelta(days=800))
    advance_year(team.participant, actor=None, on=today())
    for code in ("year2_mid", "year2_end"):
        review = record_review(milestone(team, code), review_record(), by=team.assessor)
        add_nqsw_comment(review, "Agreed", by=team.nqsw)
        sign_review(review, by=team.nqsw)
        sign_review(review, by=team.assessor)
        assert team.participant.programme_year == (2 if code == "year2_mid" else 3)
