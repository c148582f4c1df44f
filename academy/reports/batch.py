"""Every progression record of a cohort in one ZIP, built in the background.

Without REDIS_URL a local pool of worker processes (one per core) renders the records; each worker
builds its own app with create_app. With REDIS_URL each record is an RQ job taken by
`flask --app wsgi academy worker` processes, and a last job zips the results. Either way the
progress lives in the BatchJob row, so any web process can show it.
"""

import multiprocessing
import os
import pickle
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker
from rq import Queue as RQQueue
from rq.job import Dependency

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.cohorts.models import Cohort
from academy.core.db import now_utc
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports.models import BatchJob, BatchStatus
from academy.reports.services import COMMAND_LINE, RenderedDocument, render_progression_record, store_issued

DEFAULT_QUEUE = "academy-reports"
_worker_app: Flask | None = None


def batch_dir(app: Flask) -> Path:
    return Path(app.config.get("REPORTS_BATCH_FOLDER") or Path(app.instance_path) / "batches")


def queue_name(app: Flask) -> str:
    return app.config.get("REPORTS_QUEUE") or os.environ.get("REPORTS_QUEUE") or DEFAULT_QUEUE


def worker_count(app: Flask) -> int:
    return int(app.config.get("REPORTS_WORKERS") or os.cpu_count() or 1)


def request_batch(cohort: Cohort, *, actor: User | None) -> BatchJob:
    """Record a new batch for `cohort` (queued); the caller commits, then calls launch_batch."""
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


def launch_batch(job_id: int, app: Flask | None = None) -> None:
    """Start a committed batch in the background: RQ jobs when REDIS_URL is set, else a local pool."""
    app = app or current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        enqueue_batch(job_id, app)
        return
    thread = threading.Thread(target=_run_in_thread, args=(app, job_id), name=f"batch-{job_id}", daemon=True)
    thread.start()


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_local_batch(job_id, app)


# --- the local pool -----------------------------------------------------------------------------


def worker_config(app: Flask) -> dict[str, Any]:
    """The app's settings that can be sent to a worker process."""
    config = {}
    for key, value in app.config.items():
        if not key.isupper():
            continue
        try:
            pickle.dumps(value)
        except Exception:
            continue
        config[key] = value
    return config


def _init_worker(factory: Callable[[Any], Flask], config: dict[str, Any]) -> None:
    """Runs once in each worker process: its own app (from the factory the web app was built with),
    database connections and fonts."""
    global _worker_app
    _worker_app = factory(SimpleNamespace(**config))
    _worker_app.app_context().push()


def _render_in_worker(participant_id: int, generated_by: str) -> RenderedDocument:
    try:
        return render_progression_record(participant_id, generated_by, release_session=True)
    finally:
        db.session.remove()


def _participant_ids(cohort_id: int) -> list[int]:
    return list(
        db.session.scalars(sa.select(Participant.id).where(Participant.cohort_id == cohort_id).order_by(Participant.id))
    )


def _zip_path(folder: Path, job: BatchJob) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    slug = "-".join(job.cohort.name.lower().split())
    return folder / f"progression-records-{slug}-{job.id}.zip"


def run_local_batch(
    job_id: int, app: Flask | None = None, *, workers: int | None = None, progress: Callable[[int], None] | None = None
) -> BatchJob:
    """Render every record of the batch's cohort on a pool of processes and write the ZIP."""
    app = app or current_app._get_current_object()
    job = db.session.get(BatchJob, job_id)
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    generated_by = actor.name if actor else COMMAND_LINE
    ids = _participant_ids(job.cohort_id)
    job.status, job.total, job.done, job.progressed_at = BatchStatus.RUNNING, len(ids), 0, now_utc()
    db.session.commit()
    path = _zip_path(batch_dir(app), job)
    try:
        context = multiprocessing.get_context("spawn")  # never fork a threaded web process
        workers = max(1, min(workers or worker_count(app), len(ids)))
        with (
            ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(app.extensions["academy.factory"], worker_config(app)),
            ) as pool,
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive,
        ):
            futures = [pool.submit(_render_in_worker, pid, generated_by) for pid in ids]
            by_future = dict(zip(futures, ids, strict=True))
            for future in as_completed(futures):
                rendered = future.result()
                archive.writestr(rendered.filename, rendered.data)
                store_issued(rendered, "progression_record", actor=actor, participant_id=by_future[future])
                job.done += 1
                job.progressed_at = now_utc()
                db.session.commit()
                if progress:
                    progress(1)
        return _finish(job, path, actor)
    except Exception as error:
        db.session.rollback()
        return _fail(job_id, f"The batch stopped: {error}")


