"""Every progression record of a cohort in one ZIP, built in the background behind one job interface.

A batch is two kinds of work, the same whoever runs it:

- `render_batch_record(job_id, participant_id, out_dir)`, once per participant: render the record,
  write its PDF into the batch's folder, store it as issued and count it done;
- `finish_batch(job_id, out_dir)`, once all of those have run (or failed): zip the PDFs and mark the
  batch done, or failed when some are missing.

A runner only decides where that work runs (`Runner.enqueue` is the one thing the two do differently):

- `RQRunner`, when REDIS_URL is set: each piece is an RQ job taken by `flask --app wsgi academy worker`
  processes, the finishing job waiting on every record's;
- `LocalRunner` otherwise (so `make run` needs no Redis): a thread of the calling process hands the
  records to a pool of spawned worker processes, each with its own app, then finishes the batch. A
  lock file in the batch folder lets only one such pool render on the machine at a time, however many
  web processes there are; a batch waiting for it stays "queued".

Progress lives in the BatchJob row, so any web process (and the command line) can show it.
"""

import fcntl
import multiprocessing
import os
import threading
import time
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.job import Dependency

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.core.files import private_file, private_folder, write_private
from academy.core.jobs import (  # the generic parts, shared with every background job
    RQ_JOB_TIMEOUT,
    RQ_RESULT_TTL,
    init_worker,
    queue_name,
    redis_connection,
    worker_config,
)
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports.models import BatchJob, BatchStatus
from academy.reports.services import COMMAND_LINE, render_progression_record, store_issued

LOCK_FILE = "local-pool.lock"
LOCK_POLL_SECONDS = 1.0
# What the page says when the job queue (Redis) is down and the web server builds the batch itself.
QUEUE_DOWN = "The job queue could not be reached, so this server is building the records itself."
# While a batch waits for the machine's pool it says so every minute, so it is not taken for stopped.
WAITING_HEARTBEAT_SECONDS = 60.0
# How long a finished batch's ZIP is kept when REPORTS_BATCH_KEEP is not configured.
DEFAULT_KEEP = timedelta(days=7)


def batch_dir(app: Flask) -> Path:
    return Path(app.config.get("REPORTS_BATCH_FOLDER") or Path(app.instance_path) / "batches")


def worker_count(app: Flask) -> int:
    return int(app.config.get("REPORTS_WORKERS") or os.cpu_count() or 1)


def request_batch(cohort: Cohort, *, actor: User | None) -> BatchJob:
    """Record a new batch for `cohort` (queued); the caller commits, then calls launch_batch. Expired
    ZIPs of earlier batches are deleted first."""
    sweep_batches(current_app)
    total = db.session.scalar(sa.select(sa.func.count()).where(Participant.cohort_id == cohort.id)) or 0
    if total == 0:
        raise DomainError(f"{cohort.name} has no participants, so there are no records to build.", field="cohort")
    job = BatchJob(cohort_id=cohort.id, requested_by_id=actor.id if actor else None, total=total)
    db.session.add(job)
    record_audit(
        actor,
        "batch.requested",
        job,
        summary=f"Requested every progression record of {cohort.name} as a ZIP",
        after={"cohort": cohort.name, "total": total},
    )
    return job


# --- the work, the same for every runner ---------------------------------------------------------


@dataclass(frozen=True)
class BatchPlan:
    """What a runner is handed: which records to render, and the folder their PDFs go to."""

    job_id: int
    participant_ids: tuple[int, ...]
    out_dir: str


def plan_batch(job_id: int, app: Flask) -> BatchPlan:
    """The records of the batch's cohort as it is now (their number becomes the batch's total)."""
    job = db.session.get_one(BatchJob, job_id)
    ids = tuple(
        db.session.scalars(
            sa.select(Participant.id).where(Participant.cohort_id == job.cohort_id).order_by(Participant.id)
        )
    )
    private_folder(batch_dir(app))
    out_dir = private_folder(batch_dir(app) / f"batch-{job.id}")
    job.total = len(ids)
    db.session.commit()
    return BatchPlan(job_id, ids, str(out_dir))


