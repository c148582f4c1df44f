"""The evidence entry lifecycle: draft -> submitted -> accepted | returned -> resubmitted -> ..."""

from academy.core.errors import InvalidTransition
from academy.evidence.models import EvidenceStatus

S = EvidenceStatus

# Every change of status the product allows, and nothing else.
TRANSITIONS: dict[EvidenceStatus, frozenset[EvidenceStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.RETURNED}),
    S.RETURNED: frozenset({S.RESUBMITTED}),
    S.RESUBMITTED: frozenset({S.ACCEPTED, S.RETURNED}),
    S.ACCEPTED: frozenset(),
}

# The NQSW (or the entry's author) may change an entry only in these states.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Waiting for the assessor's decision.
AWAITING_REVIEW = frozenset({S.SUBMITTED, S.RESUBMITTED})
# Seen by assigned staff: everything but drafts.
VISIBLE_TO_STAFF = frozenset({S.SUBMITTED, S.ACCEPTED, S.RETURNED, S.RESUBMITTED})

_VERBS = {
    S.SUBMITTED: "submitted",
    S.RESUBMITTED: "resubmitted",
    S.ACCEPTED: "accepted",
    S.RETURNED: "returned",
}


def can_transition(current: EvidenceStatus, target: EvidenceStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: EvidenceStatus, target: EvidenceStatus) -> None:
    """Raise InvalidTransition, in plain words, unless `current -> target` is allowed."""
    if can_transition(current, target):
        return
    verb = _VERBS.get(target, target.value)
    raise InvalidTransition(f"A {current.label.lower()} entry cannot be {verb}.", field="status")


def submission_target(current: EvidenceStatus) -> EvidenceStatus:
    """Submitting a draft makes it submitted; submitting a returned entry makes it resubmitted."""
    return S.RESUBMITTED if current == S.RETURNED else S.SUBMITTED
