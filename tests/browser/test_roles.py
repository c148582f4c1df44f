"""Each role signs in through Chromium and lands on its own home page."""

import re

import pytest

from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser

SIGN_IN_PAGE = re.compile(r"/sign-in$")


@pytest.fixture(scope="module")
def people(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey@example.org")
        mentor = factories.make_user({"mentor"}, name="Morgan Mentor", email="morgan@example.org")
        participant = factories.make_participant(
            factories.make_cohort("September 2026 intake"),
            factories.make_user({"nqsw"}, name="Nico Newly", email="nico@example.org"),
        )
        factories.assign(participant, mentor, "assessor")
        db.session.commit()
    return {"coordinator": "casey@example.org", "mentor": "morgan@example.org", "nqsw": "nico@example.org"}


@pytest.mark.browser
@pytest.mark.parametrize(
    ("role", "heading", "path"),
    [
        ("coordinator", "Social Work Academy", "/home/coordinator"),
        ("mentor", "Your NQSWs", "/home/mentor"),
        ("nqsw", "My programme", "/home/nqsw"),
    ],
)
def test_each_role_signs_in_and_sees_their_home(page, people, role, heading, path):
    sign_in_through_browser(page, people[role], factories.PASSWORD)
    assert page.url.endswith(path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Sign out"), url=SIGN_IN_PAGE)
    assert page.url.endswith("/sign-in")
    assert page.get_by_text("You have signed out.").is_visible()


@pytest.mark.browser
def test_mentor_sees_their_assigned_nqsw(page, people):
    sign_in_through_browser(page, people["mentor"], factories.PASSWORD)
    click_and_wait(
        page, page.get_by_role("link", name="Nico Newly", exact=True).first, url=re.compile(r"/participants/\d+$")
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Nico Newly"
    a11y(page)


@pytest.mark.browser
def test_wrong_password_shows_the_error_summary(page, people):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(people["nqsw"])
    page.get_by_label("Password", exact=True).fill("not the password at all")
    click_and_wait(page, page.get_by_role("button", name="Sign in"), url=SIGN_IN_PAGE)
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert page.title().startswith("Error:")
    a11y(page)
