"""Large cohort imports written in the background, so that the confirmation never outlasts a web worker.

A confirmation of more than IMPORT_BACKGROUND_ROWS people records an ImportJob (queued) and commits it;
`launch_import` then hands `run_import_job` to core/jobs.py (RQ with REDIS_URL, else a local worker
process; "inline" with IMPORT_JOB_RUNNER, for tests). The job re-reads and re-checks the waiting upload
and writes every row in one transaction, as the in-request confirmation does: all rows or none. Its page
follows the row; a failure is told there in words, with nothing written.
"""

import sqlalchemy as sa
from flask import Flask, current_app

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.bulk import import_rows
from academy.cohorts.enrolment import email_invitation, invite
from academy.cohorts.importer import ImportCheck, check_file
from academy.cohorts.models import IMPORT_STALLED_AFTER, Cohort, ImportJob, ImportStatus
from academy.cohorts.pending import TOKEN, discard_pending, load_pending
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.core.jobs import run_in_background, running_inline
from academy.core.mail import DeliveryStatus
from academy.extensions import db

DEFAULT_BACKGROUND_ROWS = 200
RUNNER_SETTING = "IMPORT_JOB_RUNNER"
# How many of a file's problems a failed job names (the upload page lists them all when it is uploaded again).
PROBLEMS_NAMED = 5


def runs_in_background(people: int, app: Flask) -> bool:
    """Whether a confirmation of `people` rows is written by a job rather than in the request."""
    return people > int(app.config.get("IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def job_for_upload(pending_id: str) -> ImportJob | None:
    """The job already made for this waiting upload, if it was confirmed before."""
    if not TOKEN.match(pending_id):
        return None
    return db.session.scalar(sa.select(ImportJob).where(ImportJob.pending_id == pending_id))


def request_import(cohort: Cohort, pending_id: str, *, filename: str, people: int, actor: User) -> ImportJob:
    """Record a queued import of the waiting upload; the caller commits, then calls launch_import. A second
    confirmation of the same upload fails the unique pending_id (IntegrityError) and finds this job."""
    job = ImportJob(
        cohort_id=cohort.id, requested_by_id=actor.id, pending_id=pending_id, filename=filename[:255], total=people
    )
    db.session.add(job)
    db.session.flush()
    record_audit(
        actor,
        "cohort.import_queued",
        job,
        summary=f"Confirmed an import of {people} people into {cohort.name}, written in the background",
        after={"cohort": cohort.name, "rows": people, "file": filename},
    )
    return job


def launch_import(job_id: int, app: Flask | None = None) -> bool:
    """Start a committed import job; False when the job queue was down and this server runs it instead."""
    return run_in_background(
        app or current_app._get_current_object(),  # type: ignore[attr-defined]
        "academy.cohorts.import_jobs:run_import_job",
        job_id,
        runner_setting=RUNNER_SETTING,
        on_lost="academy.cohorts.import_jobs:import_lost",
    )


def run_import_job(job_id: int) -> None:
    """Write the job's import, all rows or none, then email the invitations; the outcome is in the row."""
    try:
        if not _claim(job_id):
            return  # already taken (a queue that delivered it twice): never enrolled twice
        job = db.session.get_one(ImportJob, job_id)
        cohort, actor = job.cohort, job.requested_by
        pending = load_pending(job.pending_id, cohort=cohort, user=actor) if actor is not None else None
        if pending is None:
            raise DomainError("The uploaded file has expired (uploads are kept for 24 hours). Upload it again.")
        data, filename = pending
        check = check_file(data, cohort)  # checked again: the database may have changed since the preview
        if not check.ok:
            raise DomainError(describe_problems(check))
        made = import_rows(cohort, check, actor=actor, source=filename)
        invitations = [(p.user, invite(p.user, actor=actor)) for p, is_new in made if is_new]
        job.status, job.total, job.done = ImportStatus.DONE, len(made), len(made)
        job.finished_at = job.progressed_at = now_utc()
        db.session.commit()
        discard_pending(job.pending_id)
        deliveries = [email_invitation(user, token) for user, token in invitations]
        job.emails = {
            "sent": sum(1 for d in deliveries if d.status == DeliveryStatus.SENT),
            "outbox": sum(1 for d in deliveries if d.status == DeliveryStatus.OUTBOX),
            "failed": sum(1 for d in deliveries if d.status == DeliveryStatus.FAILED),
            "reason": next((d.reason for d in deliveries if d.status == DeliveryStatus.FAILED), ""),
        }
        db.session.commit()  # also records which invitations were emailed
    except DomainError as error:
        db.session.rollback()
        fail_import(job_id, f"{error.message} Nothing was imported.")
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Import job %s stopped", job_id)
        fail_import(job_id, "The import stopped because of a fault on the server, so nothing was imported. Try again.")
    finally:
        if not running_inline():
            db.session.remove()


def _claim(job_id: int) -> bool:
    """Move the job from queued to running; False if another run took it first, or if it waited so long
    that its page already says it stopped (a worker started much later must not enrol people then)."""
    claimed = db.session.execute(
        sa.update(ImportJob)
        .where(
            ImportJob.id == job_id,
            ImportJob.status == ImportStatus.QUEUED,
            ImportJob.progressed_at > now_utc() - IMPORT_STALLED_AFTER,
        )
        .values(status=ImportStatus.RUNNING, progressed_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def describe_problems(check: ImportCheck) -> str:
    """The file's problems in words, the first few by line, for the job's page."""
    named = [f"line {e.line}: {e.message}" for e in check.errors[:PROBLEMS_NAMED]]
    more = len(check.errors) - len(named)
    text = f"The file changed from what was checked, or the academy's data did: {'; '.join(named)}"
    if more > 0:
        text += f"; and {more} more problem{'s' if more != 1 else ''}"
    return text + "."


def fail_import(job_id: int, message: str) -> None:
    """Mark the job failed with `message` (shown on its page), and audit it."""
    job = db.session.get_one(ImportJob, job_id, populate_existing=True)
    job.status, job.error, job.finished_at = ImportStatus.FAILED, message[:2000], now_utc()
    record_audit(job.requested_by, "cohort.import_failed", job, summary=message[:200])
    db.session.commit()


def import_lost(job_id: int) -> None:
    """The worker process writing the import died (core/jobs.py): unless it had committed, nothing was written."""
    if db.session.get_one(ImportJob, job_id).status == ImportStatus.DONE:
        return  # it died sending the invitations: the people are enrolled
    fail_import(job_id, "The import stopped because its worker process ended, so nothing was imported. Try again.")
