"""Optimistic locking: a save made on a form opened before someone else's save is refused, not applied.

Each editable record (an evidence entry, a review, a participant's details, a programme's settings) has
a `version` column that SQLAlchemy checks on every UPDATE (`version_id_col`), and a `changed_at` time.
Its edit form carries two hidden fields from the moment it was opened: the version, and a fingerprint
of what the form showed (a short digest per field). The service compares them before applying the
change: when the record moved on and something the form showed is different now, it refuses with
a message that names what changed and when, and the view shows the form again with what the person
typed. Two saves that pass the check at the same moment still meet SQLAlchemy's version check: the
second UPDATE matches no row, raises StaleDataError, and `run_service` turns that into a message too.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wtforms import HiddenField

from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError

DIGEST_LENGTH = 8
AGAIN = "Your changes are below; check them and save again."
# A save that met another at the same moment (StaleDataError): nothing was written, the form is shown again.
SAVED_MEANWHILE = (
    "Someone else saved this at the same moment, so your changes were not saved. "
    "Open the page again to see their changes, then make yours."
)


@dataclass(frozen=True)
class Loaded:
    """What an edit form was opened on: the record's version (None: it did not exist yet) and a fingerprint
    of the values it showed."""

    version: int | None
    fingerprint: str = ""


class StaleRecord(DomainError):
    """The record changed since the form was opened; `current` is what the form should carry from now on."""

    def __init__(self, message: str, field: str | None, current: Loaded) -> None:
        super().__init__(message, field=field)
        self.current = current


def _digest(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 37 hours read back from JSON as 37.0 is the same value
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def fingerprint(values: Mapping[str, Any]) -> str:
    """`name:digest` for each value the form shows, joined by dots (short enough for a hidden field)."""
    return ".".join(f"{name}:{_digest(values[name])}" for name in sorted(values))


def changed_names(old_fingerprint: str, values: Mapping[str, Any]) -> list[str]:
    """The names whose value differs from the fingerprint's (every name when the fingerprint is missing or
    unreadable), in the order of `values`."""
    old = dict(part.split(":", 1) for part in old_fingerprint.split(".") if ":" in part)
    return [name for name in values if old.get(name) != _digest(values[name])]


def when(moment: datetime | None) -> str:
    """`at 2:02pm on 1 December 2026`, in UK time; empty when the time is not known."""
    if moment is None:
        return ""
    local = moment.astimezone(dates.LONDON)
    hour = local.hour % 12 or 12
    return f" at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} on {local.day} {local:%B %Y}"


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def check_unchanged(
    record: Any,
    loaded: Loaded | None,
    values: Mapping[str, Any],
    *,
    noun: str,
    labels: Mapping[str, str],
) -> None:
    """Refuse a save made on a form opened on an older version of `record` when what the form showed has
    changed since (`values`: the record's values now, by form field name; `labels`: each field in words).

    `loaded` None means the caller has no form (the demo, a command): nothing to compare. A record that
    moved on only in what this form does not show (a status change, say) is saved: nothing of it is
    overwritten. The record's `changed_at` is stamped either way, so that its version moves on even when
    only rows beside it change (an entry's element links, a participant's name on their account)."""
    current_version = getattr(record, "version", None)
    if loaded is not None and loaded.version != current_version:
        changed = changed_names(loaded.fingerprint, values)
        if changed or (loaded.version is None) != (current_version is None):
            what = _listed([labels.get(name, name) for name in changed]) if changed else "it was created"
            moment = when(getattr(record, "changed_at", None) or getattr(record, "created_at", None))
            raise StaleRecord(
                f"Someone else changed this {noun}{moment}, after you opened it: {what}. {AGAIN}",
                field=changed[0] if changed else None,
                current=Loaded(current_version, fingerprint(values)),
            )
    if current_version is not None:
        record.changed_at = now_utc()


class VersionFields:
    """Hidden fields for an edit form of a versioned record (mix into a FlaskForm before it)."""

    version = HiddenField()
    loaded_state = HiddenField()

    def stamp(self, version: int | None, values: Mapping[str, Any]) -> None:
        """Carry what the form is opened on: call when the page first shows the record."""
        self.carry(Loaded(version, fingerprint(values)))

    def carry(self, loaded: Loaded) -> None:
        self.version.data = "" if loaded.version is None else str(loaded.version)
        self.loaded_state.data = loaded.fingerprint

    def loaded(self) -> Loaded | None:
        """What the posted form was opened on. A version that is not a number compares as stale. A post without
        the field at all (every page the app renders carries it) has nothing to compare: None."""
        if not self.version.raw_data:
            return None
        raw = (self.version.data or "").strip()
        version = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else (None if not raw else -1)
        return Loaded(version, (self.loaded_state.data or "")[:4000])
