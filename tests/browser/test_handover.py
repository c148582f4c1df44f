"""The hand-over loop in Chromium (issue 13): each role is told when it is their turn, on their home page
first, and the next step works from there.

The NQSW submits evidence; the assessor finds it first on their home page and accepts it; the NQSW sees
it accepted. The assessor signs a review; the NQSW's home says it is waiting for their signature, and
signing it, without writing a comment, is one step.
"""

import re
from datetime import timedelta

import pytest

from academy.assessment.services.reviews import record_review
from academy.core.dates import today
from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser
from tests.factories import make_entry, review_record

NQSW = "nell.handover@example.org"
ASSESSOR = "abe.handover@example.org"
REVIEW_PAGE = re.compile(r"/participants/\d+/milestones/\d+/review$")


@pytest.fixture(scope="module")
def handover(live_server):
    with live_server.app.app_context():
        assessor = factories.make_user({"mentor"}, name="Abe Assessor", email=ASSESSOR)
        nqsw = factories.make_user({"nqsw"}, name="Nell Newly", email=NQSW)
        participant = factories.make_participant(
            factories.make_cohort("Hand-over intake"), nqsw, start=today() - timedelta(days=120)
        )
        factories.assign(participant, assessor, "assessor")
        entry = make_entry(participant, title="Home visit with a parent", submit=False)
        milestone = next(m for m in participant.milestones if m.code == "review_3m")
        record_review(milestone, review_record(), by=assessor)
        db.session.commit()
        return {"entry_id": entry.id, "review_url": f"/participants/{participant.id}/milestones/{milestone.id}/review"}


def sign_in(page, email):
    page.context.clear_cookies()
    sign_in_through_browser(page, email, factories.PASSWORD)
    a11y(page)


def first_section(page) -> str:
    """The heading of the first section of the home page's content."""
    return page.locator("main h2").first.inner_text().strip()


@pytest.mark.browser
def test_each_role_is_told_when_it_is_their_turn(page, handover):
    # The NQSW submits their entry.
    sign_in(page, NQSW)
    page.goto(f"/evidence/{handover['entry_id']}")
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Submit for review"), url=re.compile(r"/evidence/\d+$"))
    assert page.get_by_text("Your entry has been submitted for review.").is_visible()

    # The assessor's home page shows it first, and the notification leads to the decision.
    sign_in(page, ASSESSOR)
    assert page.url.endswith("/home/mentor")
    assert first_section(page) == "Waiting for you"
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for you"))
    note = waiting.get_by_role("button", name="Nell Newly submitted “Home visit with a parent” for you to review.")
    expect_header(page, "Abe Assessor")
    click_and_wait(page, note, url=re.compile(r"/assessment/evidence/\d+$"))
    a11y(page)
    for choice in page.get_by_label("Do not rate now").all():  # a judgement is never made for the assessor
        choice.check()
    click_and_wait(page, page.get_by_role("button", name="Accept and save ratings"), url=re.compile(r"/home/mentor$"))
    assert page.get_by_text("No evidence is waiting for review.").is_visible()

    # The NQSW sees it accepted.
    sign_in(page, NQSW)
    assert first_section(page) == "Waiting for you"
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for you"))
    assert waiting.get_by_text("Abe Assessor accepted your evidence “Home visit with a parent”.").is_visible()

    # The assessor signs the review they recorded.
    sign_in(page, ASSESSOR)
    page.goto(handover["review_url"])
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign the review"), url=REVIEW_PAGE)
    a11y(page)

    # The NQSW's home says the review waits for their signature; signing is one step, no comment needed.
    sign_in(page, NQSW)
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for you"))
    link = waiting.get_by_role("link", name="Your 3-month review is waiting for your signature")
    click_and_wait(page, link, url=REVIEW_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign the review"), url=REVIEW_PAGE)
    assert page.get_by_text("is signed by both of you").is_visible()
    assert page.get_by_text("can no longer be changed").is_visible()


def expect_header(page, name: str) -> None:
    """The signed-in person's name is in the header."""
    assert page.locator(".govuk-service-navigation").get_by_text(name, exact=True).is_visible()
