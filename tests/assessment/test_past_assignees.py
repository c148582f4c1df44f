"""Past assignees keep read access to what they signed, nothing newer (docs/product.md section 1).

Ada assessed the NQSW until yesterday: she accepted one entry, rated an element and signed the
3-month review. Today Bea took over. Ada may still read those three records and nothing else.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.models import Rating
from academy.assessment.policies import can_view_rating, can_view_review, former_participant_ids
from academy.assessment.services.ratings import record_rating
from academy.assessment.services.reviews import add_nqsw_comment, record_review, sign_review
from academy.core.dates import today
from academy.evidence.models import EvidenceStatus
from academy.evidence.policies import can_view_evidence
from academy.evidence.services import accept_evidence
from academy.participants.policies import can_view_participant
from tests import factories
from tests.factories import elements, make_entry, make_team, review_record


def _milestone(participant, code):
    return next(m for m in participant.milestones if m.code == code)


def _signed_review(participant, code, assessor, nqsw):
    review = record_review(_milestone(participant, code), review_record(), by=assessor)
    add_nqsw_comment(review, "I agree.", by=nqsw)
    sign_review(review, by=nqsw)
    sign_review(review, by=assessor)
    return review


@pytest.fixture
def handover(db):
    team = make_team()
    p = team.participant
    old = team.assessor
    signed_entry = make_entry(p, title="Entry Ada accepted")
    accept_evidence(signed_entry, by=old)
    element = elements(p, 1)[0]
    old_rating = record_rating(p, element, 2, by=old, comment="Ada's judgement")
    old_review = _signed_review(p, "review_3m", old, team.nqsw)

    new = factories.make_user({"mentor"}, name="Bea Successor")
    factories.assign(p, new, "assessor", starts_on=today(), handover_note="Ada moved team")
    newer_entry = make_entry(p, title="Entry Bea accepted")
    accept_evidence(newer_entry, by=new)
    waiting = make_entry(p, title="Entry waiting for review")
    new_review = _signed_review(p, "review_6m", new, team.nqsw)
    db.session.commit()
    return {
        "team": team,
        "old": old,
        "new": new,
        "signed_entry": signed_entry,
        "old_rating": old_rating,
        "old_review": old_review,
        "newer_entry": newer_entry,
        "waiting": waiting,
        "new_review": new_review,
        "element": element,
    }


def review_url(review):
    return f"/participants/{review.participant_id}/milestones/{review.milestone_id}/review"


def test_the_policies_keep_what_was_signed_and_nothing_else(handover):
    h = handover
    old, p = h["old"], h["team"].participant
    assert not can_view_participant(old, p)
    assert can_view_evidence(old, h["signed_entry"])
    assert not can_view_evidence(old, h["newer_entry"])
    assert not can_view_evidence(old, h["waiting"])
    assert can_view_review(old, h["old_review"])
    assert not can_view_review(old, h["new_review"])
    assert can_view_rating(old, h["old_rating"])
    newer_rating = record_rating(p, h["element"], 3, by=h["new"])
    assert not can_view_rating(old, newer_rating)
    assert can_view_rating(h["new"], h["old_rating"])


def test_a_former_assessor_reads_what_they_signed(client, login, handover):
    h = handover
    login(h["old"])
    entry = client.get(f"/evidence/{h['signed_entry'].id}")
    assert entry.status_code == 200
    page = entry.get_data(as_text=True)
    assert "Entry Ada accepted" in page
    assert "Back to records you signed" in page
    assert "Back to all evidence" not in page  # the portfolio list is not theirs any more
    for action in ("/submit", "/edit", '/attachments"'):
        assert action not in page
    review = client.get(review_url(h["old_review"]))
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    assert "Steady progress across the statements." in page
    assert "Back to records you signed" in page
    # Nothing newer: the "since the previous review" context is for those who see the participant now.
    assert "Entry Bea accepted" not in page
    assert "Since the previous review" not in page
    for action in ("/review/sign", "Record the review", "Change the record"):
        assert action not in page


def test_the_records_page_lists_only_what_they_signed(client, login, handover):
    h = handover
    login(h["old"])
    home = client.get("/home/mentor").get_data(as_text=True)
    assert "/home/mentor/signed-records" in home
    page = client.get("/home/mentor/signed-records")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert h["team"].participant.name in html
    assert f'/evidence/{h["signed_entry"].id}"' in html
    assert review_url(h["old_review"]) in html
    assert "Ada&#39;s judgement" in html  # the rating, shown on the page itself
    assert "Entry Bea accepted" not in html
    assert "Entry waiting for review" not in html
    assert review_url(h["new_review"]) not in html


@pytest.mark.parametrize(
    "url",
    [
        "/participants/{p}",
        "/participants/{p}/evidence",
        "/participants/{p}/assessment",
        "/participants/{p}/concerns",
        "/evidence/{newer}",
        "/evidence/{waiting}",
        "/assessment/evidence/{waiting}",
        "/participants/{p}/ratings/{element}",
        "/ratings/{rating}/correct",
        "/participants/{p}/recommendation",
        "{new_review}",
    ],
)
def test_a_former_assessor_is_refused_everything_else(client, login, handover, url):
    h = handover
    login(h["old"])
    url = url.format(
        p=h["team"].participant.id,
        newer=h["newer_entry"].id,
        waiting=h["waiting"].id,
        element=h["element"].id,
        rating=h["old_rating"].id,
        new_review=review_url(h["new_review"]),
    )
    assert client.get(url).status_code == 403


def test_a_former_assessor_cannot_accept_rate_or_sign(client, login, handover, db):
    h = handover
    p = h["team"].participant
    login(h["old"])
    ratings_before = db.session.scalar(sa.select(sa.func.count(Rating.id)))
    posts = [
        (f"/assessment/evidence/{h['waiting'].id}/accept", {"accept-comment": "Fine"}),
        (f"/assessment/evidence/{h['waiting'].id}/return", {"return-feedback": "Change it"}),
        ("/assessment/evidence/accept", {"entries": [str(h["waiting"].id)]}),
        (f"/participants/{p.id}/ratings/{h['element'].id}", {"value": "3", "comment": ""}),
        (f"/ratings/{h['old_rating'].id}/correct", {"value": "3", "reason": "Second thoughts"}),
        (review_url(h["old_review"]), {"attendees": "Ada"}),
        (review_url(h["old_review"]) + "/sign", {}),
        (f"/participants/{p.id}/milestones/{_milestone(p, 'review_9m').id}/review", {"attendees": "Ada"}),
        (f"/evidence/{h['signed_entry'].id}/submit", {}),
    ]
    for url, data in posts:
        assert client.post_form(url, data, page="/home/mentor").status_code == 403, url
    db.session.expire_all()
    assert h["waiting"].status == EvidenceStatus.SUBMITTED
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == ratings_before


def test_the_new_assessor_has_full_access(client, login, handover):
    h = handover
    p = h["team"].participant
    login(h["new"])
    for url in [
        f"/participants/{p.id}",
        f"/participants/{p.id}/evidence",
        f"/evidence/{h['signed_entry'].id}",
        f"/evidence/{h['newer_entry'].id}",
        f"/assessment/evidence/{h['waiting'].id}",
        f"/participants/{p.id}/ratings/{h['element'].id}",
        review_url(h["old_review"]),
        review_url(h["new_review"]),
        f"/participants/{p.id}/concerns",
    ]:
        assert client.get(url).status_code == 200, url
    returned = client.post_form(
        f"/assessment/evidence/{h['waiting'].id}/return",
        {"return-feedback": "Add what you will do next time."},
        page=f"/assessment/evidence/{h['waiting'].id}",
    )
    assert returned.status_code == 302
    rated = client.post_form(f"/participants/{p.id}/ratings/{h['element'].id}", {"value": "3", "comment": "Now"})
    assert rated.status_code == 302


def test_a_record_signed_while_assigned_stays_readable_after_the_assignment_ends(handover, db):
    """The successor's assignment ending too leaves them the same right (dates, not people)."""
    h = handover
    p = h["team"].participant
    later = factories.make_user({"mentor"}, name="Cy Third")
    factories.assign(p, later, "assessor", starts_on=today() + timedelta(days=1), handover_note="Bea leaves")
    tomorrow = today() + timedelta(days=1)
    assert p.id in db.session.scalars(former_participant_ids(h["new"], tomorrow)).all()
    assert p.id not in db.session.scalars(former_participant_ids(h["new"])).all()
