"""Benchmark: progression record rendering and batches of records.

Run with `.venv/bin/python benchmarks/records.py` (add `--participants 10` for a quicker batch run).
Prints:
- a typical year-3 participant's record, rendered the way the app does it (queries, template, chart,
  WeasyPrint, SHA-256), beside WeasyPrint rendering the same HTML alone (the floor); target 1.25x;
- a 40-participant cohort's ZIP built on one worker process and on every core; target 0.6x on two cores.
All data is synthetic (academy/reports/sample.py) and lives in a temporary SQLite file.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdf
from flask import Flask, render_template

from academy import create_app
from academy.extensions import db
from academy.reports import batch
from academy.reports.models import BatchJob
from academy.reports.pdf import STATIC_ORIGIN, html_to_pdf
from academy.reports.records import load_progression_record
from academy.reports.sample import make_person, make_staff, make_year3_cohort, make_year3_participant
from academy.reports.services import render_progression_record
from config import TestConfig


def timed(fn, repeats: int) -> float:
    """The median wall time of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_app(folder: Path) -> Flask:
    """The app on a fresh SQLite database in `folder`, its tables made from the models."""
    config = TestConfig()  # a cheap password hash; nothing else differs that matters here
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.sqlite'}"
    config.SQLALCHEMY_ENGINE_OPTIONS = {}
    config.UPLOAD_FOLDER = str(folder / "uploads")
    config.REPORTS_BATCH_FOLDER = str(folder / "batches")
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        with app.app_context():
            make_person("coordinator", "Casey Coordinator")
            staff = make_staff()
            cohort = make_year3_cohort("Benchmark intake")
            people = [make_year3_participant(cohort, staff) for _ in range(args.participants)]
            db.session.commit()
            pid = people[0].id

            render_progression_record(pid, "benchmark")  # warm-up: fonts, templates, imports
            db.session.remove()
            html = render_template(
                "pdf/record.html",
                record=load_progression_record(pid),
                reference="PR-2026-0000-0000",
                generated_at=people[0].created_at,
                generated_by="benchmark",
                static_url=STATIC_ORIGIN,
            )
            db.session.remove()
            pages = len(pypdf.PdfReader(io.BytesIO(html_to_pdf(html))).pages)
            full, floor = [], []
            for _ in range(args.repeats):  # interleaved, so a busy machine slows both alike
                full.append(timed(lambda: (render_progression_record(pid, "benchmark"), db.session.remove()), 1))
                floor.append(timed(lambda: html_to_pdf(html), 1))
            print(f"Typical year-3 record ({pages} pages), {args.repeats} interleaved runs (best / median):")
            print(f"  app render path   {min(full):6.2f} s / {statistics.median(full):6.2f} s")
            print(f"  WeasyPrint floor  {min(floor):6.2f} s / {statistics.median(floor):6.2f} s")
            best = min(full) / min(floor)
            typical = statistics.median(full) / statistics.median(floor)
            print(f"  ratio             {best:6.2f} x / {typical:6.2f} x   (target <= 1.25)")

            results = {}
            for workers in sorted({1, os.cpu_count() or 1}):
                job = batch.request_batch(cohort, actor=None)
                db.session.commit()
                start = time.perf_counter()
                runner = batch.LocalRunner(app, workers=workers)
                runner.run(batch.plan_batch(job.id, app))  # what the web's background thread does
                results[workers] = time.perf_counter() - start
                job = db.session.get(BatchJob, job.id, populate_existing=True)
                assert job.status.value == "done", job.error
            print(f"Batch of {args.participants} year-3 records as one ZIP (local process pool):")
            for workers, seconds in results.items():
                print(f"  {workers} worker{'s' if workers > 1 else ''}  {seconds:7.1f} s")
            if len(results) > 1:
                many = max(results)
                print(f"  ratio {many} workers / 1 worker  {results[many] / results[1]:.2f} x   (target <= 0.6)")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
