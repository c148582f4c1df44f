"""Large cohort imports are written by a background job: its page, all rows or none, confirmed once."""

import io
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.audit.models import AuditEvent
from academy.cohorts.import_jobs import launch_import
from academy.cohorts.models import IMPORT_STALLED_AFTER, Cohort, ImportJob, ImportStatus
from academy.core.db import now_utc
from academy.core.jobs import QUEUE_DOWN, redis_connection
from academy.extensions import db as _db
from academy.participants.models import Participant
from tests import factories
from tests.conftest import FormClient, make_test_app, sign_in
from tests.factories import ENROLMENT_CSV_HEADER
from tests.smtp import closed_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cohort(db):
    return factories.make_cohort("Large intake", date(2026, 9, 7))


@pytest.fixture
def low_threshold(app, monkeypatch):
    """More than three people are written in the background (the setting is 200 outside tests)."""
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)


def people(n: int) -> bytes:
    lines = "".join(f"Given{i},Person,enrolee{i}@example.org,,,,,,,,\n" for i in range(n))
    return (ENROLMENT_CSV_HEADER + lines).encode()


def preview(client, cohort: Cohort, data: bytes) -> str:
    """Upload the file; the confirmation's address on the preview page."""
    token = client.csrf_token(f"/cohorts/{cohort.id}/import")
    page = client.post(
        f"/cohorts/{cohort.id}/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), "people.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Check before enrolling" in page, page
    return re.search(r'action="(/cohorts/\d+/import/[^"]+)"', page).group(1)


def test_the_preview_of_a_large_file_says_it_is_enrolled_in_the_background(
    client, login, coordinator, cohort, low_threshold
):
    login(coordinator)
    token = client.csrf_token(f"/cohorts/{cohort.id}/import")
    pages = [
        client.post(
            f"/cohorts/{cohort.id}/import",
            data={"csrf_token": token, "file": (io.BytesIO(people(n)), "people.csv")},
            content_type="multipart/form-data",
        ).get_data(as_text=True)
        for n in (3, 4)
    ]
    assert 'id="in-background"' not in pages[0]
    assert "enrolled in the background" in pages[1]


def confirm(client, cohort: Cohort, action: str):
    return client.post_form(action, page=f"/cohorts/{cohort.id}/import", data={})


def enrolled(cohort: Cohort) -> int:
    return _db.session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.cohort_id == cohort.id))


def test_a_large_confirm_runs_as_a_job_whose_page_says_how_many(client, login, coordinator, cohort, db, low_threshold):
    login(coordinator)
    confirmed = confirm(client, cohort, preview(client, cohort, people(5)))
    assert confirmed.status_code == 302
    assert re.fullmatch(r"/cohorts/imports/\d+", confirmed.location)
    job = db.session.scalar(sa.select(ImportJob))
    assert (job.status, job.done, job.total, job.error) == (ImportStatus.DONE, 5, 5, "")
    assert enrolled(cohort) == 5
    page = client.get(confirmed.location).get_data(as_text=True)
    assert "5 people enrolled" in page
    assert f'href="/cohorts/{cohort.id}"' in page
    assert "5 invitations were not emailed: they are in the" in page  # no mail server in tests
    status = client.get(f"{confirmed.location}/status.json").get_json()
    assert status | {"percent": 100} == {
        "status": "done",
        "done": 5,
        "total": 5,
        "percent": 100,
        "finished": True,
        "stalled": False,
    }
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"cohort.import_queued", "cohort.imported"} <= actions


