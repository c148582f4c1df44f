"""`flask --app wsgi academy progression-record | records | worker`."""

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from tqdm import tqdm

from academy.accounts.models import User
from academy.cohorts.models import Cohort
from academy.core.cli import academy_cli
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports import batch, services
from academy.reports.models import BatchJob, BatchStatus


@academy_cli.command("progression-record")
@click.argument("email")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the PDF.",
)
def progression_record_command(email: str, output: str) -> None:
    """Issue the progression record of the NQSW with this EMAIL as a PDF."""
    participant = db.session.scalars(
        sa.select(Participant)
        .join(User, Participant.user_id == User.id)
        .where(sa.func.lower(User.email) == email.strip().lower())
        .order_by(Participant.start_date.desc())
    ).first()
    if participant is None:
        raise click.ClickException(f"Nobody with the email {email} is enrolled in a cohort.")
    rendered = services.issue_progression_record(participant, actor=None)
    db.session.commit()
    Path(output).write_bytes(rendered.data)
    click.echo(f"Wrote {output}: {participant.name}, reference {rendered.reference}, SHA-256 {rendered.sha256}")


@academy_cli.command("records")
@click.option("--cohort", "cohort_name", required=True, help="The cohort's name, as shown in the app.")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the ZIP.",
)
@click.option("--workers", type=int, default=None, help="Worker processes (default: every core).")
def records_command(cohort_name: str, output: str, workers: int | None) -> None:
    """Issue every progression record of a cohort, as one ZIP, with a progress bar."""
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == cohort_name.strip()))
    if cohort is None:
        raise click.ClickException(f"There is no cohort called {cohort_name}.")
    try:
        job = batch.request_batch(cohort, actor=None)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    with tqdm(total=job.total, unit="record", desc=cohort.name) as bar:
        if current_app.config.get("REDIS_URL"):
            batch.enqueue_batch(job.id, current_app)
            job = _follow(job.id, bar)
        else:
            job = batch.run_local_batch(job.id, workers=workers, progress=bar.update)
    if job.status != BatchStatus.DONE:
        raise click.ClickException(job.error or "The batch did not finish.")
    Path(output).write_bytes(Path(job.file_path).read_bytes())
    click.echo(f"Wrote {output}: {job.done} progression records of {cohort.name}")


def _follow(job_id: int, bar: tqdm) -> BatchJob:
    """Poll the batch's row while RQ workers render, moving the bar."""
    while True:
        db.session.expire_all()
        job = db.session.get(BatchJob, job_id)
        bar.update(job.done - bar.n)
        if job.is_finished:
            return job
        time.sleep(0.5)


@academy_cli.command("worker")
@click.option("--queue", "queue", default=None, help="Queue to take jobs from (default REPORTS_QUEUE).")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(queue: str | None, burst: bool) -> None:
    """Take background jobs (batches of progression records) from Redis at REDIS_URL."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Set REDIS_URL to the Redis the app servers use, e.g. redis://127.0.0.1:6379/0.")
    batch.run_worker(url, queue or batch.queue_name(current_app), burst=burst)
