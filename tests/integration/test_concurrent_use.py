"""Many people at once, through a real multi-threaded server: no 500s and no lost writes.

Twelve simultaneous sign-ins once gave six "database is locked" errors on SQLite. Here the app runs
under werkzeug's threaded server on a file database (or PostgreSQL, with DATABASE_URL), and thirty
people sign in and each add to their protected-time log at the same moment.
"""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
import sqlalchemy as sa
from werkzeug.serving import make_server

from academy.extensions import db
from academy.logs.models import ProtectedTimeLog
from tests import factories
from tests.conftest import CSRF_PATTERN, make_test_app

PEOPLE = 30


@dataclass
class Served:
    base: str
    app: object
    participant_ids: dict[str, int]  # email -> participant id


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    app, cleanup = make_test_app(tmp_path, "concurrency")
    with app.app_context():
        cohort = factories.make_cohort()
        people = {}
        for n in range(PEOPLE):
            user = factories.make_user(("nqsw",), email=f"busy{n}@example.org", name=f"Busy Person {n}")
            people[user.email] = factories.make_participant(cohort, user).id
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", app, people)
    finally:
        server.shutdown()
        thread.join()
        cleanup()


def _csrf(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def sign_in_and_log(base: str, email: str, participant_id: int, barrier: threading.Barrier) -> list[int]:
    """One person's visit: sign in, then add an hour of protected time. The status of every response."""
    statuses = []
    with requests.Session() as browser:
        page = browser.get(f"{base}/sign-in", timeout=60)
        statuses.append(page.status_code)
        barrier.wait()  # every sign-in lands at the same moment
        signed_in = browser.post(
            f"{base}/sign-in",
            data={"csrf_token": _csrf(page.text), "email": email, "password": factories.PASSWORD},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(signed_in.status_code)
        url = f"{base}/participants/{participant_id}/protected-time"
        form = browser.get(url, timeout=60)
        statuses.append(form.status_code)
        added = browser.post(
            url,
            data={
                "csrf_token": _csrf(form.text),
                "taken_on": ["2", "10", "2026"],
                "hours": "1.5",
                "activity": f"Reading for {email}",
            },
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(added.status_code)
    return statuses


def test_thirty_simultaneous_sign_ins_and_writes_give_no_errors_and_lose_nothing(served):
    barrier = threading.Barrier(PEOPLE)
    with ThreadPoolExecutor(PEOPLE) as pool:
        visits = [
            pool.submit(sign_in_and_log, served.base, email, pid, barrier)
            for email, pid in served.participant_ids.items()
        ]
        statuses = [visit.result() for visit in visits]

    # Each visit: the sign-in page, a sign-in that redirects home, the log, an entry that redirects back.
    assert statuses == [[200, 302, 200, 302]] * PEOPLE
    with served.app.app_context():
        activities = db.session.scalars(sa.select(ProtectedTimeLog.activity)).all()
        db.session.remove()
    assert sorted(activities) == sorted(f"Reading for {email}" for email in served.participant_ids)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(served):
    with served.app.app_context():
        if db.engine.dialect.name != "sqlite":
            assert db.engine.dialect.name == "postgresql"  # PostgreSQL needs neither
            return
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
        db.session.remove()
