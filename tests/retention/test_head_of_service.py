"""The head of service's view: the census export, capped percentages, the PDF, England's figures, staff loads."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SupervisionSession
from academy.participants.lifecycle import change_fte, leave, withdraw
from academy.participants.models import EmploymentType, LeavingDestination
from academy.retention import census, national, workload
from academy.retention.scope import Scope
from tests.conftest import sign_in
from tests.factories import assign, make_cohort, make_participant, make_user

EXPECTED = Path(__file__).parent / "data" / "census_2025_expected.csv"
WEEK = timedelta(days=7)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


@pytest.fixture
def census_academy(db, coordinator):
    """Worked by hand in data/census_2025_expected.csv (census year 1 October 2024 to 30 September 2025)."""
    cohort = make_cohort("September 2024 cohort", date(2024, 9, 2), with_frameworks=False)
    later = make_cohort("October 2025 cohort", date(2025, 10, 6), with_frameworks=False)

    def person(name: str, swe: str, **kwargs):
        return make_participant(cohort, make_user(name=name), swe_number=swe, **kwargs)

    ada = person("Ada Able", "SW100001")
    ben = person("Ben Bond", "SW100002", fte="0.6", employment_type=EmploymentType.AGENCY)
    cat = person("Cat Cole", "SW100003")
    dan = person("Dan Dale", "SW100004")
    eve = person("Eve Eng", "SW100005")
    make_participant(later, make_user(name="Fay Ford"), swe_number="SW100006")
    # Ben goes to 0.8 after the census day: the census shows 0.60. Cat went part-time before leaving.
    change_fte(ben, Decimal("0.8"), actor=coordinator, on=date(2025, 10, 10))
    change_fte(cat, Decimal("0.5"), actor=coordinator, on=date(2025, 3, 1))
    leave(cat, actor=coordinator, on=date(2025, 6, 30), reason="Moved closer to family",
          destination=LeavingDestination.OTHER_LOCAL_AUTHORITY)  # fmt: skip
    leave(dan, actor=coordinator, on=date(2024, 9, 20), reason="Left before the year")  # not in this census
    withdraw(
        eve, actor=coordinator, on=date(2025, 2, 14), reason="Took agency work", destination=LeavingDestination.AGENCY
    )
    db.session.add_all([
        CaseloadSnapshot(participant_id=ada.id, taken_on=date(2025, 9, 15), cases=12, recorded_by_id=coordinator.id),
        CaseloadSnapshot(participant_id=ada.id, taken_on=date(2025, 10, 5), cases=14, recorded_by_id=coordinator.id),
    ])  # fmt: skip
    db.session.flush()
    return cohort


def test_census_export_matches_the_hand_worked_file(client, census_academy, coordinator):
    sign_in(client, coordinator)
    response = client.get("/retention/census.csv?period=census-2025")
    assert response.status_code == 200
    assert 'filename="csww-census-workers-30-september-2025.csv"' in response.headers["Content-Disposition"]
    got = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    expected = list(csv.reader(io.StringIO(EXPECTED.read_text(encoding="utf-8"))))
    assert got == expected


def test_census_workbook_holds_the_same_records_and_the_fields_not_held(client, census_academy, coordinator):
    sign_in(client, coordinator)
    response = client.get("/retention/census.xlsx?period=census-2025")
    assert response.mimetype == census_routes_xlsx()
    book = load_workbook(io.BytesIO(response.data))
    rows = [["" if c is None else c for c in row] for row in book["Workers 2025"].iter_rows(values_only=True)]
    expected = list(csv.reader(io.StringIO(EXPECTED.read_text(encoding="utf-8"))))
    assert rows[0] == expected[0]
    as_text = [
        [
            f"{float(c):.2f}" if i == 2 else c.date().isoformat() if hasattr(c, "date") else str(c)
            for i, c in enumerate(row)
        ]
        for row in rows[1:]
    ]
    assert as_text == expected[1:]
    notes = [row[0] for row in book["Not held"].iter_rows(min_row=3, values_only=True)]
    assert "Date of birth" in notes
    assert "Days absent through sickness in the year" in notes


def census_routes_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_census_of_an_empty_academy_is_just_the_header(client, coordinator):
    sign_in(client, coordinator)
    rows = list(csv.reader(io.StringIO(client.get("/retention/census.csv").get_data().decode("utf-8-sig"))))
    assert rows == [census.COLUMNS]


def test_census_export_is_for_coordinators_only(client, census_academy, mentor, nqsw):
    sign_in(client, mentor)
    assert client.get("/retention/census.csv").status_code == 403
    assert client.get("/retention/census.xlsx").status_code == 403
    assert client.get("/retention/figures.pdf").status_code == 403
    client.post_form("/sign-out", page="/home/mentor")
    sign_in(client, nqsw)
    assert client.get("/retention/census.xlsx").status_code == 404
    assert client.get("/retention/figures.pdf").status_code == 404


@pytest.fixture
def over_compliant(db, coordinator):
    """One NQSW supervised every week and logging far more protected time than due; a team where more
    people left than are in post."""
    cohort = make_cohort("September 2024 cohort", date(2024, 9, 2), with_frameworks=False)
    keen = make_participant(cohort, team="North")
    rows = [
        SupervisionSession(participant_id=keen.id, held_on=date(2024, 9, 3) + WEEK * i, recorded_by_id=coordinator.id)
        for i in range(55)
    ]  # fmt: skip
    rows.append(
        ProtectedTimeLog(participant_id=keen.id, taken_on=date(2025, 3, 3), hours=Decimal("900"),
                         activity="Course", recorded_by_id=coordinator.id)
    )  # fmt: skip
    rows.append(CaseloadSnapshot(participant_id=keen.id, taken_on=date(2025, 3, 3), cases=9,
                                 recorded_by_id=coordinator.id))  # fmt: skip
    db.session.add_all(rows)
    south = [make_participant(cohort, team="South") for _ in range(3)]
    for p in south[:2]:
        leave(p, actor=coordinator, on=date(2025, 5, 1), reason="Relocation")
    db.session.flush()
    return cohort


def test_no_percentage_can_pass_100_with_over_compliant_data(client, over_compliant, coordinator):
    rows = workload.supervision_and_protected_time(Scope.census(2025, team="North"))
    total = rows[-1]
    assert total.sessions_held > total.sessions_due  # more held than due ...
    assert total.supervision_rate == 100.0  # ... but each person counts only up to their due
    assert total.hours_used > total.hours_entitled
    assert total.protected_time_rate == 100.0
    sign_in(client, coordinator)
    for query in ("period=census-2025", "period=census-2025&team=South", "team=North"):
        html = client.get(f"/retention/?{query}").get_data(as_text=True)
        values = [float(v) for v in PERCENT.findall(re.sub(r"<[^>]+>", " ", html))]
        assert values, query
        assert max(values) <= 100, query
    south = client.get("/retention/?period=census-2025&team=South").get_data(as_text=True)
    assert "Not shown: more leavers than in post" in south
    for key in ("supervision", "protected-time", "turnover", "retention", "asye"):
        text = client.get(f"/retention/{key}.csv?period=census-2025&team=South").get_data(as_text=True)
        for row in csv.DictReader(io.StringIO(text.split("\n\n")[0])):
            for column, value in row.items():
                if column and "%" in column and value and value.replace(".", "").isdigit():
                    assert float(value) <= 100, (key, column, value)


def test_the_summary_quotes_the_tables_and_compares_with_a_year_earlier_and_england(
    client, over_compliant, coordinator
):
    sign_in(client, coordinator)
    html = client.get("/retention/?period=census-2025").get_data(as_text=True)
    assert "Summary" in html
    assert "Of the 4 who started at least a year before 30 September 2025, 2 stayed at least a year." in html
    assert "England 11.8% (year to 30 September 2025)" in html  # turnover, same definition
    assert "England 15.2 (year to 30 September 2025)" in html  # caseload
    assert "the year to 30 September 2024" in html
    assert "How long people stay" in html
    assert "Kaplan-Meier" in html  # explained among the terms, not the title
    assert "September 2024 cohort" in html
    assert "Sep 2024" in html  # the chart's short label
    assert "…" not in html
    # The page prints without the navigation and filters: its print rules, in the site's stylesheet (no
    # inline styles under the Content-Security-Policy), apply to the pages marked app-print-report.
    assert 'class="govuk-template__body app-print-report"' in html
    stylesheet = client.get("/static/build/academy.css")
    assert ".app-print-report .app-no-print" in stylesheet.get_data(as_text=True)
    stylesheet.close()
    england = client.get("/retention/england.csv?period=census-2025").get_data(as_text=True)
    assert "Year to 30 September 2025" in england
    assert ",11.8," in england
    assert client.get("/retention/staff-load.csv").status_code == 200


def test_printable_pdf_reads_back_with_summary_figures_and_definitions(client, over_compliant, coordinator):
    sign_in(client, coordinator)
    response = client.get("/retention/figures.pdf?period=census-2025")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Retention and workforce figures" in text
    assert "Period: 1 October 2024 to 30 September 2025" in text
    assert "Scope: the whole academy" in text
    assert "Summary" in text
    assert "stayed at least a year" in text
    assert "England 11.8%" in text
    titles = [
        "Retention at 12, 24 and 36 months after start", "How long people stay", "Leavers by length of service",
        "Turnover", "This academy beside England, by census year", "Average NQSW caseload against the target",
        "ASYE completion, pass and extension", "Supervision compliance", "Protected development time used",
        "Assessors' and mentors' NQSW loads",
    ]  # fmt: skip
    for title in titles:
        assert title in text, title
    assert text.count("Definition") >= 12
    assert "Each person's sessions count only up to the number due for them" in text
    assert "Census definition (DfE children's social work workforce census)" in text
    assert "Kaplan-Meier estimator" in text
    assert len(reader.pages) >= 10
    values = [float(v) for v in PERCENT.findall(text)]
    assert max(values) <= 100


def test_a_newer_year_of_england_figures_loads_from_the_dfe_csv(
    app, client, runner, coordinator, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "NATIONAL_FIGURES_FILE", str(tmp_path / "national.json"))
    source = tmp_path / "csww_indicators_2017_to_2026.csv"
    source.write_text(
        "\ufefftime_period,time_identifier,geographic_level,country_name,la_name,inpost_fte,leavers_fte,"
        "turnover_rate_fte,agency_rate_fte,vacancy_rate_fte,caseload_fte,absence_rate_fte\n"
        "2026,Reporting year,National,England,,37000.5,4200.1,11.4,12.1,13.5,14.9,3.4\n"
        "2026,Reporting year,Local authority,England,Tower Hamlets,290.0,24.0,8.3,20.0,18.0,12.0,c\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["academy", "load-national-figures", str(source)])
    assert result.exit_code == 0, result.output
    assert "Year to 30 September 2026: turnover 11.4%" in result.output
    assert national.national_year(2026) == {
        "inpost_fte": 37000.5, "leavers_fte": 4200.1, "turnover_rate_fte": 11.4, "agency_rate_fte": 12.1,
        "vacancy_rate_fte": 13.5, "caseload_fte": 14.9, "absence_rate_fte": 3.4,
    }  # fmt: skip
    assert national.national_year(2025)["turnover_rate_fte"] == 11.8  # the shipped years stay
    assert "Figures to 30 September 2026" in national.source_line()
    sign_in(client, coordinator)
    make_cohort("September 2025 cohort", date(2025, 9, 1), with_frameworks=False)
    html = client.get("/retention/?period=census-2026").get_data(as_text=True)
    assert "England 11.4% (year to 30 September 2026)" in html


def test_a_file_without_the_indicator_columns_is_refused(app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "NATIONAL_FIGURES_FILE", str(tmp_path / "national.json"))
    source = tmp_path / "other.csv"
    source.write_text("year,value\n2026,1\n", encoding="utf-8")
    result = runner.invoke(args=["academy", "load-national-figures", str(source)])
    assert result.exit_code != 0
    assert "no time_period column" in result.output
    assert not (tmp_path / "national.json").exists()


def test_the_shipped_england_series_has_its_source_and_date():
    data = national.national()
    assert data["figures_to"] == "2025-09-30"
    assert "csww_indicators_2017_to_2025.csv" in data["source"]
    assert sorted(data["years"]) == [str(y) for y in range(2017, 2026)]
    assert data["years"]["2025"] == {
        "inpost_fte": 36186.3, "leavers_fte": 4276.3, "turnover_rate_fte": 11.8, "caseload_fte": 15.2,
        "agency_rate_fte": 13.0, "vacancy_rate_fte": 14.2, "absence_rate_fte": 3.5,
    }  # fmt: skip
    # The census formula reproduces the published rate.
    assert round(4276.3 / 36186.3 * 100, 1) == 11.8


def test_staff_loads_against_the_configured_maximum(app, client, coordinator, monkeypatch, db):
    monkeypatch.setitem(app.config, "MAX_NQSWS_PER_ASSESSOR", 2)
    cohort = make_cohort("September 2024 cohort", date(2024, 9, 2), with_frameworks=False)
    stretched = make_user(("mentor",), name="Sam Stretched")
    easy = make_user(("mentor",), name="Pat Plenty")
    people = [make_participant(cohort) for _ in range(3)]
    for p in people:
        assign(p, stretched, "assessor")
    assign(people[0], easy, "mentor")
    leave(people[2], actor=coordinator, on=date(2025, 1, 10), reason="Relocation")  # no longer held
    extra = make_participant(cohort)
    assign(extra, stretched, "assessor")
    db.session.flush()
    rows = workload.staff_loads(Scope.census(2025))
    assert [(r.name, r.role, r.held, r.maximum, r.load) for r in rows] == [
        ("Sam Stretched", "Assessor", 3, 2, "Over the maximum by 1"),
        ("Pat Plenty", "Mentor", 1, 6, "Within the maximum"),
    ]
    sign_in(client, coordinator)
    html = client.get("/retention/?period=census-2025").get_data(as_text=True)
    assert "Over the maximum by 1" in html
    assert "Sam Stretched (assessor)" in html  # the chart label, whole


def test_staff_loads_empty(client, coordinator):
    sign_in(client, coordinator)
    html = client.get("/retention/").get_data(as_text=True)
    assert "Assessors' and mentors' NQSW loads" in html or "Assessors&#39; and mentors&#39; NQSW loads" in html
    assert "No data for this selection." in html
