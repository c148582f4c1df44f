"""Who may download what: every route of the reports area, for every kind of person."""

from datetime import date

import pytest

from academy.reports.models import BatchJob, BatchStatus
from tests import factories


@pytest.fixture
def people(db, coordinator, mentor, nqsw):
    cohort = factories.make_cohort("Access cohort", date(2026, 9, 7))
    participant = factories.make_participant(cohort, nqsw, team="Leaving care", swe_number="SW000111")
    factories.assign(participant, mentor, "assessor")
    former = factories.make_user(("mentor",), name="Fran Former")
    factories.assign(participant, former, "line_manager", starts_on=date(2026, 9, 7))
    factories.assign(
        participant, factories.make_user(("mentor",), name="Lou Later"), "line_manager", starts_on=date(2026, 10, 1)
    )
    other_nqsw = factories.make_participant(cohort).user
    stranger = factories.make_user(("mentor",), name="Sam Stranger")
    job = BatchJob(cohort_id=cohort.id, requested_by_id=coordinator.id, total=1, status=BatchStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    return {
        "coordinator": coordinator,
        "assessor": mentor,
        "nqsw": nqsw,
        "former": former,
        "other_nqsw": other_nqsw,
        "stranger": stranger,
        "participant": participant,
        "cohort": cohort,
        "job": job,
    }


def urls(people):
    p, c, job = people["participant"], people["cohort"], people["job"]
    return {
        "record": f"/participants/{p.id}/progression-record.pdf",
        "cohort_report": f"/cohorts/{c.id}/report.pdf",
        "batches": f"/cohorts/{c.id}/records",
        "batch": f"/reports/batches/{job.id}",
        "batch_download": f"/reports/batches/{job.id}/download",
        "verify": "/reports/verify",
        "index": "/reports",
    }


# (route, who, expected status) worked out from policies/reports.py: NQSW-only people get 404 for
# things they may not see, staff 403.
DENIED = [
    ("record", "other_nqsw", 404),
    ("record", "stranger", 403),
    ("record", "former", 403),  # assignment ended 30 September 2026
    ("cohort_report", "assessor", 403),
    ("cohort_report", "nqsw", 404),
    ("batches", "assessor", 403),
    ("batches", "nqsw", 404),
    ("batch", "assessor", 403),
    ("batch", "nqsw", 404),
    ("batch_download", "assessor", 403),
    ("batch_download", "nqsw", 404),
    ("verify", "nqsw", 404),
]


@pytest.mark.parametrize(("route", "who", "status"), DENIED)
def test_download_routes_refuse_people_without_access(client, login, people, route, who, status):
    login(people[who])
    assert client.get(urls(people)[route]).status_code == status


@pytest.mark.parametrize("route", ["record", "cohort_report", "batches", "batch", "batch_download", "verify", "index"])
def test_every_route_needs_sign_in(client, people, route):
    response = client.get(urls(people)[route])
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("who", ["nqsw", "assessor", "coordinator"])
def test_record_download_for_own_assigned_and_coordinator(client, login, people, who):
    login(people[who])
    asked = client.get(urls(people)["record"])  # issued on the progress page (rendered at once in tests)
    assert asked.status_code == 302
    assert "Progression record: ready" in client.get(asked.headers["Location"]).get_data(as_text=True)
    response = client.get(urls(people)["record"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert "progression-record-" in response.headers["Content-Disposition"]


def test_cohort_report_for_coordinator(client, login, people):
    from tests.reports.conftest import pdf_pages

    login(people["coordinator"])
    response = client.get(urls(people)["cohort_report"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(" ".join(pdf_pages(response.data)).split())
    assert "Cohort report: Access cohort" in text
    assert "Nico Newly" in text  # one row per participant
    assert "Participants meeting each evidence minimum" in text or "Direct observation" in text


@pytest.mark.parametrize("who", ["coordinator", "assessor"])
def test_verify_page_open_to_staff(client, login, people, who):
    login(people[who])
    assert client.get("/reports/verify").status_code == 200


def test_unfinished_batch_has_no_download(client, login, people):
    login(people["coordinator"])
    assert client.get(urls(people)["batch_download"]).status_code == 404
    page = client.get(urls(people)["batch"]).get_data(as_text=True)
    assert "0 of 1 records built" in page
    # The page never reloads itself (WCAG 2.2.1); its script asks the status URL instead.
    assert 'http-equiv="refresh"' not in page
    assert "data-batch-status=" in page
    status = client.get(urls(people)["batch"] + "/status.json").get_json()
    assert status == {"status": "queued", "done": 0, "total": 1, "percent": 0, "finished": False, "stalled": False}


def test_reports_index_lists_only_what_each_person_may_download(client, login, people):
    login(people["nqsw"])
    html = client.get("/reports").get_data(as_text=True)
    assert f"/participants/{people['participant'].id}/progression-record.pdf" in html
    assert "Cohort report" not in html
    assert "/reports/verify" not in html
    login(people["stranger"])
    html = client.get("/reports").get_data(as_text=True)
    assert "progression-record.pdf" not in html
    assert "/reports/verify" in html


def test_downloading_a_record_is_issued_and_audited(client, login, people, db):
    import sqlalchemy as sa

    from academy.audit.models import AuditEvent
    from academy.reports.models import IssuedDocument

    login(people["nqsw"])
    client.get(urls(people)["record"])
    document = db.session.scalar(sa.select(IssuedDocument).order_by(IssuedDocument.id.desc()))
    assert document.participant_id == people["participant"].id
    assert document.generated_by_id == people["nqsw"].id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "document.issued"))
    assert event.subject_id == document.id
