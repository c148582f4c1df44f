"""A coordinator creates a cohort, imports a CSV, sees the participants, pauses one and sees due dates move."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from academy.extensions import db
from academy.frameworks.loader import find_framework, load_shipped_frameworks
from academy.frameworks.transfer import import_framework
from academy.programmes.defaults import ECDP_PROGRAMME_NAME
from academy.programmes.services import ensure_default_programmes
from tests import factories
from tests.browser.conftest import a11y, click_and_wait, sign_in_through_browser

EXAMPLE_ECS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "early-career-standards-example.json"
COHORT_PAGE = re.compile(r"/cohorts/\d+$")
IMPORT_PAGE = re.compile(r"/cohorts/\d+/import$")
PARTICIPANT_PAGE = re.compile(r"/participants/\d+$")

CSV = (
    "given_name,family_name,email,start_date,team,fte,swe_number,employment_type,"
    "assessor_email,mentor_email,line_manager_email\n"
    "Ada,Example,ada.example@example.org,01/09/2025,Leaving care,1.0,SW100001,permanent,"
    "ash.assessor@example.org,,\n"
    "Ben,Sample,ben.sample@example.org,2025-09-01,Children in care,0.8,,agency,ash.assessor@example.org,,\n"
)


@pytest.fixture(scope="module")
def coordinator_email(live_server):
    with live_server.app.app_context():
        ensure_default_programmes()
        load_shipped_frameworks()
        factories.make_user({"coordinator"}, name="Casey Coordinator", email="casey.cohorts@example.org")
        factories.make_user({"mentor"}, name="Ash Assessor", email="ash.assessor@example.org")
        if find_framework("CF_ECS_EXAMPLE", "example") is None:
            import_framework(EXAMPLE_ECS.read_bytes(), "json", None, None)
        db.session.commit()
    return "casey.cohorts@example.org"


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


@pytest.mark.browser
def test_create_import_pause(page: Page, coordinator_email, tmp_path):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/cohorts")
    a11y(page)
    click_and_wait(page, page.get_by_role("link", name="Create a cohort"), url=re.compile(r"/cohorts/new$"))
    a11y(page)
    page.get_by_label("Cohort name").fill("September 2025 browser intake")
    fill_date(page, "Start date", 1, 9, 2025)
    click_and_wait(page, page.get_by_role("button", name="Continue"), url=re.compile(r"/cohorts/new$"))
    page.get_by_label("Social Work England professional standards", exact=False).first.check()
    click_and_wait(page, page.get_by_role("button", name="Create cohort"), url=COHORT_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("September 2025 browser intake")
    a11y(page)

    click_and_wait(page, page.get_by_role("link", name="Import from CSV"), url=IMPORT_PAGE)
    a11y(page)
    path = tmp_path / "intake.csv"
    path.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(path))
    click_and_wait(page, page.get_by_role("button", name="Check the file"), url=IMPORT_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before enrolling 2 people")
    a11y(page)
    click_and_wait(page, page.get_by_role("button", name="Enrol all 2 people"), url=COHORT_PAGE)
    expect(page.get_by_text("Enrolled 2 people")).to_be_visible()
    table = page.locator("#participants")
    expect(table.get_by_role("link", name="Ada Example")).to_be_visible()
    expect(table.get_by_role("link", name="Ben Sample")).to_be_visible()
    a11y(page)

    click_and_wait(page, table.get_by_role("link", name="Ada Example"), url=PARTICIPANT_PAGE)
    a11y(page)
    review = page.locator('[data-milestone="review_3m"]')
    later = page.locator('[data-milestone="year2_mid"]')
    expect(review).to_have_text("1 December 2025")
    expect(later).to_have_text("1 March 2027")
    page.get_by_text("Pause the programme").click()
    page.get_by_label("Reason for the pause").select_option("parental_leave")
    fill_date(page, "Pause starts", 1, 11, 2025)
    fill_date(page, "Expected return date", 1, 12, 2025)
    click_and_wait(page, page.get_by_role("button", name="Pause", exact=True), url=PARTICIPANT_PAGE)
    expect(page.get_by_text("is paused. Later due dates have moved.")).to_be_visible()
    # 30 days of pause: every later due date moves by 30 days.
    expect(review).to_have_text("31 December 2025")
    expect(later).to_have_text("31 March 2027")
    expect(page.locator('[data-milestone="agreement"]')).to_have_text("1 October 2025")
    a11y(page)


@pytest.mark.browser
def test_other_cohort_pages_are_accessible(page: Page, coordinator_email, tmp_path, live_server):
    with live_server.app.app_context():
        cohort = factories.make_cohort("Accessibility intake")
        db.session.commit()
        cohort_id = cohort.id
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    for path in (f"/cohorts/{cohort_id}/enrol", f"/cohorts/{cohort_id}/edit", "/programmes"):
        page.goto(path)
        a11y(page)
    click_and_wait(
        page, page.get_by_role("link", name="Three-year NQSW programme (adults)"), url=re.compile(r"/programmes/\d+$")
    )
    a11y(page)
    page.goto(f"/cohorts/{cohort_id}/enrol")
    click_and_wait(
        page, page.get_by_role("button", name="Enrol and send invitation"), url=re.compile(r"/cohorts/\d+/enrol$")
    )
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    a11y(page)
    path = tmp_path / "bad.csv"
    path.write_text("given_name,surname\nAda,Example\n", encoding="utf-8")
    page.goto(f"/cohorts/{cohort_id}/import")
    page.get_by_label("CSV file").set_input_files(str(path))
    click_and_wait(page, page.get_by_role("button", name="Check the file"), url=IMPORT_PAGE)
    expect(page.get_by_text("nothing was imported").first).to_be_visible()
    a11y(page)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("day", "month", "year", "programme", "standards", "not_standards"),
    [
        (6, 9, 2027, ECDP_PROGRAMME_NAME, "early career", "Knowledge"),
        (1, 3, 2027, "Three-year NQSW programme", "Knowledge and Skills Statement", "early career"),
    ],
)
def test_creating_a_cohort_proposes_the_programme_and_frameworks_by_start_date(
    page: Page, coordinator_email, day, month, year, programme, standards, not_standards
):
    sign_in_through_browser(page, coordinator_email, factories.PASSWORD)
    page.goto("/cohorts/new")
    page.get_by_label("Cohort name").fill(f"Intake starting {day} {month} {year}")
    fill_date(page, "Start date", day, month, year)
    click_and_wait(page, page.get_by_role("button", name="Continue"), url=re.compile(r"/cohorts/new$"))
    a11y(page)
    expect(page.locator("#proposal")).to_contain_text(f"we propose the {programme}")
    select = page.get_by_label("Programme")
    expect(select.locator("option:checked")).to_have_text(programme)
    frameworks = page.get_by_role("group", name="Frameworks assessed against")
    expect(frameworks.get_by_label(standards, exact=False)).to_be_checked()
    expect(frameworks.get_by_label(not_standards, exact=False)).not_to_be_checked()
    click_and_wait(page, page.get_by_role("button", name="Create cohort"), url=COHORT_PAGE)
    applies = page.locator("#cohort-applies")
    expect(applies).to_contain_text(programme)
    expect(applies).to_contain_text(standards)
    expect(applies).not_to_contain_text(not_standards)
    a11y(page)
