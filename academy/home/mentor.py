"""What a mentor's or assessor's home page shows: their NQSWs, the evidence queue, reviews, who is at risk."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from academy.accounts.models import User
from academy.assessment.models import Rating, Review
from academy.assessment.policies import can_record_review, former_participant_ids
from academy.assessment.services.evidence_review import evidence_queue
from academy.assessment.services.ratings import rating_label
from academy.assessment.services.reviews import review_state
from academy.core.dates import today
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.evidence.policies import can_review_evidence
from academy.extensions import db
from academy.home.reminders import open_review_milestones
from academy.participants.models import Assignment, Milestone, Participant
from academy.participants.policies import assigned_participant_ids
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


def mentor_home(user: User) -> dict[str, Any]:
    on = today()
    assignments = current_assignments(user, on)
    # Only what this person can act on: entries they may decide, reviews they hold as assessor.
    queue = [item for item in evidence_queue(user, on) if can_review_evidence(user, item.entry)]
    assigned = assigned_participant_ids(user, on)
    reviews = [r for r in reviews_due(assigned, on) if can_record_review(user, r.milestone.participant)]
    return {
        "assignments": assignments,
        "queue": queue,
        "reviewable": {item.entry.id for item in queue if can_review_evidence(user, item.entry)},
        "reviews": reviews,
        # The same rules as the coordinator's list (docs/product.md section 10), limited to their NQSWs.
        "at_risk": needing_attention(among=assigned, on=on),
        "has_signed_records": bool(db.session.scalar(sa.select(former_participant_ids(user, on).exists()))),
    }


@dataclass
class SignedRecords:
    """What a past assignee signed for one NQSW they are no longer assigned to."""

    participant: Participant
    entries: list[EvidenceEntry]
    reviews: list[Review]
    ratings: list[tuple[Rating, str]]  # (rating, its label on the cohort's scale)


def signed_records(user: User, on: date | None = None) -> list[SignedRecords]:
    """Entries the user accepted, reviews they signed and ratings they gave, for NQSWs no longer theirs.

    The same rule as policies/records.py: records they signed, nothing newer, nothing else.
    """
    former = former_participant_ids(user, on)
    entries = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(
            EvidenceEntry.participant_id.in_(former),
            EvidenceEntry.decided_by_id == user.id,
            EvidenceEntry.status == EvidenceStatus.ACCEPTED,
        )
        .order_by(EvidenceEntry.decided_at.desc())
    )
    reviews = db.session.scalars(
        sa.select(Review)
        .where(Review.participant_id.in_(former), Review.assessor_signed_by_id == user.id)
        .order_by(Review.assessor_signed_at.desc())
    )
    ratings = db.session.scalars(
        sa.select(Rating)
        .options(joinedload(Rating.element))
        .where(Rating.participant_id.in_(former), Rating.rated_by_id == user.id)
        .order_by(Rating.rated_at.desc(), Rating.id.desc())
    )
    groups: dict[int, SignedRecords] = {}

    def group(participant_id: int) -> SignedRecords:
        if participant_id not in groups:
            groups[participant_id] = SignedRecords(db.session.get_one(Participant, participant_id), [], [], [])
        return groups[participant_id]

    for entry in entries:
        group(entry.participant_id).entries.append(entry)
    for review in reviews:
        group(review.participant_id).reviews.append(review)
    for rating in ratings:
        records = group(rating.participant_id)
        records.ratings.append((rating, rating_label(records.participant.cohort, rating.value)))
    return sorted(groups.values(), key=lambda records: records.participant.name)


def render_mentor_home(**extra: Any) -> str:
    """The mentor home page, with `extra` context (for example a bulk-accept error)."""
    return render_template("home/mentor.html", **mentor_home(current_user), **extra)
