"""A coordinator filters the retention dashboard in Chromium; a mentor is refused."""

import re
from datetime import date

import pytest

from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser


@pytest.fixture(scope="module")
def academy(live_server):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey@example.org")
        factories.make_user({"mentor"}, name="Morgan Mentor", email="morgan@example.org")
        alpha = factories.make_cohort("Alpha intake", date(2022, 9, 5), with_frameworks=False)
        beta = factories.make_cohort("Beta intake", date(2023, 9, 4), with_frameworks=False)
        for _ in range(4):
            factories.make_participant(alpha, team="North")
        people = [factories.make_participant(beta, team="South") for _ in range(2)]
        factories.leave(people[0], date(2024, 3, 1), reason="Relocation")
        db.session.commit()


@pytest.mark.browser
def test_coordinator_changes_the_cohort_filter_and_the_figures_change(page, academy):
    sign_in_through_browser(page, "casey@example.org", factories.PASSWORD)
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Retention").first, url=re.compile(r"/retention/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Retention and workforce figures"
    a11y(page)
    survival = page.locator("#survival")
    before_table = survival.locator("table").first.inner_text()
    before_chart = survival.locator("svg").inner_html()
    assert "Alpha intake" in before_table
    assert "Beta intake" in before_table

    page.get_by_label("Cohort", exact=True).select_option(label="Beta intake")
    click_and_wait(
        page, page.get_by_role("button", name="Show figures"), url=re.compile(r"/retention/\?(.*&)?cohort=\d+")
    )
    assert "cohort=" in page.url
    after_table = survival.locator("table").first.inner_text()
    assert "Beta intake" in after_table
    assert "Alpha intake" not in after_table
    assert survival.locator("svg").inner_html() != before_chart
    assert page.get_by_label("Cohort", exact=True).input_value() != ""
    a11y(page)


@pytest.mark.browser
def test_mentor_is_refused(page, academy):
    sign_in_through_browser(page, "morgan@example.org", factories.PASSWORD)
    response = page.goto("/retention/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have permission to see this page"
    a11y(page)


@pytest.mark.browser
def test_coordinator_home_is_accessible(page, academy):
    sign_in_through_browser(page, "casey@example.org", factories.PASSWORD)
    assert page.get_by_role("heading", name="People needing attention").is_visible()
    a11y(page)


@pytest.mark.browser
def test_full_attention_list_is_accessible(page, academy):
    sign_in_through_browser(page, "casey@example.org", factories.PASSWORD)
    page.goto("/retention/attention")
    assert page.get_by_role("heading", level=1).inner_text() == "People needing attention"
    assert page.get_by_role("cell", name="Alpha intake").count() == 4
    a11y(page)
