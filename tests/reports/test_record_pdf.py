"""A year-3 participant's progression record, issued once through the CLI and read back with pypdf."""

import hashlib
import io
import re
from dataclasses import dataclass

import pypdf
import pytest
import sqlalchemy as sa

from academy.core.pdf import STATIC_ORIGIN, RefusedResource, StaticOnlyFetcher
from academy.extensions import db
from academy.reports.models import IssuedDocument
from academy.reports.sample import make_staff, make_year3_cohort, make_year3_participant, rated_elements
from tests import factories
from tests.conftest import sign_in
from tests.reports.conftest import committed_app, pdf_pages


@dataclass
class Issued:
    app: object
    data: bytes
    pages: list[str]
    text: str
    reference: str
    expected_ratings: list[tuple[str, str, str, str]]  # (number, title, label, rater)
    coordinator_id: int
    mentor_id: int
    nqsw_id: int


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    with committed_app(tmp_path_factory, "record") as app:
        with app.app_context():
            coordinator = factories.make_user(("coordinator",), name="Casey Coordinator")
            staff = make_staff(password=factories.PASSWORD)  # the mentor checks a copy
            cohort = make_year3_cohort("September 2024 intake")
            participant = make_year3_participant(cohort, staff, name="Nia Newly", rate_everything=False)
            expected = []
            for year, rater in ((1, "Ada Assessor"), (2, "Mo Mentor"), (3, "Mo Mentor")):
                elements = rated_elements(cohort, year)
                if year == 3:
                    elements = elements[:5]
                for i, element in enumerate(elements):
                    label = "Meeting expected level" if year == 1 or i % 2 == 0 else "Consistently exceeding"
                    expected.append((element.number, element.title, label, rater))
            db.session.commit()
            ids = (coordinator.id, staff.mentor.id, participant.user_id)
            email = participant.user.email
        out = tmp_path_factory.mktemp("out") / "record.pdf"
        result = app.test_cli_runner().invoke(args=["academy", "progression-record", email, "-o", str(out)])
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        reference = re.search(r"reference (PR-\d{4}-[0-9A-F]{4}-[0-9A-F]{4})", result.output).group(1)
        pages = pdf_pages(data)
        yield Issued(app, data, pages, "\n".join(pages), reference, expected, *ids)


def test_record_names_the_participant_cohort_staff_and_frameworks(issued):
    cover = issued.pages[0]
    for text in (
        "Nia Newly",
        "SW123456",
        "September 2024 intake",
        "Children in care",
        "2 September 2024",
        "Ada Assessor",
        "Lee Linemanager",
        "Casey Coordinator",
        "Professional Capabilities Framework",
    ):
        assert text in cover
    assert "2018" in cover
    assert "2019" in cover


def test_every_rated_element_shows_its_current_rating_and_who_rated_it(issued):
    text = " ".join(issued.text.split())
    for number, title, label, rater in issued.expected_ratings:
        # A long title wraps in its cell; the rating and rater sit beside its first line.
        starts = [m.start() for m in re.finditer(re.escape(f"{number} {' '.join(title.split()[:3])}"), text)]
        rows = [text[i : i + len(title) + len(label) + len(rater) + 40] for i in starts]
        assert any(label in row and rater in row for row in rows), (number, rows)
    # Year 3 has unrated elements too, shown as such.
    assert "Not rated" in text


def test_reviews_and_outcome_are_in_the_record(issued):
    text = " ".join(issued.text.split())
    for title in (
        "3-month review",
        "6-month review",
        "Final review",
        "Year 2 mid-year review",
        "Year 2 end-of-year review",
    ):
        assert f"Summary of the {title.lower()}: steady progress" in text
        assert f"Actions after the {title.lower()}:" in text
    assert "Year 3 mid-year review Due 2 March 2027. Not yet held." in text
    assert "End-of-programme review Due 2 September 2027. Not yet held." in text
    assert "Recommendation PASS" in text
    assert "Confirmed by the moderation panel" in text
    assert "Panel chair Lee Linemanager" in text
    assert "Support and assessment agreement" in text


def test_evidence_supervision_and_status_sections(issued):
    text = " ".join(issued.text.split())
    assert "Direct observation 3 3 3 Yes" in text
    assert "Critical reflection for review 6m 1 1 Yes" in text
    assert "Year changed" in text
    assert "Protected development time:" in text


def test_pages_are_numbered_page_x_of_n_with_the_running_header(issued):
    total = len(issued.pages)
    assert total > 3
    for number, page in enumerate(issued.pages, start=1):
        assert f"Page {number} of {total}" in page
        if number > 1:
            assert f"Ref. {issued.reference}" in page
            assert "Nia Newly" in page


