"""A coordinator filters the retention dashboard in Chromium; a mentor is refused."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, SupervisionSession
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
        # A cohort named the way councils name them, whose chart labels used to be cut ("September 202…"),
        # an assessor, and one NQSW supervised every week (more than due: the page must still not pass 100%).
        recent = factories.make_cohort("September 2024 cohort", date(2024, 9, 2), with_frameworks=False)
        assessor = factories.make_user({"mentor"}, name="Ash Assessor", email="ash@example.org")
        keen, other = (factories.make_participant(recent, team="East") for _ in range(2))
        factories.assign(keen, assessor, "assessor")
        factories.assign(other, assessor, "assessor")
        casey = db.session.scalar(db.select(User).where(User.email == "casey@example.org"))
        db.session.add_all(
            [
                SupervisionSession(
                    participant_id=keen.id, held_on=date(2024, 9, 3) + timedelta(days=7 * i), recorded_by_id=casey.id
                )
                for i in range(55)
            ]
            + [CaseloadSnapshot(participant_id=keen.id, taken_on=date(2025, 6, 30), cases=11, recorded_by_id=casey.id)]
        )
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


SUMMARY_AGAINST_TABLES = """() => [...document.querySelectorAll('[data-summary-item]')].map(item => {
  const table = document.querySelector(`table[data-table="${item.dataset.figure}"]`);
  const headers = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
  const column = headers.indexOf(item.dataset.column);
  const row = [...table.querySelectorAll('tbody tr')].find(tr => tr.cells[0].innerText.trim() === item.dataset.row);
  return {
    label: item.querySelector('dt').innerText.trim(),
    summary: item.querySelector('[data-summary-value]').innerText.trim(),
    table: row && column >= 0 ? row.cells[column].innerText.trim() : null,
  };
})"""

SIDEWAYS = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  tables: [...document.querySelectorAll('table')]
    .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1
      || t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(t => t.querySelector('caption').innerText),
})"""


@pytest.mark.browser
def test_head_of_service_reads_the_summary_beside_england_at_desktop_and_phone_widths(page, academy):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_through_browser(page, "casey@example.org", factories.PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="Retention").first, url=re.compile(r"/retention/$"))
    page.get_by_label("Period", exact=True).select_option(label="Year to 30 September 2025 (census year)")
    click_and_wait(
        page, page.get_by_role("button", name="Show figures"), url=re.compile(r"/retention/\?.*period=census-2025")
    )
    a11y(page)

    # The summary's numbers are the tables' numbers.
    pairs = page.evaluate(SUMMARY_AGAINST_TABLES)
    assert [p["label"] for p in pairs] == [
        "In post", "Retention at 12 months", "Retention at 24 months", "Retention at 36 months", "Turnover (FTE)",
        "Average caseload", "ASYE pass rate", "Supervision compliance", "Protected time used",
    ]  # fmt: skip
    for pair in pairs:
        assert pair["table"] is not None, pair
        assert pair["summary"] == pair["table"], pair
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text(
        "Of the 8 who started at least a year before 30 September 2025, 7 stayed at least a year."
    )

    # England beside the academy: in the summary and in the comparison table.
    turnover = summary.locator("[data-summary-item][data-column='Turnover (FTE) %']")
    expect(turnover.locator("[data-england]")).to_have_text(re.compile(r"England 11\.8% \(year to 30 September 2025\)"))
    expect(summary.locator("[data-summary-item][data-figure=caseload] [data-england]")).to_contain_text("England 15.2")
    england = page.locator("table[data-table=england]")
    expect(england.get_by_role("columnheader", name="England turnover (FTE) %")).to_be_visible()
    expect(england.get_by_role("row", name=re.compile("Year to 30 September 2025"))).to_contain_text("11.8")

    # No table scrolls sideways at 1280 pixels.
    assert page.evaluate(SIDEWAYS) == {"page": 0, "tables": []}

    # Chart labels are whole: no ellipsis anywhere in a chart, and the cohorts' short labels appear in full.
    chart_text = page.locator("#retention svg text").all_text_contents()
    for label in ("Sep 2022", "Sep 2023", "Sep 2024"):
        assert label in chart_text
    assert not [t for t in page.locator("svg text").all_text_contents() if "…" in t or "..." in t]
    survival = page.locator("#survival")
    expect(survival.get_by_role("heading", level=2)).to_have_text("How long people stay")
    expect(survival.locator("svg")).to_have_attribute("aria-label", re.compile("How long people stay"))
    expect(page.locator("#retention")).to_contain_text("Sep 2024 is September 2024 cohort")

    # No percentage on the page passes 100, although one NQSW had more supervision than due.
    text = page.locator("main").inner_text() + " ".join(page.locator("svg text").all_text_contents())
    assert max(float(v) for v in re.findall(r"(\d+(?:\.\d+)?)\s*%", text)) <= 100
    # One of the two supervised weekly (far more than due), the other never: half of what was due was held.
    expect(
        page.locator("table[data-table=supervision]").get_by_role("row", name=re.compile("September 2024 cohort"))
    ).to_contain_text("50.0%")

    # Statistical terms are explained in a details component.
    page.get_by_text("What the terms mean").click()
    expect(page.get_by_text("Kaplan-Meier estimator", exact=False).first).to_be_visible()
    expect(page.locator("table[data-table=staff-load]")).to_contain_text("Ash Assessor")
    a11y(page)

    # At a phone's width the tables stack, and nothing scrolls sideways either.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    a11y(page)
    assert page.evaluate(SIDEWAYS) == {"page": 0, "tables": []}
    first_cell = page.locator("table[data-table=retention] tbody tr").first.locator("td").first
    assert page.evaluate("(el) => getComputedStyle(el, '::before').content", first_cell.element_handle()) == (
        '"Eligible at 12 months"'
    )