def test_a_job_whose_rows_became_invalid_writes_nothing_and_says_why(
    client, login, coordinator, cohort, db, low_threshold
):
    login(coordinator)
    action = preview(client, cohort, people(5))
    # Between the preview and the confirmation someone enrols the file's third person by hand.
    factories.make_participant(cohort, factories.make_user(("nqsw",), email="enrolee2@example.org"))
    db.session.commit()
    users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    confirmed = confirm(client, cohort, action)
    assert confirmed.status_code == 302
    job = db.session.scalar(sa.select(ImportJob))
    assert job.status == ImportStatus.FAILED
    assert "line 4: enrolee2@example.org is already enrolled in Large intake" in job.error
    assert job.error.endswith("Nothing was imported.")
    assert enrolled(cohort) == 1  # only the person enrolled by hand
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    page = client.get(confirmed.location).get_data(as_text=True)
    assert "enrolee2@example.org is already enrolled in Large intake" in page
    assert "Nothing was imported." in page
    assert f'href="/cohorts/{cohort.id}/import"' in page  # upload it again
    assert client.get(f"{confirmed.location}/status.json").get_json()["status"] == "failed"


def test_confirming_twice_enrols_once_and_shows_the_first_job(client, login, coordinator, cohort, db, low_threshold):
    login(coordinator)
    action = preview(client, cohort, people(4))
    first = confirm(client, cohort, action)
    second = confirm(client, cohort, action)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert db.session.scalar(sa.select(sa.func.count(ImportJob.id))) == 1
    assert enrolled(cohort) == 4
    imported = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "cohort.imported")
    assert db.session.scalar(imported) == 1


def test_a_job_delivered_twice_runs_once(client, login, coordinator, cohort, db, low_threshold):
    """A queue that delivers the same job again (an RQ retry) finds it taken and enrols nobody twice."""
    login(coordinator)
    confirm(client, cohort, preview(client, cohort, people(4)))
    job = db.session.scalar(sa.select(ImportJob))
    launch_import(job.id)  # the runner again (inline in tests): the job is no longer queued
    assert enrolled(cohort) == 4
    assert db.session.get(ImportJob, job.id).status == ImportStatus.DONE


def test_a_job_that_waited_past_stopping_is_never_run_late(client, login, coordinator, cohort, db, low_threshold):
    """Its page says it stopped with nobody enrolled, so a worker that starts much later leaves it alone."""
    login(coordinator)
    token = preview(client, cohort, people(4)).rsplit("/", 1)[1]  # uploaded and waiting, as when confirmed
    waited = ImportJob(
        cohort_id=cohort.id,
        requested_by_id=coordinator.id,
        pending_id=token,
        total=4,
        progressed_at=now_utc() - IMPORT_STALLED_AFTER - timedelta(minutes=1),
    )
    db.session.add(waited)
    db.session.commit()
    page = client.get(f"/cohorts/imports/{waited.id}").get_data(as_text=True)
    assert "so it has stopped" in page
    launch_import(waited.id)
    assert db.session.get(ImportJob, waited.id).status == ImportStatus.QUEUED
    assert enrolled(cohort) == 0


def test_below_the_threshold_it_is_written_in_the_request(client, login, coordinator, cohort, db, low_threshold):
    login(coordinator)
    confirmed = confirm(client, cohort, preview(client, cohort, people(3)))
    assert confirmed.location == f"/cohorts/{cohort.id}"
    assert "Enrolled 3 people." in client.get(confirmed.location).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ImportJob.id))) == 0
    assert enrolled(cohort) == 3


def test_only_coordinators_follow_an_import(client, login, coordinator, nqsw, cohort, db, low_threshold):
    login(coordinator)
    confirmed = confirm(client, cohort, preview(client, cohort, people(4)))
    login(nqsw)
    # Refused, as a 404 for an NQSW: the app never tells them what exists (core/web.py).
    assert client.get(confirmed.location).status_code == 404
    assert client.get(f"{confirmed.location}/status.json").status_code == 404


# --- through a real worker process, with the job queue down ---------------------------------------------


