"""A coordinator finds the reports pages and checks a printed record's PDF against the original, in Chromium."""

import re

import pytest
from playwright.sync_api import Route, expect

from academy.extensions import db
from academy.reports.services import issue_progression_record
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser

VERIFY_PAGE = re.compile(r"/reports/verify$")
BATCHES_PAGE = re.compile(r"/cohorts/\d+/records$")


@pytest.fixture(scope="module")
def issued(live_server, tmp_path_factory):
    with live_server.app.app_context():
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey.reports@example.org")
        participant = factories.make_participant(
            factories.make_cohort("Reports intake"),
            factories.make_user({"nqsw"}, name="Rita Record", email="rita@example.org"),
        )
        rendered = issue_progression_record(participant, actor=None)
        db.session.commit()
    path = tmp_path_factory.mktemp("pdf") / "record.pdf"
    path.write_bytes(rendered.data)
    return {"reference": rendered.reference, "path": path}


@pytest.mark.browser
def test_coordinator_checks_a_record_and_opens_the_batch_page(page, issued):
    sign_in_through_browser(page, "casey.reports@example.org", factories.PASSWORD)
    page.goto("/reports")
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Check a document against the issued original"), url=VERIFY_PAGE)
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Check the document"), url=VERIFY_PAGE)  # nothing filled in
    assert "Enter the document reference" in page.inner_text("body")
    a11y(page)
    page.get_by_label("Document reference").fill(issued["reference"])
    page.get_by_label("PDF file").set_input_files(str(issued["path"]))
    click_and_wait(page, page.get_by_role("button", name="Check the document"), url=VERIFY_PAGE)
    assert "The file is exactly the document issued" in page.inner_text("body")
    a11y(page)
    page.goto("/reports")
    click_and_wait(
        page, page.get_by_role("link", name="Build or download the records of Reports intake"), url=BATCHES_PAGE
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Every progression record as a ZIP"
    a11y(page)


@pytest.mark.browser
def test_batch_progress_updates_in_place_and_offers_the_zip(page, issued):
    sign_in_through_browser(page, "casey.reports@example.org", factories.PASSWORD)
    page.goto("/reports")
    click_and_wait(
        page, page.get_by_role("link", name="Build or download the records of Reports intake"), url=BATCHES_PAGE
    )
    # The progress page's script asks for progress every few seconds and reloads the page once the batch is
    # done. Its requests are held until axe has checked the page, so that reload cannot land in the middle
    # of the check (on a busy machine axe can take longer than the interval). Pausing the page's clock
    # would not do: axe itself schedules its work with timers.
    held: list[Route] = []
    page.route("**/reports/batches/*/status.json", lambda route: held.append(route))
    click_and_wait(
        page, page.get_by_role("button", name="Build the ZIP of every record"), url=re.compile(r"/reports/batches/\d+$")
    )
    assert "/reports/batches/" in page.url
    a11y(page)  # the progress page, while it is still running: no timed reload to fail WCAG 2.2.1
    # The script asks for progress and shows the finished page when the ZIP is ready.
    for route in held:
        route.continue_()
    page.unroute("**/reports/batches/*/status.json")
    download = page.get_by_role("link", name="Download the ZIP (1 record)")
    expect(download).to_be_visible(timeout=60_000)
    a11y(page)  # the finished page, once its navigation has loaded
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".zip")
