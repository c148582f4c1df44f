"""Telling the next person when evidence changes hands: submitted to its reviewers, decided to the NQSW."""

from academy.accounts.models import User
from academy.evidence.models import EvidenceEntry, EvidenceStatus
from academy.notifications.models import NotificationKind
from academy.notifications.services import notify
from academy.participants.models import AssignmentKind
from academy.participants.services import current_assignment


def reviewers(entry: EvidenceEntry) -> list[User]:
    """Who may decide on the entry now: the assessor, and the mentor in years 2 and 3 (policies.can_review_evidence)."""
    participant = entry.participant
    kinds = [AssignmentKind.ASSESSOR] + ([AssignmentKind.MENTOR] if participant.programme_year >= 2 else [])
    found = [current_assignment(participant, kind) for kind in kinds]
    return [a.user for a in found if a is not None and a.user_id not in {entry.author_id, participant.user_id}]


def announce_submitted(entry: EvidenceEntry, *, by: User) -> None:
    again = " again" if entry.status == EvidenceStatus.RESUBMITTED else ""
    notify(
        reviewers(entry),
        NotificationKind.EVIDENCE_SUBMITTED,
        f"{entry.participant.name} submitted “{entry.title}”{again} for you to review.",
        "assessment.evidence",
        by=by,
        entry_id=entry.id,
    )


def announce_decided(entry: EvidenceEntry, *, by: User) -> None:
    if entry.status == EvidenceStatus.ACCEPTED:
        text = f"{by.name} accepted your evidence “{entry.title}”."
    else:
        text = f"{by.name} returned your evidence “{entry.title}” for you to change."
    notify(
        [entry.participant.user], NotificationKind.EVIDENCE_DECIDED, text, "evidence.entry", by=by, entry_id=entry.id
    )
