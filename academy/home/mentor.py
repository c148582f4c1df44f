"""What a mentor's or assessor's home page shows: their NQSWs, the evidence queue, reviews, who is at risk."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.assessment.evidence_review import evidence_queue
from academy.assessment.reminders import open_review_milestones
from academy.assessment.reviews import review_state
from academy.cohorts.models import Assignment, Milestone, Participant
from academy.core.dates import today
from academy.extensions import db
from academy.policies.evidence import can_review_evidence
from academy.retention.attention import needing_attention

REVIEWS_AHEAD_DAYS = 30  # reviews due within this many days are listed as coming up


def current_assignments(user: User, on: date | None = None) -> list[Assignment]:
    """The user's assignments in force today, with their participants loaded."""
    on = on or today()
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .join(Assignment.participant)
            .options(
                joinedload(Assignment.participant).joinedload(Participant.user),
                joinedload(Assignment.participant).joinedload(Participant.cohort),
            )
            .where(
                Assignment.user_id == user.id,
                Assignment.starts_on <= on,
                sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
            )
            .order_by(Participant.start_date)
        )
    )


@dataclass
class ReviewDue:
    milestone: Milestone
    state: str  # "due", "overdue" or "held" (waiting for signatures)


def reviews_due(participant_ids: sa.Select, on: date) -> list[ReviewDue]:
    """Unsigned reviews of the current programme year that are overdue or due within the next 30 days."""
    rows = open_review_milestones(participant_ids, on, within_days=REVIEWS_AHEAD_DAYS)
    return [ReviewDue(m, review_state(m, r, on)) for m, r in rows]


def _assigned_ids(user: User, on: date) -> sa.Select:
    return sa.select(Assignment.participant_id).where(
        Assignment.user_id == user.id,
        Assignment.starts_on <= on,
        sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
    )


def mentor_home(user: User) -> dict[str, Any]:
    on = today()
    assignments = current_assignments(user, on)
    queue = evidence_queue(user, on)
    assigned = _assigned_ids(user, on)
    reviews = reviews_due(assigned, on)
    return {
        "assignments": assignments,
        "queue": queue,
        "reviewable": {item.entry.id for item in queue if can_review_evidence(user, item.entry)},
        "reviews": reviews,
        # The same rules as the coordinator's list (product.md section 8), limited to their NQSWs.
        "at_risk": needing_attention(among=assigned, on=on),
    }


def render_mentor_home(**extra: Any) -> str:
    """The mentor home page, with `extra` context (for example a bulk-accept error)."""
    return render_template("home/mentor.html", **mentor_home(current_user), **extra)