def _finish(job: BatchJob, path: Path, actor: User | None) -> BatchJob:
    job.status, job.file_path, job.finished_at = BatchStatus.DONE, str(path), now_utc()
    record_audit(actor, "batch.finished", job, summary=f"Built {job.done} progression records as a ZIP")
    db.session.commit()
    return job


def _fail(job_id: int, message: str) -> BatchJob:
    job = db.session.get(BatchJob, job_id)
    job.status, job.error, job.finished_at = BatchStatus.FAILED, message[:2000], now_utc()
    record_audit(None, "batch.failed", job, summary=message[:200])
    db.session.commit()
    return job


# --- RQ -------------------------------------------------------------------------------------------


def redis_connection(url: str):

    return Redis.from_url(url)


def enqueue_batch(job_id: int, app: Flask) -> None:
    """One RQ job per record, then one that zips them once all have run."""

    job = db.session.get(BatchJob, job_id)
    out_dir = batch_dir(app) / f"batch-{job.id}"
    out_dir.mkdir(parents=True, exist_ok=True)
    queue = Queue(queue_name(app), connection=redis_connection(app.config["REDIS_URL"]))
    renders = [
        queue.enqueue(rq_render_record, job.id, pid, str(out_dir), job_timeout=600, result_ttl=3600)
        for pid in _participant_ids(job.cohort_id)
    ]
    queue.enqueue(
        rq_finish_batch,
        job.id,
        str(out_dir),
        depends_on=Dependency(jobs=renders, allow_failure=True),
        job_timeout=600,
        result_ttl=3600,
    )


def rq_render_record(job_id: int, participant_id: int, out_dir: str) -> str:
    """RQ job: render one record into the batch's folder and count it done."""
    try:
        job = db.session.get(BatchJob, job_id)
        actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        generated_by = actor.name if actor else COMMAND_LINE
        rendered = render_progression_record(participant_id, generated_by, release_session=True)
        Path(out_dir, rendered.filename).write_bytes(rendered.data)
        actor = db.session.get(User, actor.id) if actor else None
        store_issued(rendered, "progression_record", actor=actor, participant_id=participant_id)
        db.session.execute(
            sa.update(BatchJob)
            .where(BatchJob.id == job_id)
            .values(done=BatchJob.done + 1, status=BatchStatus.RUNNING, progressed_at=now_utc())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return rendered.filename
    finally:
        db.session.remove()


def rq_finish_batch(job_id: int, out_dir: str) -> str:
    """RQ job: zip the rendered records once every render job has finished (or failed)."""
    try:
        job = db.session.get(BatchJob, job_id)
        files = sorted(Path(out_dir).glob("*.pdf"))
        if len(files) < job.total:
            return _fail(job_id, f"{job.total - len(files)} of {job.total} records could not be rendered.").error
        path = _zip_path(Path(out_dir).parent, job)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            for file in files:
                archive.write(file, file.name)
        for file in files:
            file.unlink()
        Path(out_dir).rmdir()
        actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        _finish(job, path, actor)
        return str(path)
    finally:
        db.session.remove()


def run_worker(redis_url: str, queue: str, *, burst: bool = False) -> None:
    """Take batch jobs from `queue` until stopped (or until it is empty, with burst)."""

    connection = redis_connection(redis_url)
    # SimpleWorker runs each job in this process, inside the app context the command holds.
    SimpleWorker([RQQueue(queue, connection=connection)], connection=connection).work(burst=burst)
