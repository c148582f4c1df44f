"""Building retention fixtures straight from the models (status timeline events included)."""

from datetime import date

from academy.extensions import db
from academy.participants.models import LeavingDestination, Participant, ParticipantStatus, StatusEvent, StatusEventKind


def event(participant: Participant, kind: StatusEventKind, on: date, **fields) -> StatusEvent:
    row = StatusEvent(participant=participant, kind=kind, effective_on=on, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def leave(
    participant: Participant,
    on: date,
    destination: LeavingDestination | None = None,
    reason: str = "",
    kind: StatusEventKind = StatusEventKind.LEFT,
) -> StatusEvent:
    """What the lifecycle service does when someone leaves: the status, ended_on and a timeline event."""
    participant.status = ParticipantStatus(kind.value)
    participant.ended_on = on
    return event(participant, kind, on, destination=destination, reason=reason, to_status=kind.value)
