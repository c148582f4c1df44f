"""Writing audit events. Every change of state that matters goes through record_audit; every event is
appended to the hash chain (chain.py) as it is written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from academy.audit.chain import chain, reserve
from academy.audit.models import AuditEvent
from academy.core.db import now_utc
from academy.extensions import db

if TYPE_CHECKING:
    from academy.accounts.models import User


def record_audit(
    actor: User | None,
    action: str,
    subject: Any,
    *,
    summary: str = "",
    participant_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event for `action` on `subject`; flushed with the caller's transaction."""
    db.session.flush()  # the subject needs its id, and an event added before this one goes first
    if participant_id is None:
        participant_id = (
            subject.id if type(subject).__name__ == "Participant" else getattr(subject, "participant_id", None)
        )
    row = audit_row(
        actor,
        action,
        type(subject).__name__,
        getattr(subject, "id", None),
        participant_id=participant_id,
        summary=summary,
        before=before,
        after=after,
    )
    chain([row], *reserve(1))
    event = AuditEvent(**row)
    db.session.add(event)  # flushed by the next event at the latest, which links to it
    return event


def audit_row(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    *,
    participant_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of one audit event, for record_audit and for bulk writers (record_audit_rows)."""
    return {
        "at": at or now_utc(),
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "participant_id": participant_id,
        "summary": summary,
        "before": before,
        "after": after,
    }


def record_audit_rows(rows: list[dict[str, Any]]) -> None:
    """Write many audit events (made with audit_row) in one statement: for bulk use cases such as imports.
    The chain is computed in Python in one pass."""
    if rows:
        db.session.flush()  # an event added before these goes first in the chain
        chain(rows, *reserve(len(rows)))
        db.session.execute(sa.insert(AuditEvent), rows)
