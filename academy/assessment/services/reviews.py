"""Milestone reviews: the assessor records the meeting, the NQSW comments, both sign; then it is fixed.

What each step may do in each state is REVIEW_LIFECYCLE (assessment/states.py); the services add who may
do it and what must be filled in.

Signing the end-of-programme review completes the participant, and signing the last review of year 2
moves them to year 3 (academy.cohorts.lifecycle).
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from academy.accounts.models import User
from academy.assessment.models import Rating, Review, ReviewStatus
from academy.assessment.policies import can_comment_on_review, can_record_review
from academy.assessment.services.announcements import announce_review
from academy.assessment.states import AWAITING_SIGNATURE, REVIEW_LIFECYCLE
from academy.audit.services import record_audit
from academy.core import dates
from academy.core.db import now_utc
from academy.core.errors import DomainError, NotAllowed
from academy.core.locking import Loaded, check_unchanged
from academy.evidence.models import EvidenceEntry
from academy.evidence.states import VISIBLE_TO_STAFF
from academy.extensions import db
from academy.logs.models import ProtectedTimeLog, SupervisionSession
from academy.participants.lifecycle import advance_year, complete_participant, programme_length
from academy.participants.models import Milestone, Participant
from academy.programmes.models import MilestoneKind

# Milestones that are meetings with a review record (the panel is a decision, not a review).
REVIEW_KINDS = {
    MilestoneKind.AGREEMENT,
    MilestoneKind.REVIEW,
    MilestoneKind.FINAL_REVIEW,
    MilestoneKind.END_OF_PROGRAMME,
}
MAX_TEXT = 10_000


@dataclass
class ReviewRecord:
    """What the assessor writes about the meeting (the form of docs/product.md section 9)."""

    held_on: date | None
    attendees: str
    progress_summary: str
    on_track: bool | None
    actions: str
    interim_assessment: str
    previous_actions_progress: str = ""


def review_for(milestone: Milestone) -> Review | None:
    return db.session.scalar(sa.select(Review).where(Review.milestone_id == milestone.id))


def review_state(milestone: Milestone, review: Review | None, today: date | None = None) -> str:
    """ "signed", "held", "overdue" or "due": overdue is derived from the due date, never stored.

    "held" covers the signing steps: held, waiting for one signature or both.
    """
    if review is not None and review.status == ReviewStatus.SIGNED:
        return "signed"
    if review is not None and review.status in AWAITING_SIGNATURE:
        return "held"
    today = today or dates.today()
    return "overdue" if milestone.is_overdue(today) else "due"


def _snapshot(review: Review) -> dict:
    return {
        "status": review.status.value,
        "held_on": review.held_on.isoformat() if review.held_on else None,
        "on_track": review.on_track,
        "assessor_signed": review.assessor_signed_at is not None,
        "nqsw_signed": review.nqsw_signed_at is not None,
    }


# What the record form shows, by form field, in words for the message when someone else changed it first.
RECORD_LABELS = {
    "held_on": "the date it was held",
    "attendees": "who attended",
    "previous_actions_progress": "what happened to the previous actions",
    "progress_summary": "the progress summary",
    "on_track": "whether the NQSW is on track",
    "actions": "the actions",
    "interim_assessment": "the assessment",
    "comment": "the NQSW's comment",
}


def review_values(review: Review | None) -> dict:
    """The review as its record and comment forms show it (for the forms' fingerprint, academy.core.locking)."""
    if review is None:
        return dict.fromkeys(RECORD_LABELS)
    values = {name: getattr(review, name) for name in RECORD_LABELS if name != "comment"}
    return values | {"comment": review.nqsw_comment}


def _check_text(record: ReviewRecord) -> None:
    if record.held_on is None:
        raise DomainError("Enter the date the review was held.", field="held_on")
    if record.held_on > dates.today():
        raise DomainError("The review date must be today or in the past.", field="held_on")
    for name, message in (
        ("attendees", "List who attended the review."),
        ("progress_summary", "Summarise the progress made."),
        ("interim_assessment", "Write your assessment."),
    ):
        if not getattr(record, name).strip():
            raise DomainError(message, field=name)
    if record.on_track is None:
        raise DomainError("Say whether the NQSW is on track.", field="on_track")
    for name in ("attendees", "progress_summary", "actions", "interim_assessment", "previous_actions_progress"):
        if len(getattr(record, name)) > MAX_TEXT:
            raise DomainError(f"Keep this to {MAX_TEXT:,} characters or fewer.", field=name)


def record_review(milestone: Milestone, record: ReviewRecord, *, by: User, loaded: Loaded | None = None) -> Review:
    """The assessor records (or, until anyone signs, corrects) the review of `milestone`. `loaded`: what the
    form was opened on; a save over someone else's later change is refused (academy.core.locking)."""
    participant = milestone.participant
    if milestone.kind not in REVIEW_KINDS:
        raise DomainError(f"{milestone.title} is not a review meeting.")
    if not can_record_review(by, participant):
        if by.id == participant.user_id:
            raise NotAllowed("Nobody can review their own record.")
        raise NotAllowed(f"Only {participant.name}'s current assessor can record their reviews.")
    existing = review_for(milestone)
    check_unchanged(existing, loaded, review_values(existing), noun="review", labels=RECORD_LABELS)
    review = existing or Review(participant=participant, milestone=milestone, status=ReviewStatus.DUE)
    before = _snapshot(review) if review.id else None
    review.status = REVIEW_LIFECYCLE.check(review.status, "record")
    _check_text(record)
    previous = previous_review(milestone)
    if previous is not None and previous.actions and not record.previous_actions_progress.strip():
        raise DomainError(
            "Say what happened to each action agreed at the previous review.", field="previous_actions_progress"
        )
    review.previous_actions_progress = record.previous_actions_progress.strip()
    review.held_on = record.held_on
    review.attendees = record.attendees.strip()
    review.progress_summary = record.progress_summary.strip()
    review.on_track = record.on_track
    review.actions = record.actions.strip()
    review.interim_assessment = record.interim_assessment.strip()
    review.recorded_by_id = by.id
    db.session.add(review)
    record_audit(
        by,
        "review.recorded",
        review,
        summary=f"{milestone.title} recorded for {participant.name}",
        before=before,
        after=_snapshot(review),
    )
    announce_review(review, by=by)
    return review


def add_nqsw_comment(review: Review, comment: str, *, by: User, loaded: Loaded | None = None) -> Review:
    """The NQSW adds (or changes, until they sign) their comment on the review; refused when the review changed
    since the page was opened (`loaded`), so that nobody comments on a record they have not read."""
    if not can_comment_on_review(by, review):
        raise NotAllowed("Only the NQSW whose review it is can add the NQSW's comment.")
    REVIEW_LIFECYCLE.check(review.status, "comment")
    check_unchanged(review, loaded, review_values(review), noun="review", labels=RECORD_LABELS)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Enter your comment.", field="comment")
    if len(comment) > MAX_TEXT:
        raise DomainError(f"Keep your comment to {MAX_TEXT:,} characters or fewer.", field="comment")
    review.nqsw_comment = comment
    record_audit(by, "review.commented", review, summary=f"{review.milestone.title}: NQSW's comment added")
    return review


def sign_review(review: Review, *, by: User) -> Review:
    """The assessor or the NQSW signs; when both have, the review is signed and can never change."""
    participant = review.participant
    before = _snapshot(review)
    if can_comment_on_review(by, review):
        target = REVIEW_LIFECYCLE.check(review.status, "sign_nqsw")  # a comment is optional
        review.nqsw_signed_at = now_utc()
        who = "NQSW"
    elif can_record_review(by, participant):
        target = REVIEW_LIFECYCLE.check(review.status, "sign_assessor")
        review.assessor_signed_at = now_utc()
        review.assessor_signed_by_id = by.id
        who = "assessor"
    else:
        raise NotAllowed("Only the NQSW and their current assessor can sign this review.")
    review.status = target
    if review.status == ReviewStatus.SIGNED:
        review.milestone.completed_on = review.held_on
    record_audit(
        by,
        "review.signed",
        review,
        summary=f"{review.milestone.title} signed by the {who}",
        before=before,
        after=_snapshot(review),
    )
    announce_review(review, by=by)
    if review.status == ReviewStatus.SIGNED:
        _move_on(participant, review, by)
    return review


def _move_on(participant: Participant, review: Review, by: User) -> None:
    """The end-of-programme review completes the participant; the last review of year 2 moves them to year 3.

    (Year 1 ends at the moderation panel instead, see outcomes.py.)
    """

    milestone = review.milestone
    held_on = review.held_on or dates.today()  # a signed review always has its date; today is a fallback
    if milestone.kind == MilestoneKind.END_OF_PROGRAMME:
        complete_participant(participant, actor=by, on=held_on)
        return
    year = participant.programme_year
    last_of_year = max(
        (m for m in participant.milestones if m.programme_year == year and m.kind in REVIEW_KINDS),
        key=lambda m: m.months_due,
    )
    if 2 <= year < programme_length(participant) and milestone.id == last_of_year.id:
        advance_year(participant, actor=by, on=held_on)


def milestone_reviews(participant: Participant) -> list[tuple[Milestone, Review | None]]:
    """Each review milestone of the participant with its review record, if any, in due order."""
    reviews = {
        r.milestone_id: r for r in db.session.scalars(sa.select(Review).where(Review.participant_id == participant.id))
    }
    return [(m, reviews.get(m.id)) for m in participant.milestones if m.kind in REVIEW_KINDS]


def previous_review(milestone: Milestone) -> Review | None:
    """The latest review held before `milestone`'s, in the order the milestones fall due (None for the first)."""
    when = (milestone.programme_year, milestone.months_due)
    earlier = [
        m.id
        for m in milestone.participant.milestones
        if m.kind in REVIEW_KINDS and (m.programme_year, m.months_due) < when
    ]
    if not earlier:
        return None
    reviews = db.session.scalars(
        sa.select(Review).where(Review.milestone_id.in_(earlier), Review.status != ReviewStatus.DUE)
    ).all()
    return max(reviews, key=lambda r: (r.milestone.programme_year, r.milestone.months_due), default=None)


@dataclass
class SinceLastReview:
    """What happened between the previous review and now, for the assessor to build on."""

    previous: Review | None
    since: date | None  # the previous review's date; None: since the start
    ratings: list[Rating]
    evidence: list[EvidenceEntry]
    supervision_held: int
    supervision_cancelled: int
    protected_hours: float


def since_last_review(milestone: Milestone) -> SinceLastReview:
    """The previous review (its actions and plan) and the ratings, evidence, supervision and protected time since."""
    participant = milestone.participant
    previous = previous_review(milestone)
    since = (previous.held_on if previous is not None else None) or participant.start_date
    ratings = db.session.scalars(
        sa.select(Rating)
        .where(
            Rating.participant_id == participant.id,
            Rating.rated_at >= datetime.combine(since, time.min, tzinfo=dates.LONDON),
        )
        .order_by(Rating.id.desc())
    ).all()
    evidence = db.session.scalars(
        sa.select(EvidenceEntry)
        .where(
            EvidenceEntry.participant_id == participant.id,
            EvidenceEntry.status.in_(VISIBLE_TO_STAFF),
            EvidenceEntry.activity_date >= since,
        )
        .order_by(EvidenceEntry.activity_date.desc(), EvidenceEntry.id.desc())
    ).all()
    sessions = db.session.scalars(
        sa.select(SupervisionSession).where(
            SupervisionSession.participant_id == participant.id, SupervisionSession.held_on >= since
        )
    ).all()
    hours = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ProtectedTimeLog.hours), 0)).where(
            ProtectedTimeLog.participant_id == participant.id, ProtectedTimeLog.taken_on >= since
        )
    )
    return SinceLastReview(
        previous=previous,
        since=previous.held_on if previous is not None else None,
        ratings=list(ratings),
        evidence=list(evidence),
        supervision_held=sum(1 for s in sessions if s.was_held),
        supervision_cancelled=sum(1 for s in sessions if not s.was_held),
        protected_hours=float(hours or 0),
    )


def support_totals(participant: Participant) -> SinceLastReview:
    """Supervision and protected time over the whole programme so far (the panel's view of the support given)."""
    first = next((m for m in participant.milestones if m.kind in REVIEW_KINDS), None)
    totals = since_last_review(first) if first is not None else None
    if totals is None:
        return SinceLastReview(None, None, [], [], 0, 0, 0.0)
    return totals