def wait_until_finished(client, status_url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(status_url).get_json()
        _db.session.remove()  # hold no transaction (on SQLite, no lock) while the worker writes
        if status["finished"]:
            return status
        time.sleep(0.3)
    raise AssertionError("the import did not finish in time")


@pytest.fixture
def worker_app(tmp_path_factory):
    """An app on its own database, with committed data a worker process can read."""
    app, cleanup = make_test_app(
        tmp_path_factory.mktemp("imports"), "imports", IMPORT_JOB_RUNNER="background", IMPORT_BACKGROUND_ROWS=3
    )
    app.test_client_class = FormClient
    with app.app_context():
        coordinator = factories.make_user(("coordinator",), name="Cy Coordinator")
        cohort = factories.make_cohort("Worker intake", date(2026, 9, 7))
        _db.session.commit()
        app.config["TEST_IDS"] = {"coordinator": coordinator.id, "cohort": cohort.id}
        _db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            _db.session.remove()
        cleanup()


def signed_in_client(app):
    client = app.test_client()
    sign_in(client, _db.session.get(User, app.config["TEST_IDS"]["coordinator"]))
    _db.session.remove()
    return client


def confirm_six(app):
    """Upload and confirm six people as the coordinator; their client and the import's page."""
    client = signed_in_client(app)
    cohort = SimpleNamespace(id=app.config["TEST_IDS"]["cohort"])
    action = preview(client, cohort, people(6))
    _db.session.remove()
    confirmed = confirm(client, cohort, action)
    _db.session.remove()
    assert confirmed.status_code == 302  # not a 500
    return client, confirmed.location


@pytest.mark.slow
def test_with_redis_down_a_worker_process_of_this_server_writes_the_import(worker_app):
    worker_app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"  # nothing listens there
    with worker_app.app_context():
        client, page_url = confirm_six(worker_app)
        page = client.get(page_url).get_data(as_text=True)
        _db.session.remove()
        assert QUEUE_DOWN in page
        status = wait_until_finished(client, f"{page_url}/status.json")
        assert (status["status"], status["done"]) == ("done", 6)
        assert "6 people enrolled" in client.get(page_url).get_data(as_text=True)
        assert enrolled(SimpleNamespace(id=worker_app.config["TEST_IDS"]["cohort"])) == 6
        _db.session.remove()


def _database_url_for_subprocess(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {}).get("options")
    if options:  # PostgreSQL runs put each test run in its own schema
        url += ("&" if "?" in url else "?") + "options=" + quote(options)
    return url


@pytest.mark.slow
def test_with_redis_the_import_is_an_rq_job_taken_by_the_worker_command(worker_app):
    redis_url = "redis://127.0.0.1:6379/0"
    if not redis_connection(redis_url).ping():
        pytest.fail("Redis must answer at 127.0.0.1:6379 for this test")
    queue = f"academy-test-{uuid.uuid4().hex[:12]}"
    worker_app.config.update(REDIS_URL=redis_url, REPORTS_QUEUE=queue)
    try:
        with worker_app.app_context():
            _, page_url = confirm_six(worker_app)
            job = _db.session.scalar(sa.select(ImportJob))
            assert job.status == ImportStatus.QUEUED  # enqueued: nothing written here
            _db.session.remove()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_subprocess(worker_app),
            "UPLOAD_FOLDER": worker_app.config["UPLOAD_FOLDER"],  # where the waiting upload is kept
            "MAIL_OUTBOX_FOLDER": worker_app.config["MAIL_OUTBOX_FOLDER"],  # the invitations
            "REDIS_URL": redis_url,
            "ACADEMY_ENV": "development",
        }
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "academy", "worker", "--queue", queue, "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        with worker_app.app_context():
            job = _db.session.scalar(sa.select(ImportJob))
            assert (job.status, job.done, job.error) == (ImportStatus.DONE, 6, "")
            assert enrolled(SimpleNamespace(id=worker_app.config["TEST_IDS"]["cohort"])) == 6
            assert page_url == f"/cohorts/imports/{job.id}"
            _db.session.remove()
    finally:
        connection = redis_connection(redis_url)
        for key in connection.scan_iter(f"rq:*{queue}*"):
            connection.delete(key)
