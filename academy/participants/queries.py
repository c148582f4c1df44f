"""Loading participants and cohorts for views, with the permission check in the same step."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from academy.accounts.queries import _staff_choices
from academy.core.dates import today
from academy.core.web import get_or_404, require
from academy.extensions import db
from academy.participants.models import Assignment, AssignmentKind, Participant, ParticipantStatus
from academy.participants.policies import can_view_participant


def load_participant(participant_id: int) -> Participant:
    """The participant with this id, or 404. Use with `requires(rule, load=load_participant)`."""
    return get_or_404(Participant, participant_id)


def get_participant_for_view(participant_id: int) -> Participant:
    """Load a participant the signed-in user may see, or 404/403."""
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    require(can_view_participant(current_user, participant))
    return participant


def staff_workload(on: date | None = None) -> dict[int, dict[AssignmentKind, int]]:
    """How many NQSWs on the programme each member of staff holds, by kind: assignments not ended by `on`
    (those starting later included) of participants still on the programme."""
    on = on or today()
    rows = db.session.execute(
        sa.select(Assignment.user_id, Assignment.kind, sa.func.count(sa.distinct(Assignment.participant_id)))
        .join(Participant, Participant.id == Assignment.participant_id)
        .where(
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
            Participant.status.in_([s for s in ParticipantStatus if s.is_current]),
        )
        .group_by(Assignment.user_id, Assignment.kind)
    ).all()
    workload: dict[int, dict[AssignmentKind, int]] = {}
    for user_id, kind, count in rows:
        workload.setdefault(user_id, {})[kind] = count
    return workload


def workload_words(held: dict[AssignmentKind, int]) -> str:
    """ "assessor for 3 NQSWs, mentor for 1", or "no NQSWs yet"."""
    counts = [(kind, held[kind]) for kind in AssignmentKind if held.get(kind)]
    if not counts:
        return "no NQSWs yet"
    parts = [f"{kind.label.lower()} for {count}" for kind, count in counts]
    parts[0] += " NQSW" if counts[0][1] == 1 else " NQSWs"
    return ", ".join(parts)


def staff_choices(blank: str) -> list[tuple[int, str]]:
    """Active staff for an assignment or enrolment select, each with how many NQSWs they already hold."""
    workload = staff_workload()
    return _staff_choices(blank, lambda user_id: workload_words(workload.get(user_id, {})))


def participations(user_ids: list[int]) -> dict[int, list[Participant]]:
    """Each account's enrolments (with their cohorts), newest first, for the people pages."""
    found: dict[int, list[Participant]] = {}
    if not user_ids:
        return found
    rows = db.session.scalars(
        sa.select(Participant).where(Participant.user_id.in_(user_ids)).order_by(Participant.start_date.desc())
    ).all()
    for participant in rows:
        found.setdefault(participant.user_id, []).append(participant)
    return found
