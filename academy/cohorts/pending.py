"""Uploaded cohort files waiting between the import preview and its confirmation."""

import json
import re
import secrets
from pathlib import Path

from flask import current_app

from academy.accounts.models import User
from academy.cohorts.models import Cohort
from academy.core.files import private_folder, remove_older_than, write_private

# Between the preview and the confirmation the uploaded text waits under UPLOAD_FOLDER (in instance/ by
# default) in pending-imports/, keyed by a
# random id; the confirmation re-reads and re-checks it, so no row data travels through the form.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PENDING_MAX_AGE = 24 * 3600


def _pending_dir() -> Path:
    private_folder(current_app.config["UPLOAD_FOLDER"])
    return private_folder(Path(current_app.config["UPLOAD_FOLDER"]) / "pending-imports")


def sweep_pending(*, now: float | None = None) -> int:
    """Delete the uploads left unconfirmed for longer than PENDING_MAX_AGE; how many went. Run by
    `flask academy sweep` (from cron) and whenever a new file is uploaded."""
    return len(remove_older_than(_pending_dir(), "*.json", PENDING_MAX_AGE, now=now)) + len(
        remove_older_than(_pending_dir(), ".*.part", PENDING_MAX_AGE, now=now)
    )


def save_pending(data: bytes, *, cohort: Cohort, user: User, filename: str) -> str:
    """Keep an uploaded file until it is confirmed (0600, see core/files.py); returns its id. Expired
    leftovers are swept first."""
    sweep_pending()
    token = secrets.token_urlsafe(24)
    record = {"cohort_id": cohort.id, "user_id": user.id, "filename": filename, "text": data.decode("utf-8-sig")}
    write_private(_pending_dir() / f"{token}.json", json.dumps(record).encode("utf-8"))
    return token


def load_pending(token: str, *, cohort: Cohort, user: User) -> tuple[bytes, str] | None:
    """The waiting file's bytes and name, if `token` is this user's upload for this cohort."""
    if not TOKEN.match(token):
        return None
    path = _pending_dir() / f"{token}.json"
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record["cohort_id"] != cohort.id or record["user_id"] != user.id:
        return None
    return record["text"].encode("utf-8"), record["filename"]


def discard_pending(token: str) -> None:
    if TOKEN.match(token):
        (_pending_dir() / f"{token}.json").unlink(missing_ok=True)
