"""Progression records issued once and served from storage.

A download serves the participant's stored record while its fingerprint (a hash of everything the
record shows, `services.record_fingerprint`) still matches their data: no PDF is rendered and no new
issued document is written. When there is none, or the data has changed, the request records that a
record is wanted (a `StoredRecord` row, queued) and the record is rendered in the background, where
batches render theirs:

- on an RQ worker when REDIS_URL is set (`flask --app wsgi academy worker` takes it). When Redis
  cannot be reached the record is rendered locally instead, so asking never fails;
- otherwise on a spawned worker process of this web process (never in the web thread: a PDF takes
  seconds of CPU that other people's pages would wait for);
- "inline" (REPORTS_RECORD_RUNNER): in the request itself, for tests on the rolled-back session.

The rendered PDF is written under the instance folder, readable by the app's user only (0600).
"""

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from academy.accounts.models import User
from academy.core.db import now_utc
from academy.core.jobs import run_in_background, running_inline
from academy.extensions import db
from academy.participants.models import Participant
from academy.reports.models import BatchStatus, StoredRecord
from academy.reports.services import COMMAND_LINE, record_fingerprint, render_progression_record, store_issued


def record_folder(app: Flask) -> Path:
    return Path(app.config.get("REPORTS_RECORD_FOLDER") or Path(app.instance_path) / "records")


def stored_record(participant: Participant) -> StoredRecord | None:
    return db.session.scalar(sa.select(StoredRecord).where(StoredRecord.participant_id == participant.id))


def servable(record: StoredRecord | None, participant: Participant) -> bool:
    """Whether `record` is a finished file that still shows the participant's data as it is now."""
    return (
        record is not None
        and record.status == BatchStatus.DONE
        and record.file_path is not None
        and Path(record.file_path).is_file()
        and record.fingerprint == record_fingerprint(participant.id)
    )


def read_pdf(record: StoredRecord, participant: Participant) -> tuple[bytes, str]:
    """The stored PDF and the name it is downloaded under (a servable record's)."""
    reference = record.issued_document.reference if record.issued_document else "record"
    slug = "-".join(participant.name.lower().split())
    return Path(record.file_path or "").read_bytes(), f"progression-record-{slug}-{reference}.pdf"


def in_progress(record: StoredRecord | None) -> bool:
    return record is not None and not record.is_finished and not record.is_stalled()


def request_record(participant: Participant, *, actor: User | None) -> StoredRecord:
    """Say that the participant's record is wanted (queued); the caller commits, then calls launch_record."""
    record = stored_record(participant)
    if record is None:
        record = StoredRecord(participant_id=participant.id)
        db.session.add(record)
    record.status = BatchStatus.QUEUED
    record.requested_by_id = actor.id if actor else None
    record.requested_at = record.progressed_at = now_utc()
    record.finished_at = None
    record.error = ""
    db.session.flush()
    return record


def render_stored_record(record_id: int, *, release_session: bool | None = None) -> str:
    """Render the wanted record, keep its PDF as a file and as an issued document, and mark it done.
    The session is released when done unless the record renders in the request (core/jobs.py)."""
    if release_session is None:
        release_session = not running_inline()
    try:
        record = db.session.get_one(StoredRecord, record_id)
        participant_id, requested_by_id = record.participant_id, record.requested_by_id
        record.status, record.progressed_at = BatchStatus.RUNNING, now_utc()
        db.session.commit()
        actor = db.session.get(User, requested_by_id) if requested_by_id else None
        rendered = render_progression_record(
            participant_id, actor.name if actor else COMMAND_LINE, release_session=release_session
        )
        path = _write_private(record_folder(current_app), f"{participant_id}-{rendered.reference}.pdf", rendered.data)
        try:
            actor = db.session.get(User, requested_by_id) if requested_by_id else None
            document = store_issued(rendered, "progression_record", actor=actor, participant_id=participant_id)
            record = db.session.get_one(StoredRecord, record_id)
            previous = record.file_path
            record.status, record.fingerprint, record.file_path = BatchStatus.DONE, rendered.fingerprint, str(path)
            record.issued_document, record.finished_at, record.progressed_at = document, now_utc(), now_utc()
            db.session.commit()
        except Exception:
            path.unlink(missing_ok=True)
            raise
        if previous and previous != str(path):
            Path(previous).unlink(missing_ok=True)  # superseded: the data it showed has changed
        return str(path)
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("Progression record %s could not be rendered", record_id)
        _fail(record_id, f"The record could not be rendered: {error}")
        raise
    finally:
        if release_session:
            db.session.remove()


def _fail(record_id: int, message: str) -> None:
    db.session.execute(
        sa.update(StoredRecord)
        .where(StoredRecord.id == record_id)
        .values(status=BatchStatus.FAILED, error=message[:2000], finished_at=now_utc())
    )
    db.session.commit()


def _write_private(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to a new file only the app's user can read, in a folder only it can open."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path


# --- where the rendering runs ----------------------------------------------------------------------


def launch_record(record_id: int, app: Flask | None = None) -> None:
    """Render a committed request in the background (or at once, with the inline runner)."""
    run_in_background(
        app or current_app._get_current_object(),  # type: ignore[attr-defined]
        "academy.reports.stored:render_stored_record",
        record_id,
        runner_setting="REPORTS_RECORD_RUNNER",
        on_lost="academy.reports.stored:record_lost",
    )


def record_lost(record_id: int) -> None:
    """The worker process rendering the record died (see core/jobs.py)."""
    _fail(record_id, "The record could not be rendered: its worker stopped.")
