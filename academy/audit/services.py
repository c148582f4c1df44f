"""Writing audit events. Every change of state that matters goes through record_audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    db.session.flush()  # the subject needs its id
    if participant_id is None:
        participant_id = (
            subject.id if type(subject).__name__ == "Participant" else getattr(subject, "participant_id", None)
        )
    event = AuditEvent(
        at=now_utc(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=type(subject).__name__,
        subject_id=getattr(subject, "id", None),
        participant_id=participant_id,
        summary=summary,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event
