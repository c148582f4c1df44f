"""The assessor's side of the portfolio: the queue, accept-and-rate in one step, bulk accept, return.

No rating is ever invented: accepting asks for each linked element's rating (or "do not rate now"), and
bulk accept accepts without rating, leaving the ratings to the rating grid.

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
from academy.assessment.services.ratings import element_name, record_rating
from academy.core import dates
from academy.core.dates import LONDON
from academy.core.errors import DomainError, NotAllowed
from academy.evidence.models import EvidenceEntry, EvidenceLink
from academy.evidence.services import accept_evidence
from academy.evidence.states import AWAITING_REVIEW
from academy.extensions import db
from academy.participants.models import Assignment, Participant

SKIP = "skip"  # the form value for "accept without rating this element"


def accept_and_rate(
    entry: EvidenceEntry, *, by: User, ratings: Mapping[int, int | str | None] | None = None, comment: str = ""
) -> EvidenceEntry:
    """Accept `entry` and rate each linked element with the value the reviewer chose.

    `ratings` answers every linked element: a value on the scale, or SKIP to leave it unrated. Nothing is
    rated by default: an element without an answer is refused, so a rating exists only when chosen.
    """
    participant = entry.participant
    links = {link.element_id: link for link in entry.links}
    answers = {int(element_id): value for element_id, value in (ratings or {}).items()}
    if set(answers) - set(links):
        raise DomainError("Rate only the elements this entry is linked to.", field="ratings")
    for element_id, link in sorted(links.items(), key=lambda item: item[1].element.sort_order):
        if answers.get(element_id) in (None, ""):
            raise DomainError(
                f"Choose a rating for {element_name(link.element)}, or \u201cDo not rate now\u201d.",
                field=f"rating_{element_id}",
            )
    to_rate = {eid: v for eid, v in answers.items() if v != SKIP}
    if to_rate and not can_rate(by, participant):
        raise NotAllowed(f"You cannot rate {participant.name}'s work.")
    accept_evidence(entry, by=by, comment=comment)
    for element_id in sorted(to_rate, key=lambda eid: links[eid].element.sort_order):
        record_rating(participant, links[element_id].element, to_rate[element_id], by=by, evidence_entry=entry)
    return entry


def bulk_accept(entries: Iterable[EvidenceEntry], *, by: User) -> list[EvidenceEntry]:
    """Accept several entries without rating anything: ratings are chosen afterwards, on the rating grid."""
    entries = sorted(entries, key=lambda e: (e.submitted_at is None, e.submitted_at, e.id))
    if not entries:
        raise DomainError("Choose at least one entry to accept.", field="entries")
    for entry in entries:
        accept_evidence(entry, by=by)
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
