"""The dashboard and its CSVs: coordinators only, filters by GET, bad filters explained."""

import csv
import io
from datetime import date

import pytest

from academy.home import coordinator as home_coordinator
from academy.retention import routes as retention_routes
from tests.conftest import sign_in
from tests.factories import leave, make_cohort, make_participant


@pytest.fixture
def cohorts(db):
    a = make_cohort("Alpha intake", date(2022, 9, 5), with_frameworks=False)
    b = make_cohort("Beta intake", date(2023, 9, 4), with_frameworks=False)
    for _ in range(3):
        make_participant(a, team="North")
    leaver = make_participant(b, team="South")
    make_participant(b, team="South")
    leave(leaver, date(2024, 3, 1), reason="Relocation")
    return a, b


def test_mentor_is_refused_and_nqsw_is_told_nothing_is_there(client, cohorts, mentor, nqsw):
    sign_in(client, mentor)
    assert client.get("/retention/").status_code == 403
    assert client.get("/retention/retention.csv").status_code == 403
    client.post_form("/sign-out", page="/home/mentor")
    sign_in(client, nqsw)
    assert client.get("/retention/").status_code == 404
    assert client.get("/retention/turnover.csv").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, cohorts):
    assert client.get("/retention/").status_code == 302


def test_dashboard_shows_every_figure_with_definition_and_table(client, cohorts, coordinator):
    sign_in(client, coordinator)
    html = client.get("/retention/").get_data(as_text=True)
    for title in ("Retention at 12, 24 and 36 months", "How long people stay", "Leavers by length of service",
                  "Leavers by destination", "Leavers by reason", "Turnover", "Average NQSW caseload",
                  "ASYE completion", "Supervision compliance", "Protected development time"):  # fmt: skip
        assert title in html
    assert "census definition" in html
    assert "Rolling 12 months" in html
    assert html.count("<svg") >= 5
    assert "How this is worked out" in html
    assert "Numbers still observed" in html
    assert "England beside" not in html  # the figure is titled "This academy beside England"
    assert "This academy beside England" in html


def test_cohort_filter_changes_the_figures(client, cohorts, coordinator):
    a, b = cohorts
    sign_in(client, coordinator)
    html = client.get(f"/retention/?cohort={b.id}&period=census-2024").get_data(as_text=True)
    assert "Beta intake" in html
    assert "Year to 30 September 2024" in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/retention/leavers-reason.csv?cohort={b.id}&period=census-2024")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert rows == [["Reason", "Leavers"], ["Relocation", "1"]]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/retention/leavers-reason.csv?cohort={a.id}&period=census-2024")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert rows == [["Reason", "Leavers"]]


def test_csv_download_has_a_file_name_and_the_table(client, cohorts, coordinator):
    sign_in(client, coordinator)
    response = client.get("/retention/survival.csv?period=census-2025")
    assert response.mimetype == "text/csv"
    assert 'filename="survival-2024-10-01-to-2025-09-30.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "Numbers still observed" in text
    assert "Alpha intake,3,100.0" in text


def test_an_unknown_choice_is_explained_next_to_the_field(client, cohorts, coordinator):
    sign_in(client, coordinator)
    html = client.get("/retention/?cohort=99999&period=census-1900").get_data(as_text=True)
    assert "There is a problem" in html
    assert "Choose a cohort from the list" in html
    assert "Choose a period from the list" in html
    assert client.get("/retention/retention.csv?cohort=nonsense").status_code == 400
    assert client.get("/retention/nothing.csv").status_code == 404


def test_coordinator_home_shows_headlines_and_attention(client, cohorts, coordinator):
    sign_in(client, coordinator)
    html = client.get("/home/coordinator").get_data(as_text=True)
    assert "In post today" in html
    assert "Retained at 12 months" in html
    assert "People needing attention" in html
    assert "reviews overdue" in html
    assert "Alpha intake" in html  # the cohort table stays


def test_home_lists_the_most_urgent_and_links_to_the_full_list(client, cohorts, coordinator, monkeypatch):
    monkeypatch.setattr(home_coordinator, "HOME_ATTENTION_LIMIT", 2)
    sign_in(client, coordinator)
    html = client.get("/home/coordinator").get_data(as_text=True)
    # 3 in Alpha and 1 in Beta are in the programme (the other Beta person left), all with reviews overdue.
    assert html.count("reviews overdue") == 2
    assert "4 people need attention. The 2 with the most reasons are listed here" in html
    assert 'href="/retention/attention"' in html


def test_the_full_attention_list_comes_in_pages(client, cohorts, coordinator, monkeypatch):
    monkeypatch.setattr(retention_routes, "ATTENTION_PAGE_SIZE", 3)
    sign_in(client, coordinator)
    first = client.get("/retention/attention").get_data(as_text=True)
    assert "4 people need attention" in first
    assert "Showing 1 to 3." in first
    assert first.count("reviews overdue") == 3
    second = client.get("/retention/attention?page=2").get_data(as_text=True)
    assert "Showing 4 to 4." in second
    assert second.count("reviews overdue") == 1
    assert client.get("/retention/attention?page=3").status_code == 404
    assert client.get("/retention/attention?page=0").status_code == 404


def test_the_full_attention_list_is_for_coordinators_only(client, cohorts, mentor, nqsw):
    sign_in(client, mentor)
    assert client.get("/retention/attention").status_code == 403
    client.post_form("/sign-out", page="/home/mentor")
    sign_in(client, nqsw)
    assert client.get("/retention/attention").status_code == 404
