"""Judgements made on purpose, in Chromium with axe: a FAIL goes to the panel only through the step that
names its consequences, and the panel sees the FAIL's checklist (concerns and support); the NQSW reflects
beside an observation their assessor wrote but cannot change it; the rating grid works without JavaScript."""

import re
from datetime import timedelta

import pytest

from academy.assessment.services.concerns import raise_concern
from academy.assessment.services.ratings import assessed_elements, current_ratings, element_name
from academy.core.dates import today
from academy.evidence.models import EvidenceType
from academy.evidence.services import create_evidence
from academy.extensions import db
from academy.participants.models import Participant
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, new_page, sign_in_through_browser
from tests.factories import EVIDENCE_FIELDS as FIELDS
from tests.factories import hold_and_sign

RECOMMENDATION_PAGE = re.compile(r"/participants/\d+/recommendation$")
GRID_PAGE = re.compile(r"/participants/\d+/ratings$")


@pytest.fixture(scope="module")
def story(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Cleo Coordinator", email="cleo.j@example.org")
        assessor = factories.make_user({"mentor"}, name="Abe Assessor", email="abe.j@example.org")
        nqsw = factories.make_user({"nqsw"}, name="Nell Newly", email="nell.j@example.org")
        participant = factories.make_participant(
            factories.make_cohort("January 2025 intake"), nqsw, start=today() - timedelta(days=380)
        )
        factories.assign(participant, assessor, "assessor")
        raise_concern(
            participant,
            by=assessor,
            category="capability",
            description="Assessments lack analysis.",
            action_plan="Fortnightly analysis workshop; two co-written assessments.",
        )
        hold_and_sign(participant, assessor, "review_9m", held_on=today(), actions="Attend the workshop.")
        hold_and_sign(participant, assessor, "final_review", held_on=today())
        observation = create_evidence(
            participant,
            by=assessor,
            type=EvidenceType.DIRECT_OBSERVATION,
            title="Observed child protection visit",
            activity_date=today() - timedelta(days=5),
            narrative="What the assessor saw.",
            links=[(assessed_elements(participant)[0].id, "Observed")],
            anonymised_confirmed=True,
            **FIELDS[EvidenceType.DIRECT_OBSERVATION],
        )
        db.session.commit()
        return {
            "participant_id": participant.id,
            "observation_id": observation.id,
            "first": element_name(assessed_elements(participant)[0]),
        }


def _sign_in(page, email):
    page.context.clear_cookies()
    sign_in_through_browser(page, email, factories.PASSWORD)
    a11y(page)


@pytest.mark.browser
def test_the_nqsw_reflects_beside_the_assessors_observation(page, story):
    _sign_in(page, "nell.j@example.org")
    page.goto(f"/evidence/{story['observation_id']}")
    a11y(page)
    assert page.get_by_text("Abe Assessor wrote this entry; only they can change it.").is_visible()
    assert page.get_by_role("link", name="Change this entry").count() == 0
    click_and_wait(page, page.get_by_role("button", name="Save your reflection"))
    assert page.get_by_role("alert").get_by_text("Write your reflection").is_visible()
    a11y(page)
    page.get_by_label("Your reflection").fill("I will ask about the children's wishes earlier.")
    click_and_wait(page, page.get_by_role("button", name="Save your reflection"), url=re.compile(r"/evidence/\d+$"))
    assert page.locator("#reflection-text").inner_text() == "I will ask about the children's wishes earlier."
    a11y(page)
    response = page.goto(f"/evidence/{story['observation_id']}/edit")
    assert response.status == 404


@pytest.mark.browser
def test_a_fail_goes_to_the_panel_only_after_its_confirmation(page, story):
    pid = story["participant_id"]
    _sign_in(page, "abe.j@example.org")
    page.goto(f"/participants/{pid}/recommendation")
    a11y(page)
    assert page.locator("input[type=radio]:checked").count() == 0
    page.get_by_label("FAIL", exact=True).check()
    page.get_by_label("Holistic summary against the framework").fill("Analysis is not yet at the expected level.")
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    assert page.get_by_role("heading", name="Confirm a FAIL recommendation").is_visible()
    assert page.get_by_text("ASYE ends without being passed").is_visible()
    a11y(page)
    # Going back keeps everything typed.
    click_and_wait(page, page.get_by_role("button", name="Change the recommendation"), url=RECOMMENDATION_PAGE)
    assert page.get_by_label("Holistic summary against the framework").input_value().startswith("Analysis")
    assert page.get_by_label("FAIL", exact=True).is_checked()
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Send to the moderation panel"), url=RECOMMENDATION_PAGE)
    click_and_wait(
        page, page.get_by_role("button", name="Confirm the FAIL and send it to the panel"), url=RECOMMENDATION_PAGE
    )
    assert page.get_by_text("Awaiting the panel").is_visible()
    a11y(page)

    # The panel sees the FAIL's checklist: the concern and its action plan, the reviews, the support.
    _sign_in(page, "cleo.j@example.org")
    page.goto("/moderation")
    click_and_wait(page, page.get_by_role("link", name="Nell Newly", exact=True), url=re.compile(r"/moderation/\d+$"))
    assert page.locator("#checklist-concerns").get_by_text("Fortnightly analysis workshop").is_visible()
    assert page.locator("#checklist-reviews").get_by_text("Attend the workshop.").is_visible()
    assert page.locator("#checklist-support").is_visible()
    a11y(page)


@pytest.mark.browser
def test_the_rating_grid_works_without_javascript(browser, live_server, story):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = new_page(context)
    try:
        page.goto("/sign-in")
        page.get_by_label("Email address").fill("abe.j@example.org")
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        click_and_wait(page, page.get_by_role("button", name="Sign in"), url=re.compile(r"/home/mentor$"))
        page.goto(f"/participants/{story['participant_id']}/ratings")
        click_and_wait(page, page.get_by_role("button", name="Save the ratings you chose"), url=GRID_PAGE)
        assert page.get_by_text("Choose a rating for at least one element").first.is_visible()
        page.get_by_label(f"Developing for {story['first']}", exact=True).check()
        click_and_wait(page, page.get_by_role("button", name="Save the ratings you chose"), url=GRID_PAGE)
        assert page.get_by_text("1 rating saved for Nell Newly.").is_visible()
    finally:
        context.close()
    with live_server.app.app_context():
        participant = db.session.get(Participant, story["participant_id"])
        assert [r.value for r in current_ratings(participant).values()] == [1]
