"""Milestone reviews: due -> held -> signed (by one, then both), table-driven; a signed review never changes."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Review, ReviewStatus
from academy.assessment.queries import review_page_state
from academy.assessment.services.reviews import (
    ReviewRecord,
    add_nqsw_comment,
    previous_review,
    record_review,
    review_for,
    review_state,
    sign_review,
    since_last_review,
)
from academy.assessment.states import AWAITING_SIGNATURE, REVIEW_LIFECYCLE, still_to_sign
from academy.audit.models import AuditEvent
from academy.core.dates import today
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from academy.participants.lifecycle import advance_year
from academy.participants.models import ParticipantStatus
from tests.conftest import sign_in
from tests.factories import elements, make_entry, make_team, rate_everything, review_record

RECORD = ReviewRecord(
    held_on=None,
    attendees="NQSW, assessor, line manager",
    progress_summary="Steady progress across the statements.",
    on_track=True,
    actions="Arrange a second direct observation.",
    interim_assessment="Developing as expected.",
    previous_actions_progress="The second direct observation was held.",
)


def record(**changes) -> ReviewRecord:
    return ReviewRecord(**{**RECORD.__dict__, "held_on": today() - timedelta(days=1), **changes})


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
        ("held", "sign_assessor", "signed_by_assessor"),
        ("held", "sign_nqsw", "signed_by_nqsw"),  # a comment is optional
        ("commented", "sign_nqsw", "signed_by_nqsw"),
        ("commented", "record", "held"),
        ("nqsw_signed", "record", InvalidTransition),
        ("nqsw_signed", "comment", InvalidTransition),
        ("nqsw_signed", "sign_nqsw", InvalidTransition),
        ("nqsw_signed", "sign_assessor", "signed"),
        ("assessor_signed", "record", InvalidTransition),
        ("assessor_signed", "comment", "signed_by_assessor"),
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


R = ReviewStatus
NOT_RECORDED = "The review has not been recorded yet, so it cannot be commented on or signed."
SOMEONE_SIGNED = "Someone has signed this review, so the record cannot be changed."
FIXED = "This review has been signed by both people, so it cannot be changed."

# The review lifecycle by hand: every (state, action) pair, with the state it leads to or the refusal.
REVIEW_TABLE = {
    (R.DUE, "record"): R.HELD,
    (R.DUE, "comment"): NOT_RECORDED,
    (R.DUE, "sign_assessor"): NOT_RECORDED,
    (R.DUE, "sign_nqsw"): NOT_RECORDED,
    (R.HELD, "record"): R.HELD,
    (R.HELD, "comment"): R.HELD,
    (R.HELD, "sign_assessor"): R.SIGNED_BY_ASSESSOR,
    (R.HELD, "sign_nqsw"): R.SIGNED_BY_NQSW,
    (R.SIGNED_BY_ASSESSOR, "record"): SOMEONE_SIGNED,
    (R.SIGNED_BY_ASSESSOR, "comment"): R.SIGNED_BY_ASSESSOR,
    (R.SIGNED_BY_ASSESSOR, "sign_assessor"): "The assessor has already signed this review.",
    (R.SIGNED_BY_ASSESSOR, "sign_nqsw"): R.SIGNED,
    (R.SIGNED_BY_NQSW, "record"): SOMEONE_SIGNED,
    (R.SIGNED_BY_NQSW, "comment"): "You have signed this review, so your comment cannot be changed.",
    (R.SIGNED_BY_NQSW, "sign_assessor"): R.SIGNED,
    (R.SIGNED_BY_NQSW, "sign_nqsw"): "You have already signed this review.",
    (R.SIGNED, "record"): FIXED,
    (R.SIGNED, "comment"): FIXED,
    (R.SIGNED, "sign_assessor"): FIXED,
    (R.SIGNED, "sign_nqsw"): FIXED,
}


def test_the_review_table_covers_every_state_and_action():
    assert set(REVIEW_TABLE) == {(state, action) for state in R for action in REVIEW_LIFECYCLE.actions}


@pytest.mark.parametrize(("state", "action"), list(REVIEW_TABLE))
def test_review_state_table(state, action):
    expected = REVIEW_TABLE[(state, action)]
    if isinstance(expected, ReviewStatus):
        assert REVIEW_LIFECYCLE.check(state, action) == expected
        assert action in REVIEW_LIFECYCLE.allowed(state)
    else:
        with pytest.raises(InvalidTransition) as refused:
            REVIEW_LIFECYCLE.check(state, action)
        assert refused.value.message == expected
        assert action not in REVIEW_LIFECYCLE.allowed(state)


@pytest.mark.parametrize(
    ("state", "to_sign"),
    [
        (R.DUE, []),
        (R.HELD, ["assessor", "nqsw"]),
        (R.SIGNED_BY_ASSESSOR, ["nqsw"]),
        (R.SIGNED_BY_NQSW, ["assessor"]),
        (R.SIGNED, []),
    ],
)
def test_who_still_has_to_sign_follows_from_the_state(state, to_sign):
    assert still_to_sign(state) == to_sign
    assert (state in AWAITING_SIGNATURE) == bool(to_sign)


@pytest.mark.parametrize(
    ("state", "status", "shown"),
    [
        ("held", R.HELD, "held"),
        ("assessor_signed", R.SIGNED_BY_ASSESSOR, "held"),
        ("nqsw_signed", R.SIGNED_BY_NQSW, "held"),
        ("signed", R.SIGNED, "signed"),
    ],
)
def test_each_signature_is_a_state_and_the_timestamps_record_it(team, state, status, shown):
    m, review = to_state(team, state)
    assert review.status == status
    assert (review.assessor_signed_at is not None) == (status in {R.SIGNED_BY_ASSESSOR, R.SIGNED})
    assert (review.nqsw_signed_at is not None) == (status in {R.SIGNED_BY_NQSW, R.SIGNED})
    assert review_state(m, review) == shown


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
    assert review.status == ReviewStatus.SIGNED_BY_NQSW


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
    assert "Sign the review" in client.get(url).get_data(as_text=True)  # a comment is optional
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


# What the review page offers each person in each state: (record, comment, sign).
PAGE_OFFERS = {
    ("due", "assessor"): (True, False, False),
    ("due", "nqsw"): (False, False, False),
    ("held", "assessor"): (True, False, True),
    ("held", "nqsw"): (False, True, True),  # the NQSW may sign without a comment
    ("commented", "nqsw"): (False, True, True),
    ("nqsw_signed", "assessor"): (False, False, True),
    ("nqsw_signed", "nqsw"): (False, False, False),
    ("assessor_signed", "assessor"): (False, False, False),
    ("assessor_signed", "nqsw"): (False, True, True),
    ("signed", "assessor"): (False, False, False),
    ("signed", "nqsw"): (False, False, False),
    ("held", "mentor"): (False, False, False),
    ("held", "line_manager"): (False, False, False),
}


@pytest.mark.parametrize(("state", "who"), PAGE_OFFERS)
def test_what_the_review_page_offers(team, state, who):
    m, review = to_state(team, state)
    page = review_page_state(m, getattr(team, who))
    assert (page.may_record, page.may_comment, page.may_sign) == PAGE_OFFERS[(state, who)]
    assert page.review is review
    assert page.signed_by == (team.assessor if state in ("assessor_signed", "signed") else None)


def test_the_nqsw_signs_in_one_step_without_a_comment(client, team, login):
    m, review = to_state(team, "held")
    sign_review(review, by=team.assessor)
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.nqsw)
    response = client.post_form(f"{url}/sign", {}, page=url, follow_redirects=True)
    assert "is signed by both of you" in response.get_data(as_text=True)
    assert review_for(m).nqsw_signed_at is not None
    assert review_for(m).nqsw_comment == ""


def test_an_empty_comment_is_refused_on_the_page(client, team, login):
    m, _ = to_state(team, "held")
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.nqsw)
    response = client.post_form(f"{url}/comment", {"comment": ""}, page=url)
    assert response.status_code == 400
    assert "Enter your comment" in response.get_data(as_text=True)


def test_commenting_or_signing_needs_a_recorded_review(client, team, login):
    m, _ = to_state(team, "due")
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.nqsw)
    token = client.csrf_token(url)
    assert client.post(f"{url}/comment", data={"csrf_token": token, "comment": "Hi"}).status_code == 404
    assert client.post(f"{url}/sign", data={"csrf_token": token}).status_code == 404


def test_another_nqsw_is_told_the_review_does_not_exist(client, team, login):
    m, _ = to_state(team, "commented")
    other = make_team()
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(other.nqsw)
    assert client.get(url).status_code == 404
    token = client.csrf_token(f"/participants/{other.participant.id}/assessment")
    assert client.post(f"{url}/sign", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/participants/{team.participant.id}/milestones/999999/review").status_code == 404


def test_a_future_date_is_refused_on_the_first_submit_with_every_error(client, team, login):
    m = milestone(team)
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.assessor)
    later = today() + timedelta(days=3)
    response = client.post_form(
        url,
        {"held_on": [str(later.day), str(later.month), str(later.year)], "attendees": "", "progress_summary": "Kept"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "The review date must be today or in the past",
        "List who attended the review",
        "Say whether the NQSW is on track",
        "Write your assessment",
    ):
        assert message in page
    assert "Kept" in page
    assert 'name="on_track" type="radio" value="yes" checked' not in page
    assert review_for(m) is None


def test_a_review_builds_on_the_previous_one(client, team, login, db):
    first = milestone(team, "agreement")
    review = record_review(
        first, record(held_on=today() - timedelta(days=60), actions="Book a court skills course."), by=team.assessor
    )
    add_nqsw_comment(review, "Agreed", by=team.nqsw)
    sign_review(review, by=team.nqsw)
    sign_review(review, by=team.assessor)
    entry = make_entry(team.participant, title="Court statement")
    rate_everything(team.participant, team.assessor, skip=len(elements(team.participant, 100)) - 1)
    m = milestone(team)
    assert previous_review(m).id == review.id
    since = since_last_review(m)
    assert entry.id in {e.id for e in since.evidence}
    assert len(since.ratings) == 1
    url = f"/participants/{team.participant.id}/milestones/{m.id}/review"
    login(team.assessor)
    page = client.get(url).get_data(as_text=True)
    assert "Book a court skills course." in page
    assert "Court statement" in page
    assert "Supervision sessions held" in page
    assert "What happened to each action agreed at the previous review" in page
    held = today() - timedelta(days=1)
    form = {
        "held_on": [str(held.day), str(held.month), str(held.year)],
        "attendees": "NQSW and assessor",
        "progress_summary": "Good progress",
        "on_track": "yes",
        "actions": "",
        "interim_assessment": "On track",
        "previous_actions_progress": "",
    }
    refused = client.post_form(url, form)
    assert refused.status_code == 400
    assert "Say what happened to each action agreed at the previous review" in refused.get_data(as_text=True)
    with pytest.raises(DomainError, match="what happened"):
        record_review(m, record(previous_actions_progress=""), by=team.assessor)
    form["previous_actions_progress"] = "Course booked for March."
    assert client.post_form(url, form).status_code == 302
    assert review_for(m).previous_actions_progress == "Course booked for March."
    assert "Course booked for March." in client.get(url).get_data(as_text=True)
