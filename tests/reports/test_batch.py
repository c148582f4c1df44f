"""Batches of records: the local process pool (web and command line) and RQ with a real worker."""

import fcntl
import os
import stat
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.cohorts.models import Cohort
from academy.extensions import db
from academy.reports import batch
from academy.reports.models import BatchJob, BatchStatus, IssuedDocument
from tests import factories
from tests.conftest import sign_in
from tests.reports.conftest import committed_app, pdf_pages
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # process pools, a CLI subprocess and an RQ worker render real PDFs


@pytest.fixture(scope="module")
def batch_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batches")
    with committed_app(tmp_path_factory, "batch", REPORTS_BATCH_FOLDER=str(folder), REPORTS_WORKERS=2) as app:
        with app.app_context():
            coordinator = factories.make_user(("coordinator",), name="Casey Coordinator")
            cohort = factories.make_cohort("Batch cohort")
            for name in ("Ayo Adebayo", "Bea Brown"):
                factories.make_participant(cohort, factories.make_user(("nqsw",), name=name), today=cohort.start_date)
            factories.make_cohort("Empty cohort")
            db.session.commit()
            app.config["TEST_IDS"] = {"coordinator": coordinator.id, "cohort": cohort.id}
            db.session.remove()
        yield app


def wait_for(app, job_id: int, timeout: float = 240) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(BatchJob, job_id)
            if job.is_finished:
                db.session.expunge(job)
                return job
            db.session.remove()
        time.sleep(0.5)
    raise AssertionError("the batch did not finish in time")


def zip_names_and_texts(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: " ".join(pdf_pages(archive.read(name))) for name in archive.namelist()}


def test_batch_from_the_web_runs_on_the_local_pool_and_offers_the_zip(batch_app):
    ids = batch_app.config["TEST_IDS"]
    with batch_app.app_context():
        client = batch_app.test_client()
        sign_in(client, db.session.get(User, ids["coordinator"]))
        response = client.post_form(f"/cohorts/{ids['cohort']}/records", {})
        assert response.status_code == 302
        progress_url = response.headers["Location"]
        job_id = int(progress_url.rsplit("/", 1)[1])
        db.session.remove()
    job = wait_for(batch_app, job_id)
    assert job.status == BatchStatus.DONE, job.error
    assert (job.done, job.total) == (2, 2)
    with batch_app.app_context():
        page = client.get(progress_url).get_data(as_text=True)
        assert "2 of 2 records built (100%)" in page
        assert 'http-equiv="refresh"' not in page
        download = client.get(f"/reports/batches/{job_id}/download")
        assert download.status_code == 200
        assert download.mimetype == "application/zip"
        assert download.get_data().startswith(b"PK")
        download.close()
        texts = zip_names_and_texts(job.file_path)
        assert len(texts) == 2
        # Readable by the app's own account only: the ZIP 0600, its folder 0700.
        assert stat.S_IMODE(os.stat(job.file_path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(Path(job.file_path).parent).st_mode) == 0o700
        assert any("Ayo Adebayo" in t for t in texts.values())
        assert any("Bea Brown" in t for t in texts.values())
        issued = db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument))
        assert issued >= 2
        db.session.remove()


def test_records_command_writes_the_zip_with_a_progress_bar(batch_app, tmp_path):
    out = tmp_path / "records.zip"
    with batch_app.app_context():
        result = batch_app.test_cli_runner().invoke(
            args=["academy", "records", "--cohort", "Batch cohort", "-o", str(out), "--workers", "1"]
        )
        db.session.remove()
    assert result.exit_code == 0, result.output + result.stderr
    assert "2/2" in result.stderr  # tqdm's bar
    assert "Wrote" in result.stdout
    assert len(zip_names_and_texts(str(out))) == 2


def test_records_command_explains_an_empty_or_unknown_cohort(batch_app, tmp_path):
    runner = batch_app.test_cli_runner()
    with batch_app.app_context():
        empty = runner.invoke(args=["academy", "records", "--cohort", "Empty cohort", "-o", str(tmp_path / "x.zip")])
        unknown = runner.invoke(args=["academy", "records", "--cohort", "Nope", "-o", str(tmp_path / "x.zip")])
        db.session.remove()
    assert empty.exit_code != 0
    assert "has no participants" in empty.output
    assert unknown.exit_code != 0
    assert "no cohort called Nope" in unknown.output


