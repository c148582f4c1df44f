"""The assessor's side of the portfolio: the queue, accept-and-rate in one step, bulk accept, return.

Accepting and returning are the portfolio's services (academy.evidence.services); this module adds
the ratings of the entry's linked elements, each its own row in the rating log.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from academy.accounts.models import User
from academy.assessment.policies import can_rate
from academy.assessment.services.ratings import current_ratings, default_value, record_rating
from academy.core import dates
from academy.core.dates import LONDON
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.evidence.services import accept_evidence
from academy.evidence.states import AWAITING_REVIEW
from academy.extensions import db
from academy.participants.models import Assignment, Participant

SKIP = "skip"  # the form value for "accept without rating this element"


def default_ratings(entry: EvidenceEntry) -> dict[int, int]:
    """element id -> the value preselected for each linked element (its current rating, or "meeting")."""
    current = current_ratings(entry.participant)
    return {link.element_id: default_value(entry.participant, link.element_id, current) for link in entry.links}


def accept_and_rate(
    entry: EvidenceEntry, *, by: User, ratings: Mapping[int, int | str] | None = None, comment: str = ""
) -> EvidenceEntry:
    """Accept `entry` and rate each linked element (defaults where `ratings` is silent; SKIP leaves one unrated)."""
    participant = entry.participant
    wanted: dict[int, int | str] = dict(default_ratings(entry))
    for element_id, value in (ratings or {}).items():
        if int(element_id) not in wanted:
            raise DomainError("Rate only the elements this entry is linked to.", field="ratings")
        wanted[int(element_id)] = value
    to_rate = {eid: int(v) for eid, v in wanted.items() if v != SKIP}
    if to_rate and not can_rate(by, participant):
        raise NotAllowed(f"You cannot rate {participant.name}'s work.")
    accept_evidence(entry, by=by, comment=comment)
    links = {link.element_id: link for link in entry.links}
    for element_id in sorted(to_rate):
        record_rating(participant, links[element_id].element, to_rate[element_id], by=by, evidence_entry=entry)
    return entry


def bulk_accept(entries: Iterable[EvidenceEntry], *, by: User) -> list[EvidenceEntry]:
    """Accept several entries with their default ratings: the same rows as accepting each one in turn."""
    entries = sorted(entries, key=lambda e: (e.submitted_at is None, e.submitted_at, e.id))
    if not entries:
        raise DomainError("Choose at least one entry to accept.", field="entries")
    for entry in entries:
        accept_and_rate(entry, by=by)
        db.session.flush()  # the next entry's defaults see this one's ratings
    return entries


@dataclass
class QueueItem:
    entry: EvidenceEntry
    age_days: int


def evidence_queue(user: User, on: date | None = None) -> list[QueueItem]:
    """Submitted and resubmitted entries of the participants assigned to `user` today, oldest first."""
    on = on or dates.today()
    assigned = sa.select(Assignment.participant_id).where(
        Assignment.user_id == user.id,
        Assignment.starts_on <= on,
        sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on),
    )
    entries = db.session.scalars(
        sa.select(EvidenceEntry)
        .options(
            joinedload(EvidenceEntry.participant).joinedload(Participant.user),
            selectinload(EvidenceEntry.links).joinedload(EvidenceLink.element),
        )
        .where(
            EvidenceEntry.participant_id.in_(assigned),
            EvidenceEntry.status.in_(AWAITING_REVIEW),
            EvidenceEntry.participant_id.not_in(sa.select(Participant.id).where(Participant.user_id == user.id)),
        )
        .order_by(EvidenceEntry.submitted_at, EvidenceEntry.id)
    )
    return [QueueItem(e, (on - submitted_on(e)).days) for e in entries]


def submitted_on(entry: EvidenceEntry) -> date:
    """The UK date the entry was (re)submitted."""
    return entry.submitted_at.astimezone(LONDON).date() if entry.submitted_at else entry.created_at.date()