def render_batch_record(job_id: int, participant_id: int, out_dir: str) -> str:
    """Render one record into the batch's folder, store it as issued and count it done."""
    try:
        requested_by_id = db.session.scalar(sa.select(BatchJob.requested_by_id).where(BatchJob.id == job_id))
        actor = db.session.get(User, requested_by_id) if requested_by_id else None
        generated_by = actor.name if actor else COMMAND_LINE
        # The session is released once the HTML exists: no read transaction is held while WeasyPrint
        # lays out the pages, so the writes below begin a transaction of their own. (On SQLite a read
        # upgraded to a write can be refused at once when another process is committing.)
        rendered = render_progression_record(participant_id, generated_by, release_session=True)
        store_issued(rendered, "progression_record", actor=actor, participant_id=participant_id)
        db.session.execute(
            sa.update(BatchJob)
            .where(BatchJob.id == job_id)
            .values(done=BatchJob.done + 1, status=BatchStatus.RUNNING, progressed_at=now_utc())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        # Only a record stored as issued goes into the folder, so every PDF in the ZIP can be verified.
        write_private(Path(out_dir, rendered.filename), rendered.data)
        return rendered.filename
    finally:
        db.session.remove()


def finish_batch(job_id: int, out_dir: str) -> str:
    """Zip the batch's PDFs once every record has been rendered (or has failed), and say how it went."""
    try:
        job = db.session.get_one(BatchJob, job_id)
        files = sorted(Path(out_dir).glob("*.pdf"))
        if len(files) < job.total:
            return fail_batch(job_id, f"{job.total - len(files)} of {job.total} records could not be rendered.")
        path = _zip_path(Path(out_dir).parent, job)
        with private_file(path) as handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            for file in files:
                archive.write(file, file.name)
        for file in files:
            file.unlink()
        Path(out_dir).rmdir()
        job.status, job.file_path, job.finished_at = BatchStatus.DONE, str(path), now_utc()
        actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        record_audit(actor, "batch.finished", job, summary=f"Built {job.done} progression records as a ZIP")
        db.session.commit()
        return str(path)
    finally:
        db.session.remove()


def fail_batch(job_id: int, message: str) -> str:
    """Mark the batch failed with `message` (shown on its page), and audit it."""
    db.session.rollback()
    job = db.session.get_one(BatchJob, job_id)
    job.status, job.error, job.finished_at = BatchStatus.FAILED, message[:2000], now_utc()
    record_audit(None, "batch.failed", job, summary=message[:200])
    db.session.commit()
    return job.error


def _zip_path(folder: Path, job: BatchJob) -> Path:
    private_folder(folder)
    slug = "-".join(job.cohort.name.lower().split())
    return folder / f"progression-records-{slug}-{job.id}.zip"


def sweep_batches(app: Flask, *, now: datetime | None = None) -> int:
    """Delete the ZIPs of batches finished more than REPORTS_BATCH_KEEP ago (every PDF in them stays
    stored as issued, and the batch can be built again); how many went. The batch's page then says the
    ZIP has been deleted. Run by `flask academy sweep` (from cron) and whenever a batch is requested."""
    cutoff = (now or now_utc()) - app.config.get("REPORTS_BATCH_KEEP", DEFAULT_KEEP)
    expired = db.session.scalars(
        sa.select(BatchJob).where(BatchJob.file_path.is_not(None), BatchJob.finished_at < cutoff)
    ).all()
    for job in expired:
        Path(job.file_path or "").unlink(missing_ok=True)
        job.file_path = None
    db.session.flush()
    return len(expired)


# --- the runners: where the work runs -------------------------------------------------------------


class Runner(ABC):
    """Runs a committed batch: plans it here, then hands the work over with `enqueue`."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def launch(self, job_id: int) -> str:
        """Start the batch in the background and return at once: what the page should add, if anything."""
        return self.enqueue(plan_batch(job_id, self.app))

    @abstractmethod
    def enqueue(self, plan: BatchPlan) -> str:
        """Arrange for `render_batch_record` to run for every record, then `finish_batch`."""


class RQRunner(Runner):
    """One RQ job per record, then one that finishes the batch once all have run (or failed)."""

    def enqueue(self, plan: BatchPlan) -> str:
        """Hand the work to the RQ workers; when Redis cannot be reached, to a local pool instead, so the
        batch is built anyway (the page says so)."""
        queue = Queue(queue_name(self.app), connection=redis_connection(self.app.config["REDIS_URL"]))
        options = {"job_timeout": RQ_JOB_TIMEOUT, "result_ttl": RQ_RESULT_TTL}
        try:
            queue.connection.ping()  # refused here, not half way through queueing the batch
            renders = [
                queue.enqueue(render_batch_record, plan.job_id, pid, plan.out_dir, **options)
                for pid in plan.participant_ids
            ]
            queue.enqueue(
                finish_batch,
                plan.job_id,
                plan.out_dir,
                depends_on=Dependency(jobs=renders, allow_failure=True),
                **options,
            )
        except RedisError:
            self.app.logger.exception("Batch %s: Redis could not be reached, so it is built here", plan.job_id)
            LocalRunner(self.app).enqueue(plan)
            return QUEUE_DOWN
        return ""


class LocalRunner(Runner):
    """A pool of worker processes (one per core, or `workers`), started by a thread of this process."""

    def __init__(self, app: Flask, *, workers: int | None = None) -> None:
        super().__init__(app)
        self.workers = workers

    def enqueue(self, plan: BatchPlan) -> str:
        threading.Thread(target=self.run, args=(plan,), name=f"batch-{plan.job_id}", daemon=True).start()
        return ""

    def run(self, plan: BatchPlan) -> None:
        """Wait for the machine's pool, render every record on it, then finish the batch."""
        with self.app.app_context():  # a session of its own, whoever calls
            try:
                with machine_lock(batch_dir(self.app) / LOCK_FILE, waiting=lambda: _touch(plan.job_id)):
                    _mark_running(plan.job_id)
                    self._render_all(plan)
                    finish_batch(plan.job_id, plan.out_dir)
            except Exception as error:
                self.app.logger.exception("Batch %s stopped", plan.job_id)
                fail_batch(plan.job_id, f"The batch stopped: {error}")
            finally:
                db.session.remove()

    def _render_all(self, plan: BatchPlan) -> None:
        workers = max(1, min(self.workers or worker_count(self.app), len(plan.participant_ids)))
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),  # never fork a threaded web process
            initializer=init_worker,
            initargs=(self.app.extensions["academy.factory"], worker_config(self.app)),
        ) as pool:
            futures = [pool.submit(render_batch_record, plan.job_id, pid, plan.out_dir) for pid in plan.participant_ids]
            wait(futures)
        for future in futures:  # a record that failed is missing from the folder, and finish_batch says so
            if future.exception() is not None:
                self.app.logger.error("Batch %s: a record failed", plan.job_id, exc_info=future.exception())


