"""`flask --app wsgi academy progression-record | records | worker | sweep`."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from tqdm import tqdm

from academy.accounts.models import User
from academy.cohorts.models import Cohort
from academy.cohorts.pending import sweep_pending
from academy.core.cli import academy_cli
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports import batch, services
from academy.reports.models import STALLED_AFTER, BatchStatus


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
        batch.launch_batch(job.id, workers=workers)  # RQ workers when REDIS_URL is set, else a local pool
        job = batch.follow_batch(job.id, lambda done: bar.update(done - bar.n))
    if job.status != BatchStatus.DONE:
        minutes = int(STALLED_AFTER.total_seconds() // 60)
        raise click.ClickException(job.error or f"The batch has stopped: no record was built for {minutes} minutes.")
    if job.file_path is None:
        raise click.ClickException("The batch finished without writing its ZIP file.")
    Path(output).write_bytes(Path(job.file_path).read_bytes())
    click.echo(f"Wrote {output}: {job.done} progression records of {job.cohort.name}")


@academy_cli.command("worker")
@click.option("--queue", "queue", default=None, help="Queue to take jobs from (default REPORTS_QUEUE).")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(queue: str | None, burst: bool) -> None:
    """Take background jobs (progression records and batches of them, large cohort imports) from Redis at REDIS_URL."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Set REDIS_URL to the Redis the app servers use, e.g. redis://127.0.0.1:6379/0.")
    batch.run_worker(url, queue or batch.queue_name(current_app), burst=burst)


@academy_cli.command("sweep")
def sweep_command() -> None:
    """Delete expired files: batch ZIPs older than REPORTS_BATCH_KEEP, cohort uploads never confirmed.
    Meant for cron (see the README's operations part); safe to run at any time, from any server."""
    zips = batch.sweep_batches(current_app)
    db.session.commit()
    uploads = sweep_pending()
    click.echo(f"Deleted batch ZIPs: {zips}. Deleted unconfirmed cohort uploads: {uploads}.")
