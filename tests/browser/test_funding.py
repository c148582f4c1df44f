"""A coordinator sees who is eligible for ASYE funding and why not, records a claim, and the pages pass axe."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from academy.extensions import db
from academy.funding.services import current_scheme, save_details
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser


@pytest.fixture(scope="module")
def coordinator_email(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Fran Funding", email="fran.funding@example.org")
        cohort = factories.make_cohort("September 2026 funded intake", date(2026, 9, 7))
        scheme = current_scheme()
        eligible = factories.make_participant(cohort, factories.make_user(name="Eli Eligible"), swe_number="SW200001")
        late = factories.make_participant(cohort, factories.make_user(name="Lou Late"), swe_number="SW200002")
        save_details(scheme, eligible, qualified_on=date(2026, 6, 30), funded_before=False, actor=None)
        save_details(scheme, late, qualified_on=date(2020, 6, 30), funded_before=False, actor=None)
        db.session.commit()
    return "fran.funding@example.org"


@pytest.mark.browser
def test_funding_page_claim_and_rules(page: Page, coordinator_email):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/funding")
    a11y(page)
    table = page.locator("#funding")
    expect(table.get_by_role("row", name=re.compile("Lou Late"))).to_contain_text(
        "Not eligible: qualified on 30 June 2020, more than 4 years before starting on 7 September 2026"
    )
    click_and_wait(page, table.get_by_role("link", name="Eli Eligible"), url=re.compile(r"/funding/participants/\d+$"))
    a11y(page)
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save the registration claim"))
    form.get_by_label("Claimed").check()
    click_and_wait(
        page,
        page.get_by_role("button", name="Save the registration claim"),
        url=re.compile(r"/funding/participants/\d+$"),
    )
    expect(page.get_by_text("Registration claim saved.")).to_be_visible()
    page.goto("/funding?show=claimed")
    expect(page.locator("#funding")).to_contain_text("Eli Eligible")
    page.goto("/funding/rules")
    a11y(page)
