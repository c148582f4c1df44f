"""What is due or overdue for each person: counted on their home page, emailed by `academy remind`.

Each reminder has a stable key; ReminderLog records which keys went to whom on which day, so the
command can run as often as cron likes without sending the same reminder twice in a day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from academy.accounts.models import Role, User
from academy.assessment.models import Outcome, OutcomeStatus, ReminderLog, Review
from academy.assessment.services.evidence_review import evidence_queue
from academy.assessment.services.reviews import REVIEW_KINDS
from academy.assessment.states import AWAITING_SIGNATURE, still_to_sign
from academy.core import dates
from academy.core.mail import send_email
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.evidence.policies import can_review_evidence
from academy.extensions import db
from academy.participants.models import Assignment, AssignmentKind, Milestone, Participant, ParticipantStatus

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Reminder:
    key: str
    text: str
    url: str


def _review_url(milestone: Milestone) -> str:
    return url_for("assessment.review", participant_id=milestone.participant_id, milestone_id=milestone.id)


def open_review_milestones(
    participant_ids: sa.Select | list[int], on: date, *, within_days: int = DUE_SOON_DAYS
) -> list[tuple[Milestone, Review | None]]:
    """Review milestones of active participants, not yet signed, due within `within_days` or overdue."""
    rows = db.session.execute(
        sa.select(Milestone, Review)
        .join(Participant, Milestone.participant_id == Participant.id)
        .outerjoin(Review, Review.milestone_id == Milestone.id)
        .options(joinedload(Milestone.participant).joinedload(Participant.user))
        .where(
            Milestone.participant_id.in_(participant_ids),
            Participant.status == ParticipantStatus.ACTIVE,
            Milestone.programme_year <= Participant.programme_year,
            Milestone.kind.in_(REVIEW_KINDS),
            Milestone.completed_on.is_(None),
            Milestone.due_date.is_not(None),
            Milestone.due_date <= on + timedelta(days=within_days),
            # An optional milestone whose date has passed was skipped: it is not overdue.
            sa.or_(Milestone.is_optional.is_(False), Milestone.due_date >= on),
        )
        .order_by(Milestone.due_date)
    )
    return [(m, r) for m, r in rows]


def _when(milestone: Milestone, on: date) -> tuple[str, str]:
    due = milestone.due_date
    if due is None:  # on hold during an open-ended pause: never listed as due
        return "due", "has no due date while the programme is paused"
    if due < on:
        return "overdue", f"was due {due.day} {due:%B %Y}"
    return "due", f"is due {due.day} {due:%B %Y}"


def staff_reminders(user: User, on: date) -> list[Reminder]:
    """Evidence waiting for this person's decision and the reviews they must hold or sign."""
    items = [
        Reminder(
            f"evidence:{item.entry.id}",
            f"{item.entry.participant.name}'s evidence \u201c{item.entry.title}\u201d has waited "
            f"{item.age_days} day{'s' if item.age_days != 1 else ''} for review",
            url_for("assessment.evidence", entry_id=item.entry.id),
        )
        for item in evidence_queue(user, on)
        if can_review_evidence(user, item.entry)
    ]
    assessing = sa.select(Assignment.participant_id).where(
        Assignment.user_id == user.id,
        Assignment.kind == AssignmentKind.ASSESSOR,
        Assignment.starts_on <= on,
        sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
    )
    for milestone, review in open_review_milestones(assessing, on):
        if milestone.participant.user_id == user.id:
            continue
        if review is not None and review.status in AWAITING_SIGNATURE:
            if "assessor" in still_to_sign(review.status):
                text = f"{milestone.participant.name}'s {milestone.title} is waiting for your signature"
                items.append(Reminder(f"review-sign:{milestone.id}", text, _review_url(milestone)))
            continue
        state, when = _when(milestone, on)
        text = f"{milestone.participant.name}'s {milestone.title} {when}"
        items.append(Reminder(f"review-{state}:{milestone.id}", text, _review_url(milestone)))
    return items


def nqsw_reminders(user: User, on: date) -> list[Reminder]:
    """The NQSW's own reviews to attend, comment on or sign, and evidence returned to them."""
    own = sa.select(Participant.id).where(Participant.user_id == user.id)
    items = []
    for milestone, review in open_review_milestones(own, on):
        if review is not None and review.status in AWAITING_SIGNATURE:
            if "nqsw" in still_to_sign(review.status):
                text = f"Your {milestone.title} is waiting for your signature"
                items.append(Reminder(f"review-sign:{milestone.id}", text, _review_url(milestone)))
            continue
        state, when = _when(milestone, on)
        items.append(
            Reminder(f"review-{state}:{milestone.id}", f"Your {milestone.title} {when}", _review_url(milestone))
        )
    returned = db.session.scalars(
        sa.select(EvidenceEntry).where(
            EvidenceEntry.participant_id.in_(own), EvidenceEntry.status == EvidenceStatus.RETURNED
        )
    )
    for entry in returned:
        text = f"Your evidence \u201c{entry.title}\u201d was returned with feedback"
        items.append(Reminder(f"evidence-returned:{entry.id}", text, url_for("home.nqsw")))
    return items


def coordinator_reminders(user: User, on: date) -> list[Reminder]:
    """Recommendations waiting for the moderation panel."""
    pending = db.session.scalars(
        sa.select(Outcome)
        .options(joinedload(Outcome.participant).joinedload(Participant.user))
        .where(Outcome.status == OutcomeStatus.PENDING)
        .order_by(Outcome.recommended_at)
    )
    return [
        Reminder(
            f"panel:{outcome.id}",
            f"{outcome.participant.name}'s {outcome.recommendation.value.upper()} recommendation awaits the panel",
            url_for("assessment.decide", outcome_id=outcome.id),
        )
        for outcome in pending
        if outcome.participant.user_id != user.id
    ]


def reminders_for(user: User, on: date | None = None) -> list[Reminder]:
    """Everything due or overdue for `user` in each of their roles."""
    on = on or dates.today()
    items: list[Reminder] = []
    if user.has_role(Role.COORDINATOR):
        items += coordinator_reminders(user, on)
    if user.has_role(Role.MENTOR):
        items += staff_reminders(user, on)
    if user.has_role(Role.NQSW):
        items += nqsw_reminders(user, on)
    unique: dict[str, Reminder] = {}
    for item in items:
        unique.setdefault(item.key, item)
    return list(unique.values())


def send_reminders(on: date | None = None, base_url: str = "") -> tuple[int, int]:
    """Email each active person the reminders they have not had today; returns (people, reminders)."""
    on = on or dates.today()
    people = reminders_sent = 0
    for user in db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)):
        if not user.roles:
            continue
        already = set(
            db.session.scalars(
                sa.select(ReminderLog.key).where(ReminderLog.user_id == user.id, ReminderLog.sent_on == on)
            )
        )
        fresh = [item for item in reminders_for(user, on) if item.key not in already]
        if not fresh:
            continue
        lines = [f"- {item.text}: {base_url}{item.url}" for item in fresh]
        body = (
            f"Hello {user.name},\n\nThese things are due or overdue in the academy:\n\n"
            + "\n".join(lines)
            + "\n\nThis email is sent automatically; you will not get the same reminder again today.\n"
        )
        plural = "s" if len(fresh) != 1 else ""
        send_email(user.email, f"{len(fresh)} thing{plural} due or overdue", body)
        for item in fresh:
            db.session.add(ReminderLog(user_id=user.id, key=item.key, sent_on=on))
        db.session.flush()
        people += 1
        reminders_sent += len(fresh)
    return people, reminders_sent
