"""A batch whose worker has gone (a restarted server, a killed process) says so instead of spinning forever."""

from datetime import date, timedelta

import pytest

from academy.core.db import now_utc
from academy.reports.models import STALLED_AFTER, BatchStatus
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def cohort(db):
    cohort = factories.make_cohort("Stopped batch cohort", date(2026, 9, 7))
    for _ in range(3):
        factories.make_participant(cohort)
    return cohort


def test_a_batch_silent_for_longer_than_any_record_takes_has_stopped(db, cohort, coordinator):
    now = now_utc()
    job = factories.make_running_batch(cohort, coordinator, silent_for=timedelta(0))
    assert not job.is_stalled(now + STALLED_AFTER)
    assert job.is_stalled(now + STALLED_AFTER + timedelta(seconds=1))
    job.progressed_at = None  # a batch from before progress was recorded is judged by its request time
    assert job.is_stalled(job.created_at + STALLED_AFTER + timedelta(seconds=1))
    job.status = BatchStatus.DONE
    assert not job.is_stalled(now + timedelta(days=30))


def test_a_stopped_batch_says_so_and_offers_a_new_one(client, db, cohort, coordinator):
    job = factories.make_running_batch(cohort, coordinator, silent_for=timedelta(hours=2), done=2)
    sign_in(client, coordinator)
    page = client.get(f"/reports/batches/{job.id}").get_data(as_text=True)
    assert "Progression records ZIP: stopped" in page
    assert "this batch has stopped" in page
    assert "The 2 records it built before then were issued but not zipped." in page
    assert "Start a new batch" in page
    assert "data-batch-status" not in page  # the page stops asking for progress
    status = client.get(f"/reports/batches/{job.id}/status.json").get_json()
    assert status["stalled"] is True
    assert status["finished"] is False
    listing = client.get(f"/cohorts/{cohort.id}/records").get_data(as_text=True)
    assert "Stopped" in listing
    assert "In progress" not in listing


def test_a_batch_that_built_a_record_recently_is_still_in_progress(client, db, cohort, coordinator):
    job = factories.make_running_batch(cohort, coordinator, silent_for=timedelta(minutes=5), done=1)
    sign_in(client, coordinator)
    page = client.get(f"/reports/batches/{job.id}").get_data(as_text=True)
    assert "Progression records ZIP: in progress" in page
    assert "data-batch-status" in page
    assert client.get(f"/reports/batches/{job.id}/status.json").get_json()["stalled"] is False


def test_a_failed_batch_shows_its_error_however_long_ago_it_stopped(client, db, cohort, coordinator):
    job = factories.make_running_batch(cohort, coordinator, silent_for=timedelta(hours=2), done=1)
    job.status, job.error = BatchStatus.FAILED, "1 of 3 records could not be rendered."
    db.session.flush()
    sign_in(client, coordinator)
    page = client.get(f"/reports/batches/{job.id}").get_data(as_text=True)
    assert "Progression records ZIP: failed" in page
    assert "1 of 3 records could not be rendered." in page
    assert "this batch has stopped" not in page
    assert "Start a new batch" in page
