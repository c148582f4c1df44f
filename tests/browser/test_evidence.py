"""An NQSW logs a direct observation with a PDF in Chromium, links it to two elements and submits it.

The home page's "waiting for review" count of direct observations goes from 0 to 1. The same journey
works with JavaScript switched off: every form is a plain POST.
"""

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from academy.extensions import db
from tests import factories
from tests.browser.conftest import a11y, sign_in_through_browser

NQSW_EMAIL = "noor.evidence@example.org"
NO_JS_EMAIL = "nat.nojs@example.org"


def minimal_pdf(text: str) -> bytes:
    """A small but complete PDF (one page, one line of text) with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture(scope="module")
def portfolio(live_server):
    """Two NQSWs (one for each test) in a cohort assessed against the shipped KSS and PCF."""
    with live_server.app.app_context():
        cohort = factories.make_cohort("September 2025 intake", date(2025, 9, 1))
        assessor = factories.make_user({"mentor"}, name="Ash Assessor", email="ash.evidence@example.org")
        labels = None
        for name, email in (("Noor Newly", NQSW_EMAIL), ("Nat Nojs", NO_JS_EMAIL)):
            user = factories.make_user({"nqsw"}, name=name, email=email)
            participant = factories.make_participant(cohort, user, start=date(2025, 9, 1), today=date(2025, 9, 1))
            factories.assign(participant, assessor, "assessor")
            kss = next(fw for fw in participant.cohort.frameworks if fw.code == "CF_KSS_2018")
            pcf = next(fw for fw in participant.cohort.frameworks if fw.code == "PCF_2018")
            first_kss = next(el for el in kss.elements if el.parent_id is None)
            first_pcf = next(el for el in pcf.elements if el.parent_id is None)
            labels = [f"{kss.code} {first_kss.label}", f"{pcf.code} {first_pcf.label}"]
        db.session.commit()
    return {"elements": labels}


def progress_cells(page) -> list[str]:
    row = page.locator('#evidence-progress tr[data-key="direct_observation"]')
    return [row.locator("td").nth(i).inner_text().strip() for i in range(2)]


def fill_observation(page, elements: list[str], pdf_path) -> None:
    page.get_by_label("Title", exact=True).fill("Observed home visit with a parent")
    group = page.get_by_role("group", name="Date of the activity")
    group.get_by_label("Day").fill("14")
    group.get_by_label("Month").fill("10")
    group.get_by_label("Year").fill("2025")
    page.get_by_label("Observer's name", exact=True).fill("Ash Assessor")
    page.get_by_role("group", name="Is the observer a registered social worker?").get_by_label("Yes").check()
    page.get_by_label("Setting", exact=True).fill("Home visit")
    page.get_by_label("What happened and what it shows", exact=True).fill(
        "I explained my role, listened to the parent's worries and agreed next steps with them."
    )
    for index, label in enumerate(elements):
        page.get_by_label(label, exact=True).check()
        number = label.split(" ")[1]
        code = label.split(" ")[0]
        page.get_by_label(f"Reason for {code} {number}", exact=True).fill(f"Shown in the visit (reason {index + 1})")
    page.get_by_label("Attach a file (optional)", exact=True).set_input_files(str(pdf_path))
    page.get_by_label(
        "I confirm no child, family or person using services can be identified from this entry", exact=True
    ).check()


@pytest.mark.browser
def test_nqsw_logs_and_submits_a_direct_observation_with_an_attachment(page, portfolio, tmp_path):
    pdf = minimal_pdf("Observation notes, synthetic")
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().strip() == "Observation notes, synthetic"
    pdf_path = tmp_path / "observation-notes.pdf"
    pdf_path.write_bytes(pdf)

    sign_in_through_browser(page, NQSW_EMAIL, factories.PASSWORD)
    assert page.url.endswith("/home/nqsw")
    a11y(page)
    assert progress_cells(page) == ["0 of 3", "0"]

    page.get_by_role("link", name="Add evidence").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "What kind of evidence is it?"
    a11y(page)
    page.get_by_role("link", name="Direct observation").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Add direct observation"
    a11y(page)

    # Sent empty: the page comes back with the error summary and messages by the fields.
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").get_by_role("link", name="Enter a title").is_visible()
    a11y(page)

    fill_observation(page, portfolio["elements"], pdf_path)
    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Observed home visit with a parent"
    assert page.get_by_text("Your entry has been submitted for review.").is_visible()
    assert page.locator(".govuk-tag").first.inner_text().strip() == "Submitted"
    for label in portfolio["elements"]:
        assert page.get_by_text(label, exact=True).is_visible()
    # Submitted: read-only, so no change link, upload form or submit button.
    assert page.get_by_role("link", name="Change this entry").count() == 0
    assert page.get_by_role("button", name="Submit for review").count() == 0
    a11y(page)

    # The attachment comes back as a download, byte for byte, and reads as the same PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="observation-notes.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "observation-notes.pdf"
    returned = Path(download.path()).read_bytes()
    assert returned == pdf
    assert PdfReader(io.BytesIO(returned)).pages[0].extract_text().strip() == "Observation notes, synthetic"

    page.get_by_role("link", name="Back to all evidence").click()
    page.wait_for_url("**/evidence")  # the link leaves a loaded page: wait for the list, not the old page's load
    a11y(page)
    row = page.get_by_role("row").filter(has_text="Observed home visit with a parent")
    assert "Direct observation" in row.inner_text()
    assert "Submitted" in row.inner_text()

    page.goto("/home/nqsw")
    a11y(page)
    # Submitted, not yet accepted: the count waiting for review goes up; accepted stays 0 of 3.
    assert progress_cells(page) == ["0 of 3", "1"]


@pytest.mark.browser
def test_the_same_journey_works_without_javascript(browser, live_server, portfolio, tmp_path):
    pdf_path = tmp_path / "notes.pdf"
    pdf_path.write_bytes(minimal_pdf("No script notes"))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(NO_JS_EMAIL)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert progress_cells(page) == ["0 of 3", "0"]
        page.get_by_role("link", name="Add evidence").click()
        page.get_by_role("link", name="Direct observation").click()
        page.wait_for_load_state()

        # A mistake first: no title. The page comes back with the message and keeps what was typed.
        fill_observation(page, portfolio["elements"], pdf_path)
        page.get_by_label("Title", exact=True).fill("")
        page.get_by_role("button", name="Save as draft").click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").get_by_text("Enter a title").is_visible()
        assert page.get_by_label("Setting", exact=True).input_value() == "Home visit"

        fill_observation(page, portfolio["elements"], pdf_path)
        page.get_by_role("button", name="Save as draft").click()
        page.wait_for_load_state()
        assert page.get_by_text("Your entry has been saved as a draft.").is_visible()
        assert page.locator(".govuk-tag").first.inner_text().strip() == "Draft"
        assert page.get_by_role("link", name="notes.pdf").is_visible()

        page.get_by_role("button", name="Submit for review").click()
        page.wait_for_load_state()
        assert page.get_by_text("Your entry has been submitted for review.").is_visible()
        assert page.locator(".govuk-tag").first.inner_text().strip() == "Submitted"

        page.goto("/home/nqsw")
        assert progress_cells(page) == ["0 of 3", "1"]
    finally:
        context.close()


@pytest.mark.browser
def test_the_portfolio_log_pages_are_reachable_and_accessible(page, portfolio):
    sign_in_through_browser(page, NQSW_EMAIL, factories.PASSWORD)
    page.get_by_role("link", name="See all your evidence").click()
    page.wait_for_load_state()
    a11y(page)
    nav = page.get_by_role("navigation", name="Portfolio")
    for link, heading in (
        ("Self-assessment", "Self-assessment at the start of year 1"),
        ("Supervision", "Supervision"),
        ("Caseload", "Caseload"),
        ("Protected time", "Protected development time"),
    ):
        nav.get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        a11y(page)

    # Protected time: a mistake, then a good entry that shows in the log.
    page.get_by_label("Activity", exact=True).fill("Reading on trauma-informed practice")
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    a11y(page)
    group = page.get_by_role("group", name="Date")
    group.get_by_label("Day").fill("3")
    group.get_by_label("Month").fill("11")
    group.get_by_label("Year").fill("2025")
    page.get_by_label("Hours", exact=True).fill("3.5")
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_load_state()
    assert page.get_by_text("Protected time added to your log.").is_visible()
    assert "Reading on trauma-informed practice" in page.locator("table").inner_text()
    a11y(page)
