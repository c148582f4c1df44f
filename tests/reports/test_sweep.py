"""A finished batch's ZIP is deleted after REPORTS_BATCH_KEEP: by `flask academy sweep` (cron) and whenever
a new batch is requested; the batch's page then says so instead of offering a download that fails."""

import os
from datetime import timedelta

import pytest
from flask import current_app

from academy.core.db import now_utc
from academy.core.files import write_private
from academy.extensions import db
from academy.reports.batch import batch_dir, request_batch
from academy.reports.models import BatchJob, BatchStatus
from tests import factories

EMPTY_ZIP = b"PK\x05\x06" + bytes(18)


@pytest.fixture
def cohort(db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_BATCH_FOLDER", str(tmp_path / "batches"))
    participant = factories.make_participant()
    return participant.cohort


def finished_batch(cohort, coordinator, *, days_ago: float) -> BatchJob:
    """A batch that finished `days_ago`, its ZIP on disk: what finish_batch leaves (rendering and zipping
    are tested in test_batch.py, with real worker processes)."""
    job = request_batch(cohort, actor=coordinator)
    db.session.flush()
    path = write_private(batch_dir(current_app) / f"progression-records-{job.id}.zip", EMPTY_ZIP)
    job.status, job.done, job.file_path = BatchStatus.DONE, job.total, str(path)
    job.finished_at = now_utc() - timedelta(days=days_ago)
    db.session.flush()
    return job


def test_the_sweep_command_deletes_zips_past_their_keep_and_the_page_says_so(
    cohort, coordinator, runner, client, login
):
    recent = finished_batch(cohort, coordinator, days_ago=6)
    old = finished_batch(cohort, coordinator, days_ago=8)  # (made last: requesting a batch sweeps too)
    old_path, recent_path = old.file_path, recent.file_path
    result = runner.invoke(args=["academy", "sweep"])
    assert result.exit_code == 0, result.output
    assert "Deleted batch ZIPs: 1." in result.output
    db.session.expire_all()
    assert old.file_path is None
    assert not _exists(old_path)
    assert recent.file_path == recent_path
    assert _exists(recent_path)
    login(coordinator)
    page = client.get(f"/reports/batches/{old.id}").get_data(as_text=True)
    assert "The ZIP has been deleted" in page
    assert client.get(f"/reports/batches/{old.id}/download").status_code == 404
    assert "Download the ZIP" in client.get(f"/reports/batches/{recent.id}").get_data(as_text=True)


def test_the_keep_is_configurable(cohort, coordinator, runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_BATCH_KEEP", timedelta(days=1))
    job = finished_batch(cohort, coordinator, days_ago=2)
    assert "Deleted batch ZIPs: 1." in runner.invoke(args=["academy", "sweep"]).output
    assert job.file_path is None


def test_requesting_a_batch_sweeps_expired_zips(cohort, coordinator):
    old = finished_batch(cohort, coordinator, days_ago=30)
    path = old.file_path
    request_batch(cohort, actor=coordinator)
    assert old.file_path is None
    assert not _exists(path)


def _exists(path: str | None) -> bool:
    return path is not None and os.path.exists(path)
