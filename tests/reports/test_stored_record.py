"""Progression records are issued once and served from storage until the participant's data changes."""

import stat
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.logs.services import record_protected_time
from academy.participants.models import Participant
from academy.reports.models import BatchStatus, IssuedDocument, StoredRecord
from tests import factories
from tests.conftest import sign_in
from tests.reports.conftest import committed_app, pdf_pages
from tests.smtp import free_port
from tests.vnu import html_errors


@pytest.fixture
def participant(db, nqsw):
    cohort = factories.make_cohort("Stored cohort", date(2026, 9, 7))
    return factories.make_participant(cohort, nqsw)


def issued_count(participant) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(IssuedDocument).where(IssuedDocument.participant_id == participant.id)
    )


def download(client, participant):
    """Ask for the record and, once the progress page says it is ready, download it."""
    url = f"/participants/{participant.id}/progression-record.pdf"
    response = client.get(url)
    if response.status_code == 302:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Progression record: ready" in page
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_two_downloads_render_once_and_issue_one_document(client, login, participant, nqsw):
    login(nqsw)
    first = download(client, participant)
    second = client.get(f"/participants/{participant.id}/progression-record.pdf")  # served from storage at once
    assert second.status_code == 200
    assert first.data == second.data
    assert first.data.startswith(b"%PDF-")
    assert issued_count(participant) == 1
    document = db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.participant_id == participant.id))
    assert document.reference in second.headers["Content-Disposition"]


def test_the_download_is_never_cached_and_the_file_is_private(client, login, participant, nqsw):
    login(nqsw)
    response = download(client, participant)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    record = db.session.scalar(sa.select(StoredRecord).where(StoredRecord.participant_id == participant.id))
    mode = Path(record.file_path).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert stat.S_IMODE(Path(record.file_path).parent.stat().st_mode) == 0o700


def test_changed_data_issues_a_new_record_on_the_next_request(client, login, participant, nqsw):
    login(nqsw)
    first = download(client, participant)
    record = db.session.scalar(sa.select(StoredRecord).where(StoredRecord.participant_id == participant.id))
    old_file = record.file_path
    record_protected_time(participant, by=nqsw, taken_on=date(2026, 10, 2), hours=Decimal("2"), activity="Reading")
    db.session.commit()

    asked = client.get(f"/participants/{participant.id}/progression-record.pdf")
    assert asked.status_code == 302  # not the old copy: it no longer shows their data
    second = download(client, participant)
    assert second.data != first.data
    assert issued_count(participant) == 2
    assert not Path(old_file).exists()  # the superseded copy is removed
    assert any("Reading" in page for page in pdf_pages(second.data))


def test_someone_else_downloading_gets_the_same_issued_copy(client, login, participant, nqsw, coordinator):
    login(nqsw)
    first = download(client, participant)
    login(coordinator)
    assert client.get(f"/participants/{participant.id}/progression-record.pdf").data == first.data
    assert issued_count(participant) == 1


def test_the_progress_page_before_anything_was_asked_offers_to_issue_it(client, login, participant, nqsw):
    login(nqsw)
    page = client.get(f"/participants/{participant.id}/progression-record").get_data(as_text=True)
    assert "Issue the progression record" in page
    status = client.get(f"/participants/{participant.id}/progression-record/status.json").get_json()
    assert status["status"] == "none"


def test_the_progress_page_is_valid_html_in_every_state(client, login, participant, nqsw, tmp_path):
    login(nqsw)
    page_url = f"/participants/{participant.id}/progression-record"
    pages = {"not asked for": client.get(page_url).get_data(as_text=True)}
    record = StoredRecord(participant_id=participant.id, status=BatchStatus.QUEUED)
    db.session.add(record)
    db.session.commit()
    pages["waiting"] = client.get(page_url).get_data(as_text=True)
    assert "Progression record: waiting to start" in pages["waiting"]
    record.status, record.error = BatchStatus.FAILED, "The record could not be rendered: no fonts."
    db.session.commit()
    pages["failed"] = client.get(page_url).get_data(as_text=True)
    assert "no fonts" in pages["failed"]
    assert "Try again" in pages["failed"]
    db.session.delete(record)
    db.session.commit()
    download(client, participant)
    pages["ready"] = client.get(page_url).get_data(as_text=True)
    assert html_errors(pages, tmp_path) == []


# --- in the background, on a worker process of the web process ---------------------------------------


@pytest.fixture(scope="module")
def background_app(tmp_path_factory):
    with committed_app(tmp_path_factory, "stored", REPORTS_RECORD_RUNNER="background") as app:
        with app.app_context():
            nqsw = factories.make_user(("nqsw",), name="Bo Background")
            participant = factories.make_participant(factories.make_cohort("Background cohort"), nqsw)
            db.session.commit()
            app.config["TEST_IDS"] = {"nqsw": nqsw.id, "participant": participant.id}
            db.session.remove()
        yield app


def get(client, url: str):
    """A request through the test's app context, whose transaction then ends (as a real request's does):
    on SQLite an open transaction holds the write lock the worker needs."""
    response = client.get(url)
    db.session.remove()
    return response


def wait_until_finished(client, status_url: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = get(client, status_url).get_json()
        if status["finished"]:
            return status
        time.sleep(0.3)
    raise AssertionError("the record was not rendered in time")


@pytest.mark.slow
def test_a_record_renders_in_the_background_with_a_progress_page(background_app):
    ids = background_app.config["TEST_IDS"]
    url = f"/participants/{ids['participant']}/progression-record.pdf"
    with background_app.app_context():
        client = background_app.test_client()
        sign_in(client, db.session.get(User, ids["nqsw"]))
        db.session.remove()
        asked = get(client, url)
        assert asked.status_code == 302
        page = get(client, asked.headers["Location"]).get_data(as_text=True)
        # Unless the worker was quicker than this page, it says the record is on its way and polls for it.
        if "Progression record: ready" not in page:
            assert "data-batch-status=" in page
            assert 'http-equiv="refresh"' not in page
        status = wait_until_finished(client, f"/participants/{ids['participant']}/progression-record/status.json")
        assert status["status"] == BatchStatus.DONE.value
        first, second = get(client, url), get(client, url)
        assert first.status_code == second.status_code == 200
        assert first.data == second.data
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 1
        db.session.remove()


@pytest.mark.slow
def test_with_redis_down_the_record_is_rendered_here_instead(background_app):
    ids = background_app.config["TEST_IDS"]
    with background_app.app_context():
        participant = db.session.get(Participant, ids["participant"])
        record_protected_time(
            participant, by=participant.user, taken_on=date(2026, 10, 5), hours=Decimal("1"), activity="Redis down"
        )
        db.session.commit()
        db.session.remove()
    background_app.config.update(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with background_app.app_context():
            client = background_app.test_client()
            sign_in(client, db.session.get(User, ids["nqsw"]))
            db.session.remove()
            asked = get(client, f"/participants/{ids['participant']}/progression-record.pdf")
            assert asked.status_code == 302  # not a 500
            status = wait_until_finished(client, f"/participants/{ids['participant']}/progression-record/status.json")
            assert status["status"] == BatchStatus.DONE.value
            download = get(client, f"/participants/{ids['participant']}/progression-record.pdf")
            assert any("Redis down" in page for page in pdf_pages(download.data))
    finally:
        background_app.config.update(REDIS_URL=None)
