"""A coordinator imports a framework CSV in Chromium, sees it as a tree, and sees every problem in a broken file."""

import re

import pytest

from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser

IMPORT_FORM = re.compile(r"/frameworks/import$")
FRAMEWORK_PAGE = re.compile(r"/frameworks/\d+$")
ELEMENT_FORM = re.compile(r"/frameworks/\d+/elements/\d+/edit$")

GOOD = (
    "number,parent_number,title,description,level\n"
    "1,,Relationships and communication,,\n"
    "1.1,1,Build trusting relationships with children,,\n"
    "1.1.1,1.1,Explain my role clearly,,\n"
    "2,,Assessment and planning,,\n"
)
BROKEN = "number,parent_number,title,description,level\n1,,,,\n1,,Duplicate,,\n3.1,3,Orphan,,\n"


@pytest.fixture(scope="module")
def coordinator_email(live_server):
    with live_server.app.app_context():
        factories.make_cohort("September 2026 intake")  # loads the shipped frameworks; the KSS is in use
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey.frameworks@example.org")
        db.session.commit()
    return "casey.frameworks@example.org"


def fill_details(page, version: str) -> None:
    page.get_by_label("Code").fill("ECS_BROWSER")
    page.get_by_label("Name").fill("Early career standards (browser test)")
    page.get_by_label("Version").fill(version)
    page.get_by_label("Publisher").fill("Synthetic publisher")
    page.get_by_label("Valid from").fill("2027-04-01")
    page.get_by_label("Service area").select_option("child_family")


@pytest.mark.browser
def test_coordinator_imports_a_csv_and_sees_the_tree(page, coordinator_email, tmp_path):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="Frameworks").first, url=re.compile(r"/frameworks/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Frameworks"
    assert page.get_by_text("September 2026 intake").first.is_visible()
    a11y(page)

    click_and_wait(page, page.get_by_role("link", name="Import a framework from a CSV or JSON file"), url=IMPORT_FORM)
    a11y(page)
    good = tmp_path / "ecs.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.get_by_label("Framework file").set_input_files(str(good))
    fill_details(page, "2027")
    click_and_wait(page, page.get_by_role("button", name="Import framework"), url=FRAMEWORK_PAGE)
    assert "Early career standards (browser test)" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("Imported Early career standards (browser test) (2027) with 4 elements.").is_visible()
    # The tree: 1.1.1 sits in a list inside 1.1, which sits in a list inside 1.
    nested = page.locator("#main-content ul.app-framework-tree > li > ul > li > ul > li")
    assert "Explain my role clearly" in nested.first.inner_text()
    a11y(page)

    click_and_wait(page, page.get_by_role("link", name="Edit element 1.1", exact=True), url=ELEMENT_FORM)
    assert page.get_by_role("heading", level=1).inner_text() == "Edit element 1.1"
    a11y(page)


@pytest.mark.browser
def test_a_broken_file_shows_every_problem(page, coordinator_email, tmp_path):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/frameworks/import")
    broken = tmp_path / "broken.csv"
    broken.write_text(BROKEN, encoding="utf-8")
    page.get_by_label("Framework file").set_input_files(str(broken))
    fill_details(page, "broken")
    click_and_wait(page, page.get_by_role("button", name="Import framework"), url=IMPORT_FORM)
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("There is a problem").is_visible()
    for text in (
        "Line 2, title: The title is empty.",
        "Line 3, number: Number 1 is a duplicate: it is also on line 2.",
        "Line 4, parent_number: Unknown parent 3: no earlier element has that number.",
    ):
        assert summary.get_by_role("link", name=text).is_visible()
    rows = page.locator("#file-problems tbody tr")
    assert rows.count() == 3
    assert rows.nth(2).inner_text().split("\t") == [
        "Line 4",
        "parent_number",
        "Unknown parent 3: no earlier element has that number.",
    ]
    a11y(page)
    page.goto("/frameworks/")
    assert page.get_by_text("ECS_BROWSER").count() <= 1  # only the good import from the other test, if it ran
    a11y(page)


@pytest.mark.browser
def test_editing_a_frozen_framework_and_the_version_pages(page, coordinator_email, live_server):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/frameworks/")
    click_and_wait(
        page,
        page.get_by_role("link", name="Knowledge and Skills Statement for child and family practitioners").first,
        url=FRAMEWORK_PAGE,
    )
    assert page.get_by_text("This version is frozen because cohorts use it.").is_visible()
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Edit element 3", exact=True), url=ELEMENT_FORM)
    assert page.get_by_text("September 2026 intake uses version 2018, so it is frozen.").is_visible()
    a11y(page)
    page.get_by_label("Title").fill("Child development and attachment")
    click_and_wait(page, page.get_by_role("button", name="Save"), url=FRAMEWORK_PAGE)
    assert "version 2018.1" in page.get_by_role("heading", level=1).inner_text()
    a11y(page)
    click_and_wait(
        page,
        page.get_by_role("link", name="Where ratings on 2018 count in 2018.1"),
        url=re.compile(r"/frameworks/\d+/ratings-count-in/\d+$"),
    )
    assert page.get_by_role("row", name="3 Child development 3 Child development and attachment").is_visible()
    a11y(page)
    click_and_wait(
        page,
        page.get_by_role("link", name="Change the version mappings"),
        url=re.compile(r"/frameworks/\d+/mappings\?with=\d+$"),
    )
    a11y(page)
    page.go_back()
    page.go_back()
    click_and_wait(page, page.get_by_role("link", name="2018", exact=True), url=FRAMEWORK_PAGE)
    click_and_wait(
        page,
        page.get_by_role("link", name="Move a cohort to another version"),
        url=re.compile(r"/frameworks/\d+/move-cohort$"),
    )
    a11y(page)
    click_and_wait(
        page,
        page.get_by_role("button", name="Preview the move"),
        url=re.compile(r"/frameworks/\d+/move-cohort/\d+/to/\d+$"),
    )
    a11y(page)
    click_and_wait(
        page,
        page.get_by_role("button", name="Move September 2026 intake to version 2018.1"),
        url=re.compile(r"/cohorts/\d+$"),
    )
    assert page.get_by_text("September 2026 intake is now assessed against").is_visible()
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Undo the move"), url=re.compile(r"/cohorts/\d+$"))
    assert page.get_by_text("September 2026 intake is back on").is_visible()
    a11y(page)
