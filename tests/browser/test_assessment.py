"""One NQSW through assessment in Chromium: evidence accepted and rated, a signed review, a refused then
accepted PASS, and the panel's confirmation moving them to year 2. Every page is checked with axe."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.assessment.services.ratings import assessed_elements, record_rating
from academy.core.dates import today
from academy.evidence.models import EvidenceType
from academy.evidence.services import accept_evidence
from academy.extensions import db
from academy.participants.models import Participant
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser
from tests.factories import make_entry, meet_evidence_minimums

REVIEW_PAGE = re.compile(r"/participants/\d+/milestones/\d+/review$")
RECOMMENDATION_PAGE = re.compile(r"/participants/\d+/recommendation$")
MODERATION_PAGE = re.compile(r"/moderation$")

T = EvidenceType


@pytest.fixture(scope="module")
def story(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey@example.org")
        factories.make_user({"coordinator"}, name="Chris Chair", email="chris@example.org")
        assessor = factories.make_user({"mentor"}, name="Ada Assessor", email="ada@example.org")
        nqsw = factories.make_user({"nqsw"}, name="Nico Newly", email="nico@example.org")
        participant = factories.make_participant(
            factories.make_cohort("September 2025 intake"), nqsw, start=today() - timedelta(days=380)
        )
        factories.assign(participant, assessor, "assessor")
        elements = assessed_elements(participant)
        # Everything but one piece of professional feedback and the walk's own observation is in place.
        meet_evidence_minimums(participant, assessor, skip=((T.FEEDBACK_PROFESSIONAL, 2), (T.DIRECT_OBSERVATION, 2)))
        for element in elements[3:]:
            record_rating(participant, element, 2, by=assessor)
        make_entry(participant, type=T.DIRECT_OBSERVATION, links=elements[:2], title="Observed home visit")
        db.session.commit()
        return {"participant_id": participant.id, "unrated": elements[2].id}


def _sign_in(page, email):
    page.context.clear_cookies()
    sign_in_through_browser(page, email, factories.PASSWORD)
    a11y(page)


def _milestone_url(live_server, participant_id, code):
    with live_server.app.app_context():
        participant = db.session.get(Participant, participant_id)
        milestone = next(m for m in participant.milestones if m.code == code)
        return f"/participants/{participant_id}/milestones/{milestone.id}/review"


@pytest.mark.browser
def test_from_evidence_to_year_two(page, live_server, story):
    pid = story["participant_id"]

    # The assessor accepts the observation; its two elements are rated with the preselected "meeting".
    _sign_in(page, "ada@example.org")
    assert page.url.endswith("/home/mentor")
    click_and_wait(
        page,
        page.get_by_role("link", name="Observed home visit", exact=True),
        url=re.compile(r"/assessment/evidence/\d+$"),
    )
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Accept and save ratings"), url=re.compile(r"/home/mentor$"))
    assert page.get_by_text("Accepted \u201cObserved home visit\u201d").is_visible()
    assert page.get_by_text("No evidence is waiting for review.").is_visible()
    a11y(page)

    # The assessor records the final review and signs it.
    review_url = _milestone_url(live_server, pid, "final_review")
    page.goto(review_url)
    a11y(page)
    held = today() - timedelta(days=1)
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Who attended").fill("Nico Newly, Ada Assessor")
    page.get_by_label("Progress summary").fill("Strong year with varied evidence.")
    page.get_by_label("Yes").check()
    page.get_by_label("Assessor's assessment").fill("Ready for a PASS once the last feedback is in.")
    click_and_wait(page, page.get_by_role("button", name="Save review"), url=REVIEW_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign the review"), url=REVIEW_PAGE)
    a11y(page)

    # PASS is refused, and the page says exactly what is missing.
    page.goto(f"/participants/{pid}/recommendation")
    a11y(page)
    page.get_by_label("PASS", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    evidence = page.locator("#missing-evidence li").all_inner_texts()
    assert evidence == ["Feedback from professionals: 2 of 3 accepted"]
    ratings = page.locator("#missing-ratings li").all_inner_texts()
    assert len(ratings) == 1
    assert ratings[0].endswith("not rated")
    a11y(page)

    # The NQSW comments on the final review and signs it.
    _sign_in(page, "nico@example.org")
    page.goto(review_url)
    a11y(page)
    page.get_by_label("Your comment").fill("I agree with the assessment.")
    click_and_wait(page, page.get_by_role("button", name="Save comment"), url=REVIEW_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign the review"), url=REVIEW_PAGE)
    assert page.get_by_text("can no longer be changed").is_visible()
    a11y(page)

    # The last feedback arrives and the last element is rated (through the services).
    with live_server.app.app_context():
        participant = db.session.get(Participant, pid)
        from academy.accounts.models import User

        assessor = db.session.scalar(sa.select(User).where(User.email == "ada@example.org"))
        feedback = make_entry(participant, type=T.FEEDBACK_PROFESSIONAL, title="Feedback from the school")
        accept_evidence(feedback, by=assessor)
        element = next(e for e in assessed_elements(participant) if e.id == story["unrated"])
        record_rating(participant, element, 3, by=assessor)
        db.session.commit()

    _sign_in(page, "ada@example.org")
    page.goto(f"/participants/{pid}/recommendation")
    assert page.locator("#minimums-met").is_visible()
    a11y(page)
    page.get_by_label("PASS", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    assert page.get_by_text("Awaiting the panel").is_visible()
    a11y(page)

    # The panel confirms it: Nico moves to year 2.
    _sign_in(page, "casey@example.org")
    click_and_wait(page, page.get_by_role("link", name="Moderation"), url=MODERATION_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Nico Newly", exact=True), url=re.compile(r"/moderation/\d+$"))
    a11y(page)
    page.get_by_label("Confirm the recommendation").check()
    now = today()
    page.get_by_label("Day").fill(str(now.day))
    page.get_by_label("Month").fill(str(now.month))
    page.get_by_label("Year").fill(str(now.year))
    page.get_by_label("Chair of the panel").select_option(label="Chris Chair")
    click_and_wait(page, page.get_by_role("button", name="Record the panel's decision"), url=MODERATION_PAGE)
    assert page.get_by_text("No recommendations are waiting for the panel.").is_visible()
    a11y(page)
    page.goto(f"/participants/{pid}")
    a11y(page)
    with live_server.app.app_context():
        assert db.session.get(Participant, pid).programme_year == 2
