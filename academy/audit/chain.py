"""The audit trail's hash chain: each event stores a SHA-256 hash over its own content and the hash of
the event before it, so an event changed, removed or moved afterwards breaks the chain at that point
(`flask --app wsgi academy audit-verify` walks it).

The canonical form is what survives a round trip through SQLite and PostgreSQL: the time as naive UTC
ISO text with microseconds, before/after as they come back from a JSON column, all as JSON with
sorted keys.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.core.db import lock_for_writing
from academy.extensions import db

GENESIS = "0" * 64  # what the first event links to
LOCK_CLASS = 0x41554454  # "AUDT": the advisory lock's first key; the second is the table's oid
CONTENT = (
    "id",
    "at",
    "actor_id",
    "action",
    "subject_type",
    "subject_id",
    "participant_id",
    "summary",
    "before",
    "after",
)


def canonical_time(at: datetime) -> str:
    """`at` as naive UTC ISO text with microseconds: the same before and after the database."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def _as_stored(value: Any) -> Any:
    """A before/after value as a JSON column gives it back (integer keys become text, tuples lists)."""
    return json.loads(json.dumps(value))


def event_hash(row: Mapping[Any, Any], previous_hash: str) -> str:
    """The hash of one event's content (`row` has the CONTENT columns) chained to `previous_hash`."""
    content = {name: row.get(name) for name in CONTENT}
    content["at"] = canonical_time(row["at"])
    content["before"] = _as_stored(content["before"])
    content["after"] = _as_stored(content["after"])
    content["previous_hash"] = previous_hash
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reserve(count: int) -> tuple[list[int], str]:
    """Take the chain for this transaction and return `count` new ids, in order, and the hash the first
    of them links to.

    On PostgreSQL a transaction-level advisory lock makes concurrent writers append one after another
    (it is held until commit or rollback, so the tail read here stays the tail); SQLite serialises
    writers once they hold its write lock, taken here before the tail is read. The ids are given out
    here, under the lock, because each hash covers its id.
    """
    connection = db.session.connection()
    lock_for_writing(connection)
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(
            sa.text(
                "SELECT pg_advisory_xact_lock(:key, CAST(CAST(CAST('audit_event' AS regclass) AS oid) AS integer))"
            ),
            {"key": LOCK_CLASS},
        )
    table = AuditEvent.__table__
    tail = connection.execute(sa.select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    last_id, last_hash = (tail[0], tail[1]) if tail is not None else (0, GENESIS)
    if postgres:
        ids = connection.scalars(
            sa.text("SELECT nextval(pg_get_serial_sequence('audit_event', 'id')) FROM generate_series(1, :count)"),
            {"count": count},
        ).all()
        return sorted(ids), last_hash
    return list(range(last_id + 1, last_id + 1 + count)), last_hash


def chain(rows: list[dict[str, Any]], ids: list[int], previous_hash: str) -> None:
    """Give each row (audit_row's columns) its id, the hash it links to and its own hash, in one pass."""
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
        row["previous_hash"] = previous_hash
        row["hash"] = previous_hash = event_hash(row, previous_hash)


@dataclass(frozen=True)
class BrokenLink:
    """The first place the chain does not hold: which event, and which check failed."""

    event_id: int
    at: datetime
    action: str
    summary: str
    problem: str


@dataclass(frozen=True)
class Verification:
    count: int
    last_hash: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify() -> Verification:
    """Walk the chain from the first event, a thousand at a time, and stop at the first broken link."""
    table = AuditEvent.__table__
    columns = [table.c[name] for name in (*CONTENT, "previous_hash", "hash")]
    query = sa.select(*columns).order_by(table.c.id).execution_options(yield_per=1000)
    previous_hash, count = GENESIS, 0
    with db.session.connection().execute(query) as rows:
        for row in rows.mappings():
            problem = None
            if row["previous_hash"] != previous_hash:
                problem = "it does not follow the event before it: an earlier event was removed, added or changed"
            elif event_hash(row, previous_hash) != row["hash"]:
                problem = "its content no longer matches its hash: the event was changed after it was written"
            if problem:
                broken = BrokenLink(row["id"], row["at"], row["action"], row["summary"], problem)
                return Verification(count, previous_hash, broken)
            previous_hash, count = row["hash"], count + 1
    return Verification(count, previous_hash, None)
