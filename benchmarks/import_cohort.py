"""Benchmark: import a 2,000-row cohort CSV through the CLI on a fresh SQLite file and print the time.

Run with `.venv/bin/python benchmarks/import_cohort.py`. Everyone in the file is synthetic (Faker names,
example.org addresses). The target from issue 4 is under 20 seconds.
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
ROWS = 2000
MENTORS = 40
COLUMNS = [
    "given_name",
    "family_name",
    "email",
    "start_date",
    "team",
    "fte",
    "swe_number",
    "employment_type",
    "assessor_email",
    "mentor_email",
    "line_manager_email",
]


def write_csv(path: Path, mentor_emails: list[str]) -> None:
    fake = Faker("en_GB")
    fake.seed_instance(4)
    start = date(2026, 9, 7)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(ROWS):
            writer.writerow(
                [
                    fake.first_name(),
                    fake.last_name(),
                    f"nqsw{i + 1}@example.org",
                    (start + timedelta(days=7 * (i % 4))).strftime("%d/%m/%Y" if i % 2 else "%Y-%m-%d"),
                    f"Team {i % 12 + 1}",
                    "0.6" if i % 10 == 0 else "1.0",
                    f"SW{100000 + i}",
                    "agency" if i % 15 == 0 else "permanent",
                    mentor_emails[i % MENTORS],
                    mentor_emails[(i + 1) % MENTORS],
                    mentor_emails[(i + 2) % MENTORS],
                ]
            )


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "academy", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
            "ACADEMY_PASSWORD": "benchmark-pass-2026",
        }
        env.pop("SERVER_NAME", None)
        setup = (
            "from academy import create_app\nfrom academy.extensions import db\n"
            "from academy.accounts.models import Role\nfrom academy.accounts.services import create_user\n"
            "from academy.frameworks.loader import load_shipped_frameworks\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    db.create_all()\n"
            "    load_shipped_frameworks()\n"
            f"    for i in range({MENTORS}):\n"
            "        create_user(f'mentor{i + 1}@example.org', f'Mentor {i + 1}', {Role.MENTOR})\n"
            "    db.session.commit()\n"
        )
        subprocess.run([sys.executable, "-c", setup], cwd=ROOT, env=env, check=True)
        path = folder / "cohort.csv"
        write_csv(path, [f"mentor{i + 1}@example.org" for i in range(MENTORS)])
        began = time.perf_counter()
        result = flask(env, "import-cohort", str(path), "--cohort", "Benchmark intake", "--start", "2026-09-07")
        elapsed = time.perf_counter() - began
        if result.returncode != 0:
            print(result.stdout, result.stderr, sep="\n")
            raise SystemExit(result.returncode)
        print(result.stdout.strip())
        print(f"Imported {ROWS} rows through the CLI on SQLite in {elapsed:.1f} s (target: under 20 s)")


if __name__ == "__main__":
    main()
