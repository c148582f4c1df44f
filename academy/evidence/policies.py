"""Who may see, write and review evidence entries and the logs of a participant's portfolio."""

from academy.accounts.models import User
from academy.accounts.policies import can_manage_academy
from academy.evidence.models import Attachment, EvidenceEntry, EvidenceStatus, EvidenceType
from academy.evidence.states import AWAITING_REVIEW, EDITABLE, VISIBLE_TO_STAFF
from academy.participants.models import AssignmentKind, Participant
from academy.participants.policies import assignment_kinds, is_own_record

# Types an assessor may enter on the NQSW's behalf (attributed to the assessor as author).
ON_BEHALF_TYPES = frozenset(
    {EvidenceType.DIRECT_OBSERVATION, EvidenceType.FEEDBACK_PERSON, EvidenceType.FEEDBACK_PROFESSIONAL}
)


def is_assessor(user: User, participant: Participant) -> bool:
    return AssignmentKind.ASSESSOR in assignment_kinds(user, participant)


def can_view_portfolio(user: User, participant: Participant) -> bool:
    """The NQSW, staff assigned today in any capacity, and coordinators (staff never see drafts)."""
    return is_own_record(user, participant) or can_manage_academy(user) or bool(assignment_kinds(user, participant))


def can_view_evidence(user: User, entry: EvidenceEntry) -> bool:
    """The NQSW sees all their entries; staff see submitted and decided ones, never drafts.

    An assessor sees the drafts they typed on the NQSW's behalf while assigned; a past assignee keeps
    read access to the entries they accepted and nothing else (policies/records.py).
    """
    if not user.is_authenticated:
        return False
    participant = entry.participant
    if is_own_record(user, participant):
        return True
    if can_view_portfolio(user, participant):
        return entry.author_id == user.id or entry.status in VISIBLE_TO_STAFF
    return signed_entry(user, entry)


def can_add_evidence(user: User, participant: Participant, type: EvidenceType | None = None) -> bool:
    """The NQSW adds their own evidence; their assessor adds observations and feedback for them."""
    if is_own_record(user, participant):
        return True
    if not is_assessor(user, participant):
        return False
    return type is None or type in ON_BEHALF_TYPES


def written_by_nqsw(entry: EvidenceEntry) -> bool:
    """The NQSW wrote the entry themselves (not an observation or feedback entered by their assessor, nor
    feedback given directly by someone outside the academy)."""
    return entry.author_id == entry.participant.user_id and not is_given_feedback(entry)


def is_given_feedback(entry: EvidenceEntry) -> bool:
    """Feedback given directly by someone outside the academy (a feedback link, or paper): nobody edits it."""
    return entry.given_by is not None


def can_edit_evidence(user: User, entry: EvidenceEntry) -> bool:
    """Only drafts and returned entries, and only by their author: the NQSW edits what they wrote; an
    entry the assessor wrote on their behalf (a direct observation) is edited by that assessor alone."""
    if entry.status not in EDITABLE or not user.is_authenticated or is_given_feedback(entry):
        return False
    if written_by_nqsw(entry):
        return is_own_record(user, entry.participant)
    return entry.author_id == user.id and is_assessor(user, entry.participant)


def can_reflect_on_evidence(user: User, entry: EvidenceEntry) -> bool:
    """The NQSW adds their reflection beside an entry someone else wrote, until it is accepted."""
    return (
        user.is_authenticated
        and is_own_record(user, entry.participant)
        and not written_by_nqsw(entry)
        and entry.status != EvidenceStatus.ACCEPTED
    )


def can_submit_evidence(user: User, entry: EvidenceEntry) -> bool:
    """Whoever may edit the entry; given feedback that was returned goes back (with a new reflection) by the NQSW."""
    if is_given_feedback(entry):
        return (
            entry.status == EvidenceStatus.RETURNED and user.is_authenticated and is_own_record(user, entry.participant)
        )
    return can_edit_evidence(user, entry)


def can_review_evidence(user: User, entry: EvidenceEntry) -> bool:
    """The participant's current assessor (any year), or their mentor in years 2-3; never the NQSW the
    entry is about. The assessor who wrote an observation on the NQSW's behalf reviews it like any other
    entry (otherwise nobody could). Applies to entries waiting for a decision."""
    if not user.is_authenticated or entry.status not in AWAITING_REVIEW:
        return False
    participant = entry.participant
    if is_own_record(user, participant):
        return False
    kinds = assignment_kinds(user, participant)
    if AssignmentKind.ASSESSOR in kinds:
        return True
    return AssignmentKind.MENTOR in kinds and participant.programme_year >= 2


def can_log_learning(user: User, participant: Participant) -> bool:
    """Only the NQSW keeps (and downloads) their learning and CPD log."""
    return is_own_record(user, participant)


def can_view_attachment(user: User, attachment: Attachment) -> bool:
    """Whoever may read the entry may download its files."""
    return can_view_evidence(user, attachment.entry)


def can_change_attachment(user: User, attachment: Attachment) -> bool:
    """Whoever may change the entry may remove its files."""
    return can_edit_evidence(user, attachment.entry)


def signed_entry(user: User, entry: EvidenceEntry) -> bool:
    """The user accepted this entry (accepted entries never change, so nothing in it is newer)."""
    return user.is_authenticated and entry.status == EvidenceStatus.ACCEPTED and entry.decided_by_id == user.id