def test_metadata_claims_pdf_a_3b_with_title_author_and_subject(issued):
    reader = pypdf.PdfReader(io.BytesIO(issued.data))
    assert reader.metadata.title == "Progression record: Nia Newly"
    assert reader.metadata.author == "Social Work Academy"
    assert issued.reference in reader.metadata.subject
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp


def test_issued_document_keeps_reference_and_sha256(issued):
    with issued.app.app_context():
        document = db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.reference == issued.reference))
        assert document.sha256 == hashlib.sha256(issued.data).hexdigest()
        assert document.size_bytes == len(issued.data)
        assert document.kind == "progression_record"


def _verify(issued, data: bytes, reference: str):
    with issued.app.app_context():
        client = issued.app.test_client()
        from academy.accounts.models import User

        sign_in(client, db.session.get(User, issued.mentor_id))
        response = client.post_form(
            "/reports/verify",
            {"reference": reference, "file": (io.BytesIO(data), "copy.pdf")},
            content_type="multipart/form-data",
        )
        db.session.remove()
        return response


def test_verify_page_confirms_the_exact_copy(issued):
    response = _verify(issued, issued.data, issued.reference.lower())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The file is exactly the document issued" in html
    assert "Nia Newly" in html  # the mentor is assigned, so may see whose record it is


def test_a_changed_byte_fails_verification(issued):
    changed = bytearray(issued.data)
    changed[len(changed) // 2] ^= 0x01
    html = _verify(issued, bytes(changed), issued.reference).get_data(as_text=True)
    assert "is not the document issued as" in html
    assert "The file is exactly" not in html


def test_verify_reports_unknown_reference_next_to_the_field(issued):
    html = _verify(issued, issued.data, "PR-1999-0000-0000").get_data(as_text=True)
    assert "No document was issued with the reference PR-1999-0000-0000." in html
    assert 'id="reference-error"' in html


def test_fetcher_serves_static_files_only(app):
    fetcher = StaticOnlyFetcher(app.static_folder)
    assert fetcher.fetch(f"{STATIC_ORIGIN}academy-icon.svg").content_type == "image/svg+xml"
    for url in (
        "https://example.org/logo.png",
        "file:///etc/passwd",
        f"{STATIC_ORIGIN}../config.py",
        "http://academy.invalid/static/academy-icon.svg",
    ):
        with pytest.raises((RefusedResource, ValueError)):
            fetcher.fetch(url)


def test_elements_are_named_by_their_titles_never_by_framework_codes(issued):
    text = " ".join(issued.text.split())
    for code in ("CF_KSS", "PCF_2018", "SWE_PS", "_2018", "_2019"):
        assert code not in text, text[max(text.find(code) - 150, 0) : text.find(code) + 60]
    # The evidence index names each element with its framework in words.
    assert re.search(r"KSS \d+ [A-Z][a-z]+", text)


MM = 72 / 25.4
TEXT_BLOCK = (16 * MM, 595.28 - 16 * MM)  # A4 with 16 mm side margins (templates/pdf/_print.css)


def _drawn_rules(reader: pypdf.PdfReader, page: pypdf.PageObject) -> list[tuple[float, float]]:
    """The left and right end, in points on the page, of every line and rectangle drawn (table rules and borders)."""
    stream = pypdf.generic.ContentStream(page.get_contents(), reader)
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    edges = []
    start = (0.0, 0.0)

    def x_of(px: float, py: float) -> float:
        return ctm[0] * px + ctm[2] * py + ctm[4]

    for operands, operator in stream.operations:
        if operator == b"q":
            stack.append(list(ctm))
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            xs = [x_of(x, y), x_of(x + w, y + h)]
            edges.append((min(xs), max(xs)))
        elif operator == b"m":
            start = (float(operands[0]), float(operands[1]))
        elif operator == b"l":
            end = (float(operands[0]), float(operands[1]))
            xs = [x_of(*start), x_of(*end)]
            edges.append((min(xs), max(xs)))
            start = end
    return edges


def test_no_table_is_wider_than_the_text_block(issued):
    reader = pypdf.PdfReader(io.BytesIO(issued.data))
    left, right = TEXT_BLOCK
    measured = 0
    for number, page in enumerate(reader.pages, start=1):
        for x0, x1 in _drawn_rules(reader, page):
            if x1 - x0 < 1:  # vertical rules: their ends are checked by the horizontal ones
                continue
            measured += 1
            assert x0 >= left - 0.5, (number, x0, x1)
            assert x1 <= right + 0.5, (number, x0, x1)
    assert measured > 20  # the tables' rules were found and measured


def test_the_self_assessment_minimum_agrees_with_the_nqsw_home(issued):
    text = " ".join(issued.text.split())
    assert not re.search(r"Self-assessment \d+ \d+ – No minimum", text)
    assert re.search(r"Self-assessment \d+ \d+ [1-9]\d* (Yes|No)", text), text[text.find("Self-assessment") :][:120]
