"""Uploaded cohort files waiting between the import preview and its confirmation."""

import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app

from academy.accounts.models import User
from academy.cohorts.models import Cohort

# Between the preview and the confirmation the uploaded text waits under UPLOAD_FOLDER (in instance/ by
# default) in pending-imports/, keyed by a
# random id; the confirmation re-reads and re-checks it, so no row data travels through the form.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PENDING_MAX_AGE = 24 * 3600


def _pending_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "pending-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_pending(data: bytes, *, cohort: Cohort, user: User, filename: str) -> str:
    """Keep an uploaded file until it is confirmed; returns its id. Old leftovers are removed."""
    folder = _pending_dir()
    for old in folder.glob("*.json"):
        if time.time() - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    record = {"cohort_id": cohort.id, "user_id": user.id, "filename": filename, "text": data.decode("utf-8-sig")}
    (folder / f"{token}.json").write_text(json.dumps(record), encoding="utf-8")
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
