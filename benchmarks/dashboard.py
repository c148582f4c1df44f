"""How long the retention dashboard takes to render with 5,000 participants on SQLite.

Run: .venv/bin/python benchmarks/dashboard.py   (prints timings; record them in docs/benchmarks.md)
With DATABASE_URL set to a PostgreSQL database it runs there instead (in a schema of its own, dropped after).
Data is synthetic: cohorts and the signed-in coordinator come from the services, the 5,000 people and their
histories are inserted in bulk through SQLAlchemy Core (per-row services would take far longer than the
renders measured). Nothing is imported from tests/. Not a test: nothing is asserted.
"""

import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from academy import create_app
from academy.accounts.models import Role, User
from academy.accounts.services import create_user
from academy.assessment.models import Outcome
from academy.cohorts.services import create_cohort
from academy.evidence.models import EvidenceEntry
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SupervisionSession
from academy.participants.models import Milestone, Participant, StatusEvent
from academy.programmes.services import default_programme, ensure_default_programmes
from config import TestConfig

PARTICIPANTS = 5_000
COHORTS = 10
RUNS = 10
PASSWORD = "benchmark-pass-2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def own_schema(url: str) -> tuple[dict, Callable[[], None]]:
    """A new PostgreSQL schema: engine options that put it on the search path, and its drop."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}, drop


def make_app(folder: Path) -> tuple[Flask, Callable[[], None]]:
    """The app on a fresh database (SQLite in `folder`, or a schema of its own on DATABASE_URL's PostgreSQL),
    its tables made from the models; and the function that removes it afterwards."""
    config = TestConfig()  # a cheap password hash; nothing else differs that matters here
    config.UPLOAD_FOLDER = str(folder / "uploads")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        config.SQLALCHEMY_ENGINE_OPTIONS, drop = own_schema(config.SQLALCHEMY_DATABASE_URI)
    else:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.sqlite'}"
        config.SQLALCHEMY_ENGINE_OPTIONS, drop = {}, lambda: None
    app = create_app(config)
    app.test_client_class = Client
    with app.app_context():
        db.create_all()

    def cleanup() -> None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()

    return app, cleanup


class Client(FlaskClient):
    """The benchmark holds an app context open, and requests reuse it: `g` (the signed-in user, the CSRF
    token) is emptied before each request, as a fresh request has it."""

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


def sign_in(client: FlaskClient, email: str) -> None:
    """Sign in through the real sign-in form, with the CSRF token of its page."""
    match = CSRF.search(client.get("/sign-in").get_data(as_text=True))
    token = match.group(1) or match.group(2)
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code


def seed(rng: random.Random) -> None:
    ensure_default_programmes()
    cohorts = [
        create_cohort(f"Intake {2016 + i}", date(2016 + i, 9, 5), default_programme(), [], actor=None)
        for i in range(COHORTS)
    ]
    db.session.flush()
    now = datetime.now(UTC)
    db.session.execute(
        sa.insert(User),
        [
            {"email": f"nqsw{i}@example.org", "name": f"NQSW {i}", "password_hash": "!", "is_active": True}
            for i in range(PARTICIPANTS)
        ],
    )
    user_ids = db.session.scalars(sa.select(User.id).where(User.email.like("nqsw%")).order_by(User.id)).all()
    recorder = user_ids[0]
    people, events, milestones, outcomes, entries = [], [], [], [], []
    logs = {"case": [], "sup": [], "pt": []}
    for i, user_id in enumerate(user_ids):
        cohort = cohorts[i % COHORTS]
        people.append({"id": i + 1, "user_id": user_id, "cohort_id": cohort.id, "start_date": cohort.start_date,
                       "fte": rng.choice([1, 1, 1, 0.8, 0.5]), "team": f"Team {i % 12}", "status": "active",
                       "programme_year": 1, "created_at": now})  # fmt: skip
    db.session.execute(sa.insert(Participant), people)
    today = date.today()  # noqa: DTZ011  (a benchmark, not app code)
    for p in people:
        start = p["start_date"]
        events.append({"participant_id": p["id"], "kind": "enrolled", "effective_on": start, "created_at": now})
        milestones.append({"participant_id": p["id"], "code": "final_review", "title": "Final review",
                           "kind": "final_review", "programme_year": 1, "months_due": 12,
                           "due_date": start + timedelta(days=rng.choice([365, 365, 365, 420]))})  # fmt: skip
        for months in (3, 6, 9):  # interim reviews, mostly done on time
            due = start + timedelta(days=30 * months)
            milestones.append({"participant_id": p["id"], "code": f"review_{months}m", "title": "Review",
                               "kind": "review", "programme_year": 1, "months_due": months, "due_date": due,
                               "completed_on": due if rng.random() < 0.9 else None})  # fmt: skip
        if rng.random() < 0.25:
            left = start + timedelta(days=rng.randint(30, 1500))
            if left < today:
                events.append({"participant_id": p["id"], "kind": rng.choice(["left", "withdrawn"]),
                               "effective_on": left, "destination": rng.choice(["agency", "other_local_authority",
                               "left_social_work", "unknown"]), "reason": rng.choice(["Pay", "Workload", "Moved", ""]),
                               "created_at": now})  # fmt: skip
        if start + timedelta(days=400) < today and rng.random() < 0.8:
            outcomes.append({"participant_id": p["id"], "recommendation": rng.choice(["pass"] * 9 + ["fail"]),
                             "recommended_by_id": recorder, "recommended_at": now, "status": "confirmed",
                             "panel_date": start + timedelta(days=rng.randint(370, 450)), "created_at": now})  # fmt: skip  # noqa: E501
        for month in range(12):
            day = start + timedelta(days=30 * month + 15)
            logs["case"].append({"participant_id": p["id"], "taken_on": day, "cases": rng.randint(4, 20),
                                 "recorded_by_id": recorder, "created_at": now})  # fmt: skip
            logs["sup"].append({"participant_id": p["id"], "held_on": day, "was_held": rng.random() < 0.9,
                                "recorded_by_id": recorder, "created_at": now, "kind": "reflective"})  # fmt: skip
            logs["pt"].append({"participant_id": p["id"], "taken_on": day, "hours": 12, "activity": "Study",
                               "recorded_by_id": recorder, "created_at": now})  # fmt: skip
            if day < today:  # evidence entries: accepted, the latest one often still waiting for review
                added = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                waiting = month == 11 and rng.random() < 0.5
                entries.append({"participant_id": p["id"], "type": "written_report", "title": f"Report {month}",
                                "activity_date": day, "narrative": "", "status": "submitted" if waiting else "accepted",
                                "anonymised_confirmed": True, "author_id": p["user_id"], "submitted_at": added,
                                "feedback": "", "created_at": added})  # fmt: skip
    db.session.execute(sa.insert(StatusEvent), events)
    db.session.execute(sa.insert(Milestone), milestones)
    db.session.execute(sa.insert(Outcome), outcomes)
    db.session.execute(sa.insert(CaseloadSnapshot), logs["case"])
    db.session.execute(sa.insert(SupervisionSession), logs["sup"])
    db.session.execute(sa.insert(EvidenceEntry), entries)
    db.session.execute(sa.insert(ProtectedTimeLog), logs["pt"])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics the planner guesses one row
        # per table and picks nested loops. SQLite is left as the app leaves it (no ANALYZE).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in db.metadata.sorted_tables:  # only this benchmark's schema (on the search path)
                conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def timed(client: FlaskClient, url: str) -> tuple[float, list[float]]:
    """The first render (templates compiled, charts drawn), then RUNS renders after it."""
    started = time.perf_counter()
    client.get(url)
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        runs.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return first, runs


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, cleanup = make_app(Path(tmp))
        with app.app_context():
            started = time.perf_counter()
            seed(random.Random(2026))
            create_user("bench-coordinator@example.org", "Bench Coordinator", {Role.COORDINATOR}, password=PASSWORD)
            db.session.commit()
            print(f"Seeded {PARTICIPANTS} participants in {time.perf_counter() - started:.1f} s")
            client = app.test_client()
            sign_in(client, "bench-coordinator@example.org")
            cohort_id = db.session.scalar(sa.select(sa.func.min(Participant.cohort_id)))
            for label, url in [
                ("Dashboard, whole academy, 12 months to today", "/retention/"),
                ("Dashboard, one cohort", f"/retention/?cohort={cohort_id}"),
                ("Dashboard, census year 2024", "/retention/?period=census-2024"),
                ("Coordinator home", "/home/coordinator"),
                ("All people needing attention, page 1", "/retention/attention"),
            ]:
                first, runs = timed(client, url)
                print(
                    f"{label}: median {statistics.median(runs):.0f} ms, worst {max(runs):.0f} ms ({RUNS} runs);"
                    f" first render {first:.0f} ms"
                )
        cleanup()


if __name__ == "__main__":
    main()
