"""A real academy's first day, in the browser, with mail through a real SMTP server.

A coordinator adds an assessor in the app and imports two NQSWs by CSV; the invitations arrive at an
SMTP server (aiosmtpd on a free local port); each NQSW follows their link, sets a password and signs
in; the assessor uses "Forgot your password?" and signs in with the new one; the older link no longer
works. Every page reached is checked with axe-core.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from academy.extensions import db
from academy.frameworks.loader import load_shipped_frameworks
from academy.programmes.services import ensure_default_programmes
from tests import factories
from tests.browser.conftest import (
    LiveServer,
    a11y,
    click_and_wait,
    new_page,
    serving,
    sign_in_through_browser,
)
from tests.conftest import make_test_app
from tests.smtp import MailServer, running_mail_server

COORDINATOR = "cora.coordinator@example.org"
ASSESSOR = "ash.assessor@example.org"
NQSWS = ("ada.first@example.org", "ben.second@example.org")
HOME = re.compile(r"/home/\w+$")
SIGN_IN = re.compile(r"/sign-in")
PERSON_PAGE = re.compile(r"/people/\d+$")
COHORT_PAGE = re.compile(r"/cohorts/\d+$")
IMPORT_PAGE = re.compile(r"/cohorts/\d+/import$")

CSV = (
    f"given_name,family_name,email,assessor_email\nAda,First,{NQSWS[0]},{ASSESSOR}\nBen,Second,{NQSWS[1]},{ASSESSOR}\n"
)


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, mail_server: MailServer) -> Iterator[LiveServer]:
    """The app on its own database, sending mail to the SMTP server, with links to its own address."""
    app, cleanup = make_test_app(
        tmp_path_factory.mktemp("live-mail"), "browser_mail", MAIL_SERVER=mail_server.host, MAIL_PORT=mail_server.port
    )
    with app.app_context():
        ensure_default_programmes()
        load_shipped_frameworks()
        factories.make_user({"coordinator"}, name="Cora Coordinator", email=COORDINATOR)
        db.session.commit()
    with serving(app) as server:
        app.config["ACADEMY_BASE_URL"] = server.url
        yield server
    cleanup()


def set_password_from_link(page: Page, link: str, password: str, heading: str = "Set your password") -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    a11y(page)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    click_and_wait(page, page.get_by_role("button", name="Set password"), url=SIGN_IN)
    expect(page.get_by_text("Your password is set")).to_be_visible()
    a11y(page)


@pytest.mark.browser
def test_first_day_staff_invitations_and_forgotten_password(
    page: Page, browser: Browser, live_server: LiveServer, mail_server: MailServer, tmp_path
):
    # The coordinator adds an assessor in the app.
    sign_in_through_browser(page, COORDINATOR, factories.PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="People"), url=re.compile(r"/people$"))
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Add a member of staff"), url=re.compile(r"/people/new$"))
    a11y(page)
    page.get_by_label("Full name").fill("Ash Assessor")
    page.get_by_label("Email address").fill(ASSESSOR)
    page.get_by_label("Mentor or assessor", exact=False).check()
    click_and_wait(page, page.get_by_role("button", name="Add and send invitation"), url=PERSON_PAGE)
    expect(page.get_by_text(f"An invitation has been emailed to {ASSESSOR}", exact=False)).to_be_visible()
    a11y(page)
    invitation_link = mail_server.last_link(ASSESSOR)
    assert invitation_link.startswith(live_server.url + "/set-password/")

    # ... and imports two NQSWs by CSV into a cohort; the assessor is offered with what they hold.
    with live_server.app.app_context():
        cohort = factories.make_cohort("First day intake")
        db.session.commit()
        cohort_id = cohort.id
    page.goto(f"/cohorts/{cohort_id}/enrol")
    expect(page.get_by_label("Assessor")).to_contain_text("Ash Assessor (ash.assessor@example.org): no NQSWs yet")
    a11y(page)
    page.goto(f"/cohorts/{cohort_id}/import")
    path = tmp_path / "first-day.csv"
    path.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(path))
    click_and_wait(page, page.get_by_role("button", name="Check the file"), url=IMPORT_PAGE)
    click_and_wait(page, page.get_by_role("button", name="Enrol all 2 people"), url=COHORT_PAGE)
    expect(page.get_by_text("Enrolled 2 people. 2 invitations emailed.")).to_be_visible()
    a11y(page)

    # The invitations arrived at the SMTP server; each NQSW follows theirs, sets a password and signs in.
    for email in NQSWS:
        link = mail_server.last_link(email)
        assert link.startswith(live_server.url + "/set-password/")
        context = browser.new_context(base_url=live_server.url)
        nqsw = new_page(context)
        set_password_from_link(nqsw, link, f"{email}-password")
        nqsw.get_by_label("Password", exact=True).fill(f"{email}-password")
        click_and_wait(nqsw, nqsw.get_by_role("button", name="Sign in"), url=re.compile(r"/home/nqsw$"))
        a11y(nqsw)
        context.close()

    # The assessor has lost the invitation: "Forgot your password?" sends a new link.
    context = browser.new_context(base_url=live_server.url)
    assessor = new_page(context)
    assessor.goto("/sign-in")
    click_and_wait(
        assessor, assessor.get_by_role("link", name="Forgot your password?"), url=re.compile(r"/forgot-password$")
    )
    a11y(assessor)
    assessor.get_by_label("Email address").fill(ASSESSOR)
    click_and_wait(
        assessor, assessor.get_by_role("button", name="Send me a link"), url=re.compile(r"/forgot-password$")
    )
    expect(assessor.get_by_role("heading", level=1)).to_have_text("Check your email")
    a11y(assessor)
    mail_server.wait_for(ASSESSOR, 2)  # the reset link is sent once the page has gone
    reset_link = mail_server.last_link(ASSESSOR)
    assert reset_link != invitation_link
    set_password_from_link(assessor, reset_link, "ash-brand-new-password", heading="Set a new password")
    assessor.get_by_label("Password", exact=True).fill("ash-brand-new-password")
    click_and_wait(assessor, assessor.get_by_role("button", name="Sign in"), url=re.compile(r"/home/mentor$"))
    a11y(assessor)

    # The older link (the invitation) no longer works.
    response = assessor.goto(invitation_link)
    assert response is not None
    assert response.status == 410
    expect(assessor.get_by_role("heading", level=1)).to_have_text("This link has expired or has already been used")
    a11y(assessor)
    context.close()

    # The coordinator sees the assessor holding both NQSWs, and can sign in.
    page.goto("/people?q=ash")
    expect(page.locator("#people")).to_contain_text("Holds: assessor for 2 NQSWs")
    a11y(page)
