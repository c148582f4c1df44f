"""Outside feedback on a phone (issue 20), with mail through a real SMTP server.

An NQSW asks a professional and a young person for feedback from their portfolio; both emails arrive at
an SMTP server (aiosmtpd on a free local port); each person opens their link in a browser that has never
signed in, at 390 pixels wide; the young person's form is the simpler one with a picture scale; both
answers arrive in the portfolio as the right evidence types and count towards the minimums. A link used
twice, an expired link and a withdrawn link are each refused in plain words. Every page is checked with
axe-core and must not scroll sideways.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from academy.accounts.models import User
from academy.core.dates import today
from academy.core.db import now_utc
from academy.evidence.services import accept_evidence, cohort_elements
from academy.extensions import db
from academy.feedback import services
from academy.feedback.models import FeedbackRequest
from academy.frameworks.loader import load_shipped_frameworks
from academy.participants.models import Participant
from academy.programmes.services import ensure_default_programmes
from tests import factories
from tests.browser.conftest import LiveServer, a11y, click_and_wait, new_page, serving, sign_in_through_browser
from tests.conftest import make_test_app
from tests.smtp import MailServer, running_mail_server

NQSW = "noa.feedback@example.org"
PROFESSIONAL = "pat.school@example.org"
YOUNG_PERSON = "sam.young@example.org"
WITHDRAWN = "wyn.withdrawn@example.org"
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://\S+/feedback/[\w-]+")
REQUEST_PAGE = re.compile(r"/feedback/requests/\d+$")
ANSWER_PAGE = re.compile(r"/feedback/[\w-]+/answer$")
THANKS = re.compile(r"/feedback/thanks$")


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, mail_server: MailServer) -> Iterator[LiveServer]:
    """The app on its own database, sending mail to the SMTP server: one NQSW with an assessor."""
    app, cleanup = make_test_app(
        tmp_path_factory.mktemp("live-feedback"),
        "browser_feedback",
        MAIL_SERVER=mail_server.host,
        MAIL_PORT=mail_server.port,
    )
    with app.app_context():
        ensure_default_programmes()
        load_shipped_frameworks()
        cohort = factories.make_cohort("Feedback intake", today() - timedelta(days=90))
        nqsw = factories.make_user({"nqsw"}, name="Noa Newly", email=NQSW)
        participant = factories.make_participant(cohort, nqsw, start=today() - timedelta(days=90))
        assessor = factories.make_user({"mentor"}, name="Ash Assessor", email="ash.feedback@example.org")
        factories.assign(participant, assessor, "assessor")
        db.session.commit()
        app.config["TEST_IDS"] = {"participant": participant.id, "assessor": assessor.id}
    with serving(app) as server:
        app.config["ACADEMY_BASE_URL"] = server.url
        yield server
    cleanup()


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} pixels wide"
    a11y(page)


def ask(page: Page, participant_id: int, relationship: str, name: str, email: str, about: str) -> None:
    page.goto(f"/participants/{participant_id}/feedback")
    fits_the_phone(page)
    click_and_wait(
        page,
        page.get_by_role("link", name="Ask someone for feedback"),
        url=re.compile(r"/feedback/new$"),
    )
    fits_the_phone(page)
    page.get_by_role("group", name="Who are you asking?").get_by_label(relationship, exact=True).check()
    page.get_by_label("Their name", exact=True).fill(name)
    page.get_by_label("By email, with a link they can answer on a phone").check()
    page.get_by_label("Their email address (if by email)").fill(email)
    page.get_by_label("Which visit or piece of work is it about?").fill(about)
    when = today() - timedelta(days=1)
    group = page.get_by_role("group", name="Date of the visit or work")
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))
    elements = page.get_by_role("group", name="Which elements should the feedback speak to?").get_by_role("checkbox")
    elements.nth(0).check()
    elements.nth(1).check()
    click_and_wait(page, page.get_by_role("button", name="Send the request"), url=REQUEST_PAGE)
    expect(page.get_by_text(f"The request has been emailed to {name}.")).to_be_visible()
    fits_the_phone(page)


def open_and_consent(page: Page, link: str, heading: str) -> None:
    """The person asked opens their link (never signed in) and agrees to give feedback."""
    response = page.goto(link)
    assert response is not None
    assert response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
    fits_the_phone(page)
    page.get_by_label("I agree to give feedback", exact=False).check()
    click_and_wait(page, page.get_by_role("button", name="Continue"), url=ANSWER_PAGE)
    fits_the_phone(page)


def refused(page: Page, link: str, words: str) -> None:
    response = page.goto(link)
    assert response is not None
    assert response.status in {404, 410}
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    expect(page.locator("#refusal")).to_contain_text(words)
    fits_the_phone(page)


def progress(page: Page, key: str) -> list[str]:
    row = page.locator(f'#evidence-progress tr[data-key="{key}"]')
    return [row.locator("td").nth(i).inner_text().strip() for i in range(2)]


@pytest.mark.browser
def test_outside_people_answer_by_link_on_a_phone_and_their_answers_arrive_as_evidence(
    page: Page, browser: Browser, live_server: LiveServer, mail_server: MailServer
):
    ids = live_server.app.config["TEST_IDS"]
    page.set_viewport_size(PHONE)
    sign_in_through_browser(page, NQSW, factories.PASSWORD)
    assert progress(page, "feedback_professional") == ["0 of 3", "0"]

    # The NQSW asks a professional and a young person, and a third person they will withdraw.
    ask(page, ids["participant"], "A professional in another agency", "Pat School", PROFESSIONAL, "School meeting")
    ask(page, ids["participant"], "A young person", "Sam", YOUNG_PERSON, "Visit at home")
    ask(page, ids["participant"], "A parent or carer", "Wyn", WITHDRAWN, "Review meeting")
    click_and_wait(page, page.get_by_role("button", name="Withdraw the request"), url=REQUEST_PAGE)
    expect(page.get_by_text("The request is withdrawn")).to_be_visible()
    fits_the_phone(page)

    # Each email arrived at the SMTP server with a link to the academy.
    links = {}
    for address in (PROFESSIONAL, YOUNG_PERSON, WITHDRAWN):
        messages = mail_server.to(address)
        assert len(messages) == 1, address
        match = LINK.search(messages[0].get_content())
        assert match, messages[0].get_content()
        assert match.group(0).startswith(live_server.url + "/feedback/")
        links[address] = match.group(0)

    # The professional answers on a phone that has never signed in: questions, then a box per element.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    outside = new_page(context)
    open_and_consent(outside, links[PROFESSIONAL], "Give feedback to Noa Newly")
    outside.get_by_label("A school or education professional").check()
    outside.get_by_label("What did Noa do well in their work with you?").fill("Clear, calm and well prepared.")
    boxes = outside.locator("textarea[name^='element_']")
    expect(boxes).to_have_count(2)
    boxes.nth(0).fill("Explained the plan to everyone at the meeting.")
    click_and_wait(outside, outside.get_by_role("button", name="Send my feedback"), url=THANKS)
    expect(outside.get_by_role("heading", level=1)).to_have_text("Thank you")
    fits_the_phone(outside)

    # The same link a second time is refused in plain words.
    refused(outside, links[PROFESSIONAL], "already been used")
    context.close()

    # The young person gets the simpler form: three questions with a picture scale and one box.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    young = new_page(context)
    open_and_consent(young, links[YOUNG_PERSON], "Give feedback to Noa Newly")
    expect(young.locator("fieldset")).to_have_count(3)
    expect(young.locator("svg.app-face")).to_have_count(9)
    expect(young.locator("textarea")).to_have_count(1)
    expect(young.get_by_text("Which best describes your work?")).to_have_count(0)
    young.get_by_role("group", name="Did Noa listen to you?").get_by_label("Yes").check()
    young.get_by_role("group", name="Did Noa explain things so you understood?").get_by_label("A bit").check()
    young.get_by_role("group", name="Did Noa help you?").get_by_label("Yes").check()
    click_and_wait(young, young.get_by_role("button", name="Send my feedback"), url=THANKS)
    fits_the_phone(young)

    # A withdrawn link and an expired link are refused too.
    refused(young, links[WITHDRAWN], "withdrawn")
    with live_server.app.app_context():
        participant = db.session.get(Participant, ids["participant"])
        late, token = services.request_feedback(
            participant,
            services.NewRequest(
                "professional",
                "Lee Late",
                "lee.late@example.org",
                "Court report",
                today() - timedelta(days=30),
                "",
                [next(iter(cohort_elements(participant)))],
            ),
            by=participant.user,
        )
        late.expires_at = now_utc() - timedelta(days=1)
        db.session.commit()
    refused(young, f"{live_server.url}/feedback/{token}", "expired")
    context.close()

    # Both answers are in the NQSW's portfolio as the right types, read-only, waiting for review.
    page.goto(f"/participants/{ids['participant']}/evidence")
    fits_the_phone(page)
    professional_row = page.get_by_role("row").filter(has_text="Feedback by a professional in another agency")
    expect(professional_row).to_contain_text("Feedback from a professional")
    young_row = page.get_by_role("row").filter(has_text="Feedback by a young person")
    expect(young_row).to_contain_text("Feedback from a person using services")
    click_and_wait(page, young_row.get_by_role("link"), url=re.compile(r"/evidence/\d+$"))
    expect(page.locator("#given-directly")).to_contain_text("Given directly by a young person")
    expect(page.get_by_role("link", name="Change this entry")).to_have_count(0)
    fits_the_phone(page)
    page.goto("/home/nqsw")
    assert progress(page, "feedback_professional") == ["0 of 3", "1"]
    assert progress(page, "feedback_person_using_services") == ["0 of 3", "1"]

    # Once the assessor accepts them (their review page is tested elsewhere), they count as met.
    with live_server.app.app_context():
        assessor = db.session.get(User, ids["assessor"])
        answered = db.session.query(FeedbackRequest).filter(FeedbackRequest.entry_id.is_not(None)).all()
        for request in answered:
            accept_evidence(request.entry, by=assessor)
        db.session.commit()
    page.reload()
    assert progress(page, "feedback_professional") == ["1 of 3", "0"]
    assert progress(page, "feedback_person_using_services") == ["1 of 3", "0"]
    fits_the_phone(page)
