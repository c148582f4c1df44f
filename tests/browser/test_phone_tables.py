"""The wide tables people meet on a phone stack at 390 pixels: no page scrolls sideways and axe finds nothing."""

import re
from datetime import timedelta

import pytest

from academy.core.dates import today
from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser
from tests.factories import make_entry

COORDINATOR = "cora.phone@example.org"
ASSESSOR = "abi.phone@example.org"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone_world(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Cora Coordinator", email=COORDINATOR)
        assessor = factories.make_user({"mentor"}, name="Abi Assessor", email=ASSESSOR)
        nqsw = factories.make_user({"nqsw"}, name="Pat Phone", email="pat.phone@example.org")
        cohort = factories.make_cohort("Phone intake")
        participant = factories.make_participant(cohort, nqsw, start=today() - timedelta(days=120))
        factories.assign(participant, assessor, "assessor")
        make_entry(participant, title="Home visit with a parent and a long title that has to wrap on a phone")
        db.session.commit()
        return {"cohort_id": cohort.id, "participant_id": participant.id}


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} pixels wide"
    a11y(page)


@pytest.mark.browser
def test_wide_tables_fit_a_phone(page, phone_world):
    page.set_viewport_size(PHONE)
    participant = f"/participants/{phone_world['participant_id']}"

    # The coordinator's cohort table, then a participant's page from it.
    sign_in_through_browser(page, COORDINATOR, factories.PASSWORD)
    page.goto(f"/cohorts/{phone_world['cohort_id']}")
    fits_the_phone(page)
    click_and_wait(page, page.get_by_role("link", name="Pat Phone"), url=re.compile(participant + "$"))
    fits_the_phone(page)

    # The assessor's home (the review queue and their people) and the NQSW's evidence list.
    page.context.clear_cookies()
    sign_in_through_browser(page, ASSESSOR, factories.PASSWORD)
    page.goto("/home/mentor")
    fits_the_phone(page)
    page.goto(f"{participant}/evidence")
    fits_the_phone(page)
