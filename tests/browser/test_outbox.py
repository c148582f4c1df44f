"""Development without a mail server: nothing claims to be emailed, the Outbox shows the message and its
link works; a person changes their own password; a coordinator deactivates and reactivates an account."""

import re

import pytest
from playwright.sync_api import Page, expect

from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser

COORDINATOR = "olive.outbox@example.org"
PERSON_PAGE = re.compile(r"/people/\d+$")


@pytest.fixture(scope="module")
def coordinator_email(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Olive Outbox", email=COORDINATOR)
        db.session.commit()
    return COORDINATOR


@pytest.mark.browser
def test_the_outbox_holds_what_was_not_emailed(page: Page, coordinator_email):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/people/new")
    page.get_by_label("Full name").fill("Nia Nomail")
    page.get_by_label("Email address").fill("nia.nomail@example.org")
    page.get_by_label("Mentor or assessor", exact=False).check()
    click_and_wait(page, page.get_by_role("button", name="Add and send invitation"), url=PERSON_PAGE)
    expect(page.get_by_text("was not emailed: it is in the Outbox", exact=False)).to_be_visible()
    expect(page.locator("#account-status")).to_contain_text("invitation not emailed")
    a11y(page)

    click_and_wait(page, page.get_by_role("link", name="Outbox").first, url=re.compile(r"/outbox$"))
    expect(page.get_by_role("heading", name="Your Social Work Academy account").first).to_be_visible()
    a11y(page)
    link = page.get_by_role("link", name=re.compile("set-password")).first
    click_and_wait(page, link, url=re.compile(r"/set-password/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    a11y(page)

    # Deactivate and reactivate from the person's page.
    page.goto("/people?q=nia")
    click_and_wait(page, page.get_by_role("link", name="Nia Nomail"), url=PERSON_PAGE)
    click_and_wait(page, page.get_by_role("button", name="Deactivate Nia Nomail"), url=PERSON_PAGE)
    expect(page.get_by_text("is deactivated: they cannot sign in")).to_be_visible()
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Reactivate Nia Nomail"), url=PERSON_PAGE)
    expect(page.get_by_text("can sign in again")).to_be_visible()
    a11y(page)


@pytest.mark.browser
def test_a_person_changes_their_own_password(page: Page, live_server):
    with live_server.app.app_context():
        factories.make_user({"mentor"}, name="Cam Changer", email="cam.changer@example.org")
        db.session.commit()
    sign_in_through_browser(page, "cam.changer@example.org", factories.PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="Your account"), url=re.compile(r"/account$"))
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Change your password"), url=re.compile(r"/account/password$"))
    a11y(page)
    page.get_by_label("Current password").fill("not-the-password")
    page.get_by_label("New password", exact=True).fill("cams-new-password")
    page.get_by_label("Confirm new password").fill("cams-new-password")
    click_and_wait(page, page.get_by_role("button", name="Change password"), url=re.compile(r"/account/password$"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your current password is not right")
    a11y(page)
    page.get_by_label("Current password").fill(factories.PASSWORD)
    page.get_by_label("New password", exact=True).fill("cams-new-password")
    page.get_by_label("Confirm new password").fill("cams-new-password")
    click_and_wait(page, page.get_by_role("button", name="Change password"), url=re.compile(r"/account$"))
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name=re.compile("Sign out")), url=re.compile(r"/sign-in"))
    sign_in_through_browser(page, "cam.changer@example.org", "cams-new-password")
