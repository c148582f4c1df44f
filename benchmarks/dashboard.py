"""How long the retention dashboard takes to render with 5,000 participants on SQLite.

Run: .venv/bin/python benchmarks/dashboard.py   (prints timings; record them in docs/benchmarks.md)
With DATABASE_URL set to a PostgreSQL database it runs there instead (in a schema of its own, dropped after).
Data is synthetic and inserted in bulk through SQLAlchemy Core. Not a test: nothing is asserted.
"""

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from academy.accounts.models import User
from academy.assessment.models import Outcome
from academy.cohorts.services import create_cohort
from academy.evidence.models import EvidenceEntry
from academy.extensions import db
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SupervisionSession
from academy.participants.models import Milestone, Participant, StatusEvent
from academy.programmes.services import default_programme, ensure_default_programmes
from tests.conftest import FormClient, make_test_app, sign_in
from tests.factories import make_user

PARTICIPANTS = 5_000
COHORTS = 10
RUNS = 10


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


def timed(client: FormClient, url: str) -> tuple[float, list[float]]:
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
        app, cleanup = make_test_app(Path(tmp), "bench")
        app.test_client_class = FormClient
        with app.app_context():
            started = time.perf_counter()
            seed(random.Random(2026))
            coordinator = make_user({"coordinator"}, email="bench-coordinator@example.org")
            db.session.commit()
            print(f"Seeded {PARTICIPANTS} participants in {time.perf_counter() - started:.1f} s")
            client = app.test_client()
            sign_in(client, coordinator)
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