def runner_for(app: Flask, *, workers: int | None = None) -> Runner:
    """RQ workers when REDIS_URL is set, else a local pool."""
    return RQRunner(app) if app.config.get("REDIS_URL") else LocalRunner(app, workers=workers)


def launch_batch(job_id: int, app: Flask | None = None, *, workers: int | None = None) -> str:
    """Start a committed batch in the background and return at once: what the page should add, if anything."""
    return runner_for(app or current_app._get_current_object(), workers=workers).launch(job_id)  # type: ignore[attr-defined]


def follow_batch(job_id: int, progress: Callable[[int], None], *, every: float = 0.5) -> BatchJob:
    """Wait until a launched batch has finished or stopped, calling `progress` with the records built so far."""
    while True:
        job = db.session.get_one(BatchJob, job_id, populate_existing=True)
        progress(job.done)
        if job.is_finished or job.is_stalled():
            return job
        db.session.rollback()  # hold no read transaction while the workers write
        time.sleep(every)


# --- the local pool's parts -------------------------------------------------------------------------


@contextmanager
def machine_lock(path: Path, *, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive lock on `path` (every process on the machine sees it), calling `waiting` now and
    then until it is ours. The system lets go of it if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        last_said = time.monotonic()
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - last_said >= WAITING_HEARTBEAT_SECONDS:
                    waiting()
                    last_said = time.monotonic()
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _touch(job_id: int) -> None:
    """A queued batch is still alive: its process waits for the pool."""
    db.session.execute(sa.update(BatchJob).where(BatchJob.id == job_id).values(progressed_at=now_utc()))
    db.session.commit()


def _mark_running(job_id: int) -> None:
    db.session.execute(
        sa.update(BatchJob)
        .where(BatchJob.id == job_id)
        .values(status=BatchStatus.RUNNING, done=0, progressed_at=now_utc())
    )
    db.session.commit()


# --- RQ -------------------------------------------------------------------------------------------


def run_worker(redis_url: str, queue: str, *, burst: bool = False) -> None:
    """Take batch jobs from `queue` until stopped (or until it is empty, with burst)."""
    connection = redis_connection(redis_url)
    # SimpleWorker runs each job in this process, inside the app context the command holds.
    SimpleWorker([Queue(queue, connection=connection)], connection=connection).work(burst=burst)
