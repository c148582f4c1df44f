"""Run benchmarks/locustfile.py against the app under gunicorn, and check that no write was lost.

    .venv/bin/python benchmarks/locust_run.py --database sqlite
    .venv/bin/python benchmarks/locust_run.py --database postgresql   # LOCUST_PG_URL names the server

Each run: a fresh database (a SQLite file in a temporary folder, or a new PostgreSQL database that is
dropped afterwards), `flask db upgrade` and the demo academy, gunicorn on 127.0.0.1 (2 workers x 8
threads by default), Locust headless for 60 seconds with 50 users, then:

- errors: Locust's failures, and every 5xx or "database is locked" in gunicorn's log;
- p50 / p95 over every request, from Locust's statistics;
- lost writes: each write Locust counted (protected time, draft evidence, supervision, returned
  evidence) looked up in the database.

Prints a Markdown row for docs/performance-locust.md and exits 1 on any error or lost write.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(kind: str, folder: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'locust.sqlite'}", lambda: None
    server = os.environ.get("LOCUST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"academy_locust_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return str(sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)), drop


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before serving")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start serving in time")


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        result = {"supervision": conn.execute(sa.text("SELECT count(*) FROM supervision_session")).scalar_one()}
    engine.dispose()
    return result


def lost_writes(url: str, writes: dict, before: dict[str, int], run: str) -> dict[str, tuple[int, int]]:
    """For each kind of write: (how many Locust made, how many of them are in the database)."""
    engine = sa.create_engine(url)
    found = {}
    with engine.connect() as conn:
        activities = set(
            conn.execute(
                sa.text("SELECT activity FROM protected_time_log WHERE activity LIKE :tag"), {"tag": f"{run} %"}
            ).scalars()
        )
        titles = set(
            conn.execute(
                sa.text("SELECT title FROM evidence_entry WHERE title LIKE :tag"), {"tag": f"{run} %"}
            ).scalars()
        )
        supervision = conn.execute(sa.text("SELECT count(*) FROM supervision_session")).scalar_one()
        returned_ids = [int(i) for i in writes.get("returned", [])]
        returned = 0
        if returned_ids:
            returned = conn.execute(
                sa.select(sa.func.count())
                .select_from(sa.table("evidence_entry", sa.column("id"), sa.column("status")))
                .where(sa.column("id").in_(returned_ids), sa.column("status") == "returned")
            ).scalar_one()
    engine.dispose()
    made_time, made_evidence = writes.get("protected_time", []), writes.get("evidence", [])
    found["protected time"] = (len(made_time), len(set(made_time) & activities))
    found["draft evidence"] = (len(made_evidence), len(set(made_evidence) & titles))
    found["supervision"] = (len(writes.get("supervision", [])), supervision - before["supervision"])
    found["returned evidence"] = (len(returned_ids), returned)
    return found


def aggregated(stats_csv: Path) -> dict[str, str]:
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit("Locust wrote no aggregated statistics")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--keep-log", help="Copy gunicorn's log here.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="academy-locust-") as tmp:
        folder = Path(tmp)
        url, drop = fresh_database(args.database, folder)
        run = f"locust-{secrets.token_hex(3)}"
        env = {
            **os.environ,
            "ACADEMY_ENV": "development",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "MAIL_OUTBOX_FOLDER": str(folder / "outbox"),
            "LOCUST_RUN": run,
            "LOCUST_WRITES": str(folder / "writes.json"),
        }
        env.pop("REDIS_URL", None)
        env.pop("MAIL_SERVER", None)
        flask = [str(BIN / "python"), "-m", "flask", "--app", "wsgi"]
        try:
            print(f"Seeding the demo academy on {args.database}...", flush=True)
            subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
            subprocess.run([*flask, "academy", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
            port = free_port()
            host = f"http://127.0.0.1:{port}"
            env["ACADEMY_BASE_URL"] = host
            log = (folder / "gunicorn.log").open("w")
            server = subprocess.Popen(
                [
                    str(BIN / "python"),
                    "-m",
                    "gunicorn",
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--access-logfile",
                    "-",
                    # Longer than a user's pause between requests, so gunicorn never closes a kept-alive
                    # connection just as Locust reuses it (which Locust would count as a reset).
                    "--keep-alive",
                    "30",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_until_serving(f"{host}/sign-in", server)
                before = counts(url)
                print(f"Locust: {args.users} users for {args.seconds} s against {host}...", flush=True)
                subprocess.run(
                    [
                        str(BIN / "python"),
                        "-m",
                        "locust",
                        "-f",
                        str(ROOT / "benchmarks" / "locustfile.py"),
                        "--headless",
                        "--users",
                        str(args.users),
                        "--spawn-rate",
                        "10",
                        "--run-time",
                        f"{args.seconds}s",
                        "--host",
                        host,
                        "--csv",
                        str(folder / "stats"),
                        "--only-summary",
                        "--stop-timeout",
                        "30",
                    ],
                    cwd=ROOT,
                    env=env,
                    check=False,
                )
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=60)
                log.close()
            writes = json.loads((folder / "writes.json").read_text())
            found = lost_writes(url, writes, before, run)
            stats = aggregated(folder / "stats_stats.csv")
            server_log = (folder / "gunicorn.log").read_text(errors="replace")
            server_errors = sum(
                1 for line in server_log.splitlines() if '" 5' in line and "HTTP/1.1" in line
            )  # access-log lines whose status starts with 5
            locked = server_log.count("database is locked")
            if args.keep_log:
                Path(args.keep_log).write_text(server_log)
        finally:
            drop()

    requests_made, failures = int(stats["Request Count"]), int(stats["Failure Count"])
    lost = sum(made - stored for made, stored in found.values())
    print()
    print(
        f"Requests: {requests_made}, failures: {failures}, 5xx in the server log: {server_errors}, "
        f"'database is locked': {locked}"
    )
    print(
        f"Median {stats['50%']} ms, p95 {stats['95%']} ms, p99 {stats['99%']} ms, "
        f"{float(stats['Requests/s']):.1f} requests/s"
    )
    for kind, (made, stored) in found.items():
        print(f"  {kind}: {made} made, {stored} in the database")
    written = ", ".join(f"{made} {kind}" for kind, (made, _) in found.items())
    print()
    print(
        f"| {time.strftime('%Y-%m-%d')} | {args.database} | {args.users} users, {args.seconds} s, gunicorn "
        f"{args.workers}x{args.threads} | {requests_made} | {failures + server_errors} | {stats['50%']} ms | "
        f"{stats['95%']} ms | {written} | {lost} |"
    )
    return 0 if failures == 0 and server_errors == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
