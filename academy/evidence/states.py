"""The evidence entry lifecycle: draft -> submitted -> accepted | returned -> resubmitted -> ..."""

from academy.core.states import StateMachine
from academy.evidence.models import EvidenceStatus

S = EvidenceStatus

# Every change the product allows, and nothing else. Submitting a returned entry resubmits it;
# editing changes the entry, not its status.
TRANSITIONS: dict[tuple[EvidenceStatus, str], EvidenceStatus] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.RETURNED, "edit"): S.RETURNED,
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "submit"): S.RESUBMITTED,
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.RESUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.RESUBMITTED, "return"): S.RETURNED,
}

# What a refusal says about an entry in a status the action is not allowed from.
_REFUSED = {
    "edit": "is read-only",
    "submit": "cannot be submitted",
    "accept": "cannot be accepted",
    "return": "cannot be returned",
}

EVIDENCE_LIFECYCLE: StateMachine[EvidenceStatus] = StateMachine(
    states=tuple(S),
    transitions=TRANSITIONS,
    refusals={
        (status, action): f"A {status.label.lower()} entry {refused}."
        for action, refused in _REFUSED.items()
        for status in S
        if (status, action) not in TRANSITIONS
    },
    field="status",
)

# The NQSW (or the entry's author) may change an entry only in these states.
EDITABLE = EVIDENCE_LIFECYCLE.states_allowing("edit")
# Waiting for the assessor's decision.
AWAITING_REVIEW = EVIDENCE_LIFECYCLE.states_allowing("accept", "return")
# Seen by assigned staff: everything but drafts.
VISIBLE_TO_STAFF = frozenset(S) - {S.DRAFT}
