"""One NQSW through the ASYE's assessment in Chromium, every page checked with axe: the assessor opens an
attachment from the evidence review page, accepts the entry with the ratings they choose, rates four
elements on the rating grid, holds the final review (which lists the previous review's actions), and can
recommend PASS only once the final review is signed by both; the panel confirms it with its members."""

import re
from datetime import timedelta

import pytest

from academy.assessment.services.ratings import assessed_elements, element_name, record_rating
from academy.core.dates import today
from academy.evidence.attachments import add_attachment
from academy.evidence.models import EvidenceType
from academy.evidence.services import submit_evidence
from academy.extensions import db
from academy.participants.models import Participant
from tests import factories
from tests.assessment.images import png
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser
from tests.factories import hold_and_sign, make_entry, meet_evidence_minimums

REVIEW_PAGE = re.compile(r"/participants/\d+/milestones/\d+/review$")
RECOMMENDATION_PAGE = re.compile(r"/participants/\d+/recommendation$")
GRID_PAGE = re.compile(r"/participants/\d+/ratings$")
MODERATION_PAGE = re.compile(r"/moderation$")
PREVIOUS_ACTIONS = "Book a court skills course and a second observation."

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
        # Everything but the walk's own observation is in place; six elements are left for the walk to rate.
        meet_evidence_minimums(participant, assessor, skip=((T.DIRECT_OBSERVATION, 2),))
        for element in elements[6:]:
            record_rating(participant, element, 2, by=assessor)
        entry = make_entry(
            participant, type=T.DIRECT_OBSERVATION, links=elements[:2], title="Observed home visit", submit=False
        )
        add_attachment(entry, by=nqsw, filename="genogram.png", data=png(40, 30))
        submit_evidence(entry, by=nqsw)
        # The 9-month review agreed actions; the final review must say what happened to them.
        hold_and_sign(
            participant, assessor, "review_9m", held_on=today() - timedelta(days=60), actions=PREVIOUS_ACTIONS
        )
        db.session.commit()
        return {
            "participant_id": participant.id,
            "accepted": [element_name(e) for e in elements[:2]],
            "grid": [element_name(e) for e in elements[2:6]],
        }


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

    # The assessor opens the attachment (inline, in a new tab) from the evidence review page.
    _sign_in(page, "ada@example.org")
    click_and_wait(
        page,
        page.get_by_role("link", name="Observed home visit", exact=True),
        url=re.compile(r"/assessment/evidence/\d+$"),
    )
    a11y(page)
    assert page.locator("input[type=radio]:checked").count() == 0  # nothing is chosen for the assessor
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Open genogram.png (opens in new tab)").click()
    tab = new_tab.value
    tab.wait_for_load_state("load")
    assert re.search(r"/evidence/\d+/attachments/\d+/view$", tab.url)
    assert tab.evaluate("document.contentType") == "image/png"
    tab.close()

    # Accepting without choosing is refused; then each linked element gets the rating chosen.
    click_and_wait(page, page.get_by_role("button", name="Accept and save ratings"))
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    a11y(page)
    for name in story["accepted"]:
        page.get_by_role("group", name=name).get_by_label("Meeting expected level").check()
    click_and_wait(page, page.get_by_role("button", name="Accept and save ratings"), url=re.compile(r"/home/mentor$"))
    assert page.get_by_text("Accepted \u201cObserved home visit\u201d").is_visible()
    a11y(page)

    # Four elements rated on the grid, reached from the participant's assessment page.
    page.goto(f"/participants/{pid}/assessment")
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Rate elements on the rating grid"), url=GRID_PAGE)
    a11y(page)
    assert page.get_by_role("link", name="Observed home visit").first.is_visible()
    for name in story["grid"]:
        page.get_by_label(f"Meeting expected level for {name}", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Save the ratings you chose"), url=GRID_PAGE)
    assert page.get_by_text("4 ratings saved for Nico Newly.").is_visible()
    a11y(page)

    # The final review lists the previous review's actions and asks what happened to them.
    review_url = _milestone_url(live_server, pid, "final_review")
    page.goto(review_url)
    a11y(page)
    assert page.get_by_text(PREVIOUS_ACTIONS).first.is_visible()
    assert page.get_by_text("Observed home visit").first.is_visible()
    held = today() - timedelta(days=1)
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Who attended").fill("Nico Newly, Ada Assessor")
    page.get_by_label("Progress summary").fill("Strong year with varied evidence.")
    page.get_by_label("Yes").check()
    page.get_by_label("Assessor's assessment").fill("Ready for a PASS.")
    click_and_wait(page, page.get_by_role("button", name="Save review"), url=REVIEW_PAGE)
    assert page.get_by_role("alert").get_by_text("Say what happened to each action").is_visible()
    assert page.get_by_label("Progress summary").input_value() == "Strong year with varied evidence."
    a11y(page)
    page.get_by_label("What happened to each action agreed at the previous review").fill(
        "The course is done; the second observation was held in June."
    )
    click_and_wait(page, page.get_by_role("button", name="Save review"), url=REVIEW_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign the review"), url=REVIEW_PAGE)
    a11y(page)

    # Signed by the assessor only: no recommendation can be made yet.
    page.goto(f"/participants/{pid}/recommendation")
    a11y(page)
    assert page.locator("#final-review-state").get_by_text("Not signed yet").is_visible()
    assert page.get_by_role("button", name="Send to the moderation panel").count() == 0

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

    # Now the PASS: chosen on purpose, with the holistic summary.
    _sign_in(page, "ada@example.org")
    page.goto(f"/participants/{pid}/recommendation")
    assert page.locator("#minimums-met").is_visible()
    assert page.locator("#final-review-state").get_by_text("Signed by both").is_visible()
    assert page.locator("input[type=radio]:checked").count() == 0
    a11y(page)
    page.get_by_label("PASS", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    assert page.get_by_role("alert").get_by_text("Write your holistic summary against the framework").is_visible()
    a11y(page)
    page.get_by_label("Holistic summary against the framework").fill(
        "Consistent, reflective practice at the expected level across the KSS and the PCF."
    )
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    assert page.get_by_text("Awaiting the panel").is_visible()
    a11y(page)

    # The panel confirms it, with its members: Nico moves to year 2.
    _sign_in(page, "casey@example.org")
    click_and_wait(page, page.get_by_role("link", name="Moderation"), url=MODERATION_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Nico Newly", exact=True), url=re.compile(r"/moderation/\d+$"))
    a11y(page)
    assert page.locator("#checklist-final-review").get_by_text("Done").is_visible()
    assert page.get_by_label("Chair of the panel").input_value() == ""
    page.get_by_label("Confirm the recommendation").check()
    now = today()
    page.get_by_label("Day").fill(str(now.day))
    page.get_by_label("Month").fill(str(now.month))
    page.get_by_label("Year").fill(str(now.year))
    page.get_by_label("Chair of the panel").select_option(label="Chris Chair")
    page.get_by_label("Panel members").fill("Chris Chair (chair), Casey Coordinator")
    click_and_wait(page, page.get_by_role("button", name="Record the panel's decision"), url=MODERATION_PAGE)
    assert page.get_by_text("No recommendations are waiting for the panel.").is_visible()
    assert page.get_by_text("members: Chris Chair (chair), Casey Coordinator").is_visible()
    a11y(page)
    page.goto(f"/participants/{pid}")
    a11y(page)
    with live_server.app.app_context():
        assert db.session.get(Participant, pid).programme_year == 2
