"""Lifecycle use cases: start, pause, resume, change FTE, leave, withdraw, move year, complete, fail.

Each checks the transitions table in states.py, writes one append-only StatusEvent and one audit event,
and re-derives milestone due dates where pauses or FTE change them. Services flush; callers commit.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from academy.accounts.models import User
from academy.audit.services import record_audit
from academy.core.errors import DomainError, InvalidTransition
from academy.extensions import db
from academy.participants.models import (
    LeavingDestination,
    Participant,
    ParticipantStatus,
    Pause,
    PauseReason,
    StatusEvent,
    StatusEventKind,
)
from academy.participants.services import recompute_due_dates
from academy.participants.states import PARTICIPANT_LIFECYCLE, VERBS


def check_transition(participant: Participant, action: str) -> ParticipantStatus:
    """The status `action` leads to; InvalidTransition, saying why, unless it is allowed in the current one."""
    return PARTICIPANT_LIFECYCLE.check(participant.status, action, name=participant.name)


def _not_before_start(participant: Participant, on: date, field: str) -> None:
    if on < participant.start_date:
        raise DomainError(
            f"The date must be on or after their start date, {participant.start_date:%d/%m/%Y}.", field=field
        )


def _event(participant: Participant, kind: StatusEventKind, on: date, actor: User | None, **fields) -> StatusEvent:
    event = StatusEvent(
        kind=kind,
        effective_on=on,
        from_status=participant.status.value,
        actor_id=actor.id if actor else None,
        **fields,
    )
    participant.status_events.append(event)
    return event


def _change_status(
    participant: Participant,
    action: str,
    kind: StatusEventKind,
    *,
    on: date,
    actor: User | None,
    audit_action: str,
    summary: str,
    **fields,
) -> StatusEvent:
    before = participant.status
    target = check_transition(participant, action)
    event = _event(participant, kind, on, actor, to_status=target.value, **fields)
    if target != before:
        participant.status = target
    record_audit(
        actor,
        audit_action,
        participant,
        summary=summary,
        before={"status": before.value},
        after={"status": participant.status.value, "on": on.isoformat(), **_plain(fields)},
    )
    return event


def _plain(fields: dict) -> dict:
    return {k: (str(v) if v is not None else None) for k, v in fields.items() if v not in ("", None)}


def activate(participant: Participant, *, actor: User | None, on: date) -> StatusEvent:
    """Record that an enrolled participant has started."""
    _not_before_start(participant, on, "on")
    return _change_status(
        participant,
        "activate",
        StatusEventKind.ACTIVATED,
        on=on,
        actor=actor,
        audit_action="participant.activated",
        summary=f"{participant.name} started the programme",
    )


def current_pause(participant: Participant) -> Pause | None:
    """The pause not yet ended, if any."""
    return next((p for p in participant.pauses if p.ended_on is None), None)


def pause(
    participant: Participant,
    *,
    actor: User | None,
    reason: PauseReason,
    starts_on: date,
    expected_end: date | None = None,
    note: str = "",
) -> Pause:
    """Pause the programme. Later due dates move by its length; with no expected end they are on hold."""
    check_transition(participant, "pause")
    _not_before_start(participant, starts_on, "starts_on")
    if expected_end is not None and expected_end <= starts_on:
        raise DomainError("The expected return date must be after the pause starts.", field="expected_end")
    last_end = max((p.ended_on for p in participant.pauses if p.ended_on), default=None)
    if last_end is not None and starts_on < last_end:
        raise DomainError("A pause cannot start before the previous pause ended.", field="starts_on")
    record = Pause(
        reason=reason,
        starts_on=starts_on,
        expected_end=expected_end,
        note=note.strip(),
        created_by_id=actor.id if actor else None,
    )
    participant.pauses.append(record)
    db.session.add(record)
    _change_status(
        participant,
        "pause",
        StatusEventKind.PAUSED,
        on=starts_on,
        actor=actor,
        audit_action="participant.paused",
        summary=f"{participant.name} paused ({reason.label.lower()})",
        reason=reason.value,
        note=note.strip(),
    )
    recompute_due_dates(participant)
    return record


def resume(participant: Participant, *, actor: User | None, on: date, note: str = "") -> Pause:
    """End the current pause on `on` (the first day back); later due dates move by its real length."""
    check_transition(participant, "resume")
    record = current_pause(participant)
    if record is None:  # a paused status always has an open pause; guard against hand-edited data
        raise InvalidTransition(f"{participant.name} cannot be resumed: no open pause is recorded.")
    if on <= record.starts_on:
        raise DomainError(
            f"The return date must be after the pause started on {record.starts_on:%d/%m/%Y}.", field="on"
        )
    record.ended_on = on
    _change_status(
        participant,
        "resume",
        StatusEventKind.RESUMED,
        on=on,
        actor=actor,
        audit_action="participant.resumed",
        summary=f"{participant.name} returned from a pause",
        note=note.strip(),
    )
    recompute_due_dates(participant)
    return record


def parse_fte(value: str | Decimal | float) -> Decimal:
    """An FTE between 0.1 and 1.0 as a two-place Decimal, or a DomainError saying what is wrong."""
    try:
        fte = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("Enter the FTE as a number from 0.1 to 1.0, like 0.6.", field="fte") from None
    if not fte.is_finite() or not Decimal("0.1") <= fte <= Decimal("1.0"):
        raise DomainError("FTE must be between 0.1 and 1.0.", field="fte")
    if fte != fte.quantize(Decimal("0.01")):
        raise DomainError("Give the FTE to at most two decimal places, like 0.75.", field="fte")
    return fte.quantize(Decimal("0.01"))


def change_fte(participant: Participant, fte: Decimal, *, actor: User | None, on: date, note: str = "") -> StatusEvent:
    """Record a new contracted FTE from `on`; the rest of the ASYE stretches or shrinks pro rata."""
    check_transition(participant, "change_fte")
    fte = parse_fte(fte)
    _not_before_start(participant, on, "on")
    before = participant.fte
    if fte == Decimal(before):
        raise DomainError(f"Their FTE is already {fte}.", field="fte")
    event = _event(
        participant,
        StatusEventKind.FTE_CHANGED,
        on,
        actor,
        to_status=participant.status.value,
        fte=fte,
        note=note.strip(),
    )
    participant.fte = fte
    record_audit(
        actor,
        "participant.fte_changed",
        participant,
        summary=f"{participant.name}'s FTE changed from {before} to {fte}",
        before={"fte": str(before)},
        after={"fte": str(fte), "on": on.isoformat()},
    )
    recompute_due_dates(participant)
    return event


def _end(
    participant: Participant,
    action: str,
    kind: StatusEventKind,
    *,
    actor: User | None,
    on: date,
    reason: str,
    destination: LeavingDestination,
    note: str,
) -> StatusEvent:
    check_transition(participant, action)
    if not reason.strip():
        raise DomainError("Enter the reason.", field="reason")
    _not_before_start(participant, on, "on")
    event = _change_status(
        participant,
        action,
        kind,
        on=on,
        actor=actor,
        audit_action=f"participant.{kind.value}",
        summary=f"{participant.name} {VERBS[action]} ({destination.label.lower()})",
        reason=reason.strip()[:200],
        destination=destination,
        note=note.strip(),
    )
    participant.ended_on = on
    open_pause = current_pause(participant)
    if open_pause is not None:
        open_pause.ended_on = max(on, open_pause.starts_on)
    return event


def leave(
    participant: Participant,
    *,
    actor: User | None,
    on: date,
    reason: str,
    destination: LeavingDestination = LeavingDestination.UNKNOWN,
    note: str = "",
) -> StatusEvent:
    """Record that the participant left employment on `on`, with where they went."""
    return _end(
        participant,
        "leave",
        StatusEventKind.LEFT,
        actor=actor,
        on=on,
        reason=reason,
        destination=destination,
        note=note,
    )


def withdraw(
    participant: Participant,
    *,
    actor: User | None,
    on: date,
    reason: str,
    destination: LeavingDestination = LeavingDestination.UNKNOWN,
    note: str = "",
) -> StatusEvent:
    """Withdraw the participant from the programme (they may stay employed)."""
    return _end(
        participant,
        "withdraw",
        StatusEventKind.WITHDRAWN,
        actor=actor,
        on=on,
        reason=reason,
        destination=destination,
        note=note,
    )


def programme_length(participant: Participant) -> int:
    """Years in the participant's programme (from the cohort's settings snapshot)."""
    return int(participant.cohort.settings.get("length_years", 3))


def advance_year(participant: Participant, *, actor: User | None, on: date) -> StatusEvent:
    """Move an active participant into the next programme year (after a confirmed ASYE pass, say)."""
    check_transition(participant, "advance_year")
    if participant.programme_year >= programme_length(participant):
        raise InvalidTransition(
            f"{participant.name} cannot be moved to the next programme year: "
            f"they are already in the final year ({participant.programme_year})."
        )
    before = participant.programme_year
    event = _event(
        participant,
        StatusEventKind.YEAR_CHANGED,
        on,
        actor,
        to_status=participant.status.value,
        programme_year=before + 1,
    )
    participant.programme_year = before + 1
    record_audit(
        actor,
        "participant.year_changed",
        participant,
        summary=f"{participant.name} moved to programme year {before + 1}",
        before={"programme_year": before},
        after={"programme_year": before + 1, "on": on.isoformat()},
    )
    return event


def complete_participant(participant: Participant, *, actor: User | None, on: date, note: str = "") -> StatusEvent:
    """Record that the participant completed the programme (final year only)."""
    check_transition(participant, "complete")
    if participant.programme_year < programme_length(participant):
        raise InvalidTransition(
            f"{participant.name} cannot be completed: they are in programme year {participant.programme_year} "
            f"of {programme_length(participant)}."
        )
    event = _change_status(
        participant,
        "complete",
        StatusEventKind.COMPLETED,
        on=on,
        actor=actor,
        audit_action="participant.completed",
        summary=f"{participant.name} completed the programme",
        note=note.strip(),
    )
    participant.ended_on = on
    return event


def fail_participant(participant: Participant, *, actor: User | None, on: date, note: str = "") -> StatusEvent:
    """Record a confirmed ASYE fail, which ends the programme (year 1 only)."""
    check_transition(participant, "fail")
    if participant.programme_year != 1:
        raise InvalidTransition(
            f"{participant.name} cannot be recorded as failing the ASYE: they are in programme year "
            f"{participant.programme_year}, after the ASYE."
        )
    event = _change_status(
        participant,
        "fail",
        StatusEventKind.FAILED,
        on=on,
        actor=actor,
        audit_action="participant.failed",
        summary=f"{participant.name}'s ASYE fail was confirmed",
        note=note.strip(),
    )
    participant.ended_on = on
    return event
