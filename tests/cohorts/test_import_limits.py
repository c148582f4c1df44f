"""Cohort CSV imports are capped (lines, cell length) with the cap in the message; the preview page stays
small however long the file; an upload waiting for confirmation is private and expires."""

import os
import stat
import time
from datetime import date

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.cohorts.importer import check_file
from academy.cohorts.pending import PENDING_MAX_AGE, save_pending
from academy.participants.models import Participant
from tests import factories
from tests.factories import ENROLMENT_CSV_HEADER


def people(count: int, *, start: int = 0) -> str:
    return "".join(f"Ada{i},Example,ada{i}@example.org,,,,,,,,\n" for i in range(start, start + count))


@pytest.fixture
def cohort(db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    factories.frameworks()
    return factories.make_cohort("Sept 2026", date(2026, 9, 7))


def upload(client, cohort, text: str):
    return client.post_files(f"/cohorts/{cohort.id}/import", {"file": (text.encode(), "people.csv")})


def counts(db) -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(User.id))),
        db.session.scalar(sa.select(sa.func.count(Participant.id))),
    )


def test_a_file_over_the_line_cap_is_refused_with_the_cap_in_the_message(cohort, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 50)
    check = check_file((ENROLMENT_CSV_HEADER + people(51)).encode(), cohort)
    assert not check.ok
    assert [e.message for e in check.errors] == [
        "The file has more than 50 lines of data. Split it into files of 50 lines or fewer and upload each."
    ]
    assert check_file((ENROLMENT_CSV_HEADER + people(50)).encode(), cohort).ok


@pytest.mark.parametrize("length", [1001, 131_072, 200_000])
def test_a_cell_over_the_length_cap_is_refused_naming_its_line(cohort, length):
    text = ENROLMENT_CSV_HEADER + people(2) + "Cy," + "x" * length + ",cy@example.org,,,,,,,,\n"
    check = check_file(text.encode(), cohort)
    assert [(e.line, e.message) for e in check.errors] == [
        (4, "A value on line 4 is longer than 1,000 characters, the most one cell may hold.")
    ]


def test_the_upload_page_refuses_a_100000_line_file_quickly_and_writes_nothing(cohort, client, login, db, coordinator):
    login(coordinator)
    before = counts(db)
    response = upload(client, cohort, ENROLMENT_CSV_HEADER + people(100_000))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "more than 5,000 lines of data" in html
    assert len(html) < 50_000
    assert counts(db) == before


def test_the_preview_of_a_long_file_shows_the_first_people_and_the_count(cohort, client, login, db, coordinator):
    login(coordinator)
    response = upload(client, cohort, ENROLMENT_CSV_HEADER + people(1500))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The table shows the first 100 of the 1,500 people." in html
    assert "Enrol all 1500 people" in html
    assert "ada99@example.org" in html
    assert "ada100@example.org" not in html
    assert len(html) < 150_000


def test_a_file_with_thousands_of_problems_lists_the_first_hundred(cohort, client, login, coordinator):
    login(coordinator)
    bad = "".join(f"Ada{i},Example,not-an-email-{i},,,,,,,,\n" for i in range(400))
    response = upload(client, cohort, ENROLMENT_CSV_HEADER + bad)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Showing the first 100 of 400 problems." in html
    assert "not-an-email-99" in html
    assert "not-an-email-100" not in html


def test_a_waiting_upload_is_private_and_expired_ones_are_swept_by_the_next(cohort, app, coordinator):
    token = save_pending(b"given_name\n", cohort=cohort, user=coordinator, filename="a.csv")
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "pending-imports")
    path = os.path.join(folder, f"{token}.json")
    assert stat.S_IMODE(os.stat(app.config["UPLOAD_FOLDER"]).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    expired = time.time() - PENDING_MAX_AGE - 60
    os.utime(path, (expired, expired))
    newer = save_pending(b"given_name\n", cohort=cohort, user=coordinator, filename="b.csv")
    assert sorted(os.listdir(folder)) == [f"{newer}.json"]


def test_the_sweep_command_deletes_expired_uploads_only(cohort, app, runner, coordinator):
    old = save_pending(b"given_name\n", cohort=cohort, user=coordinator, filename="a.csv")
    fresh = save_pending(b"given_name\n", cohort=cohort, user=coordinator, filename="b.csv")
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "pending-imports")
    expired = time.time() - PENDING_MAX_AGE - 60
    os.utime(os.path.join(folder, f"{old}.json"), (expired, expired))
    result = runner.invoke(args=["academy", "sweep"])
    assert result.exit_code == 0, result.output
    assert "Deleted unconfirmed cohort uploads: 1." in result.output
    assert os.listdir(folder) == [f"{fresh}.json"]
