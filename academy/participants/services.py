"""Participant use cases: milestones and their due dates, staff assignments. Each flushes; the caller commits."""

from datetime import date, timedelta

from academy.accounts.models import Role, User
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.errors import DomainError
from academy.extensions import db
from academy.participants import schedule
from academy.participants.announcements import announce_assignment
from academy.participants.models import (
    Assignment,
    AssignmentKind,
    Participant,
    StatusEventKind,
)
from academy.programmes.models import MilestoneKind


def _schedule_inputs(participant: Participant) -> dict:
    """The pauses and FTE history of a participant, in the shape the schedule module wants."""
    # An ongoing pause with an expected return date projects from that date; with none, the later
    # due dates are unknown ("on hold") until the participant returns.
    pauses = [schedule.Pause(p.starts_on, p.ended_on or p.expected_end) for p in participant.pauses]
    changes = [
        schedule.FteChange(e.effective_on, float(e.fte))
        for e in participant.status_events
        if e.kind == StatusEventKind.FTE_CHANGED and e.fte is not None
    ]
    first_fte = next(
        (float(e.fte) for e in participant.status_events if e.kind == StatusEventKind.ENROLLED and e.fte),
        float(participant.fte),
    )
    return {
        "pauses": pauses,
        "fte_changes": changes,
        "initial_fte": first_fte,
        "asye_months": participant.cohort.settings.get("asye_months", 12),
    }


def recompute_due_dates(participant: Participant) -> None:
    """Re-derive every milestone's due date from the start date, pauses and FTE history."""
    offsets = [m.months_due for m in participant.milestones]
    dates = schedule.due_dates(participant.start_date, offsets, **_schedule_inputs(participant))
    for milestone in participant.milestones:
        milestone.due_date = dates[milestone.months_due]


def milestone_row(participant_id: int, template: dict, due_date: date) -> dict:
    """The columns of one milestone made from a cohort's milestone settings (for bulk writes)."""
    return {
        "participant_id": participant_id,
        "code": template["code"],
        "title": template["title"],
        "kind": MilestoneKind(template["kind"]),
        "programme_year": template["programme_year"],
        "months_due": template["months_due"],
        "is_optional": template["is_optional"],
        "needs_critical_reflection": template["needs_critical_reflection"],
        "due_date": due_date,
    }


def check_assignable(staff: User, participant_user_id: int) -> None:
    """Only staff with the mentor role are assigned, and never to their own record."""
    if not staff.has_role(Role.MENTOR):
        raise DomainError(f"{staff.email} does not have the mentor role, so cannot be assigned.", field="user")
    if staff.id == participant_user_id:
        raise DomainError("Nobody can be assigned to their own record.", field="user")


def current_assignment(participant: Participant, kind: AssignmentKind, on: date | None = None) -> Assignment | None:
    """The assignment of `kind` in force on `on` (today by default)."""
    on = on or dates.today()
    return next((a for a in participant.assignments if a.kind == kind and a.is_current(on)), None)


def assign_staff(
    participant: Participant,
    staff: User,
    kind: AssignmentKind,
    *,
    starts_on: date,
    actor: User | None,
    handover_note: str = "",
) -> Assignment:
    """Assign `staff` to `participant` as `kind` from `starts_on`, ending whoever held it before."""
    check_assignable(staff, participant.user_id)
    previous = current_assignment(participant, kind, on=starts_on)
    if previous is not None and previous.user_id == staff.id:
        return previous
    if previous is not None:
        if kind == AssignmentKind.ASSESSOR and not handover_note.strip():
            raise DomainError("A change of assessor needs a handover note.", field="handover_note")
        if starts_on <= previous.starts_on:
            raise DomainError("The new assignment must start after the current one started.", field="starts_on")
        previous.ends_on = starts_on - timedelta(days=1)
    assignment = Assignment(
        participant=participant,
        user=staff,
        kind=kind,
        starts_on=starts_on,
        handover_note=handover_note.strip(),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(assignment)
    record_audit(
        actor,
        "assignment.created",
        assignment,
        participant_id=participant.id,
        summary=f"{staff.name} assigned as {kind.label.lower()} to {participant.name}",
        before={"user": previous.user.email} if previous else None,
        after={"user": staff.email, "kind": kind.value, "starts_on": starts_on.isoformat()},
    )
    announce_assignment(assignment, by=actor)
    return assignment