def test_a_second_local_batch_waits_queued_until_the_machines_pool_is_free(batch_app, monkeypatch):
    """Only one local pool renders on the machine: a batch started meanwhile stays queued (and says it is
    alive, so it is not taken for stopped), then runs."""
    ids = batch_app.config["TEST_IDS"]
    monkeypatch.setattr(batch, "WAITING_HEARTBEAT_SECONDS", 0.5)
    lock_path = batch.batch_dir(batch_app) / batch.LOCK_FILE
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as other_pool:  # another web process's batch holds the pool
        fcntl.flock(other_pool, fcntl.LOCK_EX)
        with batch_app.app_context():
            job = batch.request_batch(db.session.get(Cohort, ids["cohort"]), actor=None)
            db.session.commit()
            job_id, requested_at = job.id, job.progressed_at
            batch.launch_batch(job_id)
            db.session.remove()
        time.sleep(3)
        with batch_app.app_context():
            job = db.session.get(BatchJob, job_id)
            assert (job.status, job.done) == (BatchStatus.QUEUED, 0)
            assert job.progressed_at > requested_at
            db.session.remove()
        fcntl.flock(other_pool, fcntl.LOCK_UN)
    job = wait_for(batch_app, job_id)
    assert job.status == BatchStatus.DONE, job.error
    assert len(zip_names_and_texts(job.file_path)) == 2


def test_a_record_that_cannot_be_rendered_fails_the_batch_and_the_others_are_kept(batch_app):
    ids = batch_app.config["TEST_IDS"]
    with batch_app.app_context():
        job = batch.request_batch(db.session.get(Cohort, ids["cohort"]), actor=None)
        db.session.commit()
        plan = batch.plan_batch(job.id, batch_app)
        broken = batch.BatchPlan(plan.job_id, (*plan.participant_ids[:1], 10**9), plan.out_dir)
        batch.LocalRunner(batch_app, workers=1).run(broken)
        job = db.session.get(BatchJob, plan.job_id, populate_existing=True)
        assert job.status == BatchStatus.FAILED
        assert job.error == "1 of 2 records could not be rendered."
        assert job.done == 1
        assert len(list(Path(plan.out_dir).glob("*.pdf"))) == 1  # issued, so kept, but not zipped
        db.session.remove()


def _redis_available() -> bool:
    try:
        return batch.redis_connection("redis://127.0.0.1:6379/0").ping()
    except Exception:
        return False


def _database_url_for_subprocess(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {}).get("options")
    if options:  # PostgreSQL runs put each test run in its own schema
        from urllib.parse import quote

        url += ("&" if "?" in url else "?") + "options=" + quote(options)
    return url


def test_batch_runs_as_rq_jobs_on_a_real_worker(batch_app):
    if not _redis_available():
        pytest.fail("Redis must answer at 127.0.0.1:6379 for this test")
    queue = f"academy-test-{uuid.uuid4().hex[:12]}"
    redis_url = "redis://127.0.0.1:6379/0"
    ids = batch_app.config["TEST_IDS"]
    batch_app.config.update(REDIS_URL=redis_url, REPORTS_QUEUE=queue)
    try:
        with batch_app.app_context():
            job = batch.request_batch(db.session.get(Cohort, ids["cohort"]), actor=None)
            db.session.commit()
            job_id = job.id
            batch.launch_batch(job_id)  # REDIS_URL set: enqueued, nothing rendered here
            assert db.session.get(BatchJob, job_id).done == 0
            db.session.remove()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_subprocess(batch_app),
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
        job = wait_for(batch_app, job_id, timeout=30)
        assert job.status == BatchStatus.DONE, job.error
        assert job.done == 2
        assert len(zip_names_and_texts(job.file_path)) == 2
    finally:
        batch_app.config.update(REDIS_URL=None)
        connection = batch.redis_connection(redis_url)
        for key in connection.scan_iter(f"rq:*{queue}*"):
            connection.delete(key)


def test_with_redis_down_a_batch_is_built_here_and_the_page_says_so(batch_app):
    ids = batch_app.config["TEST_IDS"]
    batch_app.config.update(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with batch_app.app_context():
            client = batch_app.test_client()
            sign_in(client, db.session.get(User, ids["coordinator"]))
            response = client.post_form(f"/cohorts/{ids['cohort']}/records", {}, follow_redirects=True)
            assert response.status_code == 200  # not a 500: the batch was committed and is on its way
            assert "The job queue could not be reached, so this server is building the records itself." in (
                response.get_data(as_text=True)
            )
            job_id = db.session.scalar(sa.select(sa.func.max(BatchJob.id)))
            db.session.remove()
    finally:
        batch_app.config.update(REDIS_URL=None)
    job = wait_for(batch_app, job_id)
    assert job.status == BatchStatus.DONE, job.error
    assert (job.done, job.total) == (2, 2)
