"""A former assessor finds and reads the records they signed in Chromium, and nothing else. Checked with axe."""

import re
from datetime import timedelta

import pytest

from academy.assessment.services.ratings import record_rating
from academy.assessment.services.reviews import add_nqsw_comment, record_review, sign_review
from academy.core.dates import today
from academy.evidence.services import accept_evidence
from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser
from tests.factories import elements, make_entry, review_record

SIGNED_RECORDS = re.compile(r"/home/mentor/signed-records$")


@pytest.fixture(scope="module")
def story(live_server):
    with live_server.app.app_context():
        old = factories.make_user({"mentor"}, name="Ada Former", email="ada.former@example.org")
        nqsw = factories.make_user({"nqsw"}, name="Nia Newly", email="nia@example.org")
        participant = factories.make_participant(
            factories.make_cohort("Handover intake"), nqsw, start=today() - timedelta(days=120)
        )
        factories.assign(participant, old, "assessor")
        accept_evidence(make_entry(participant, title="Observed family meeting"), by=old)
        record_rating(participant, elements(participant, 1)[0], 2, by=old, comment="Clear and careful")
        milestone = next(m for m in participant.milestones if m.code == "review_3m")
        review = record_review(milestone, review_record(), by=old)
        add_nqsw_comment(review, "I agree.", by=nqsw)
        sign_review(review, by=nqsw)
        sign_review(review, by=old)
        new = factories.make_user({"mentor"}, name="Bea Successor", email="bea.successor@example.org")
        factories.assign(participant, new, "assessor", starts_on=today(), handover_note="Ada moved team")
        make_entry(participant, title="Newer work for Bea")
        db.session.commit()
        return {"participant_id": participant.id}


@pytest.mark.browser
def test_a_former_assessor_reads_what_they_signed(page, live_server, story):
    sign_in_through_browser(page, "ada.former@example.org", factories.PASSWORD)
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Records you signed"), url=SIGNED_RECORDS)
    a11y(page)
    assert "Newer work for Bea" not in page.content()
    assert "Clear and careful" in page.content()

    click_and_wait(page, page.get_by_role("link", name="Observed family meeting"), url=re.compile(r"/evidence/\d+$"))
    a11y(page)
    assert page.get_by_role("heading", name="Observed family meeting").is_visible()
    assert page.get_by_role("button").filter(has_text="Submit").count() == 0
    click_and_wait(page, page.get_by_role("link", name="Back to records you signed"), url=SIGNED_RECORDS)

    click_and_wait(
        page,
        page.get_by_role("link", name="3-month review"),
        url=re.compile(r"/participants/\d+/milestones/\d+/review$"),
    )
    a11y(page)
    assert "Steady progress across the statements." in page.content()
    assert page.get_by_role("button", name="Sign the review").count() == 0

    response = page.goto(f"{live_server.url}/participants/{story['participant_id']}/evidence")
    assert response.status == 403
