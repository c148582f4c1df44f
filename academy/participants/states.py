"""The participant lifecycle: which action may happen in which status, and what it leads to."""

from academy.core.states import StateMachine
from academy.participants.models import ParticipantStatus as S

CURRENT = frozenset({S.ENROLLED, S.ACTIVE, S.PAUSED})

# action: (the verb for messages, the statuses it is allowed from, the status it leads to; None keeps it)
ACTIONS: dict[str, tuple[str, frozenset[S], S | None]] = {
    "activate": ("started", frozenset({S.ENROLLED}), S.ACTIVE),
    "pause": ("paused", frozenset({S.ACTIVE}), S.PAUSED),
    "resume": ("resumed", frozenset({S.PAUSED}), S.ACTIVE),
    "change_fte": ("given a new FTE", CURRENT, None),
    "leave": ("recorded as leaving", CURRENT, S.LEFT),
    "withdraw": ("withdrawn", CURRENT, S.WITHDRAWN),
    "advance_year": ("moved to the next programme year", frozenset({S.ACTIVE}), None),
    "complete": ("completed", frozenset({S.ACTIVE}), S.COMPLETED),
    "fail": ("recorded as failing the ASYE", frozenset({S.ACTIVE}), S.FAILED),
}
VERBS = {action: verb for action, (verb, _, _) in ACTIONS.items()}

# Why an action is refused from a status, where a plainer reason than "not allowed" helps.
REASONS: dict[tuple[str, S], str] = {
    ("pause", S.PAUSED): "they are already paused",
    ("pause", S.ENROLLED): "they have not started yet; change their start date or record them as started first",
    ("resume", S.ACTIVE): "they are not paused",
    ("resume", S.ENROLLED): "they are not paused",
    ("activate", S.ACTIVE): "they have already started",
    ("activate", S.PAUSED): "they have already started (they are paused: resume them instead)",
    ("advance_year", S.PAUSED): "they are paused; resume them first",
    ("complete", S.PAUSED): "they are paused; resume them first",
    ("fail", S.PAUSED): "they are paused; resume them first",
}


def _reason(action: str, status: S) -> str:
    if (action, status) in REASONS:
        return REASONS[(action, status)]
    if status not in CURRENT:
        return f"they are {status.label.lower()} and their record is closed"
    return f"that is not possible while they are {status.label.lower()}"


# Refusals name the participant: check(status, action, name=participant.name).
PARTICIPANT_LIFECYCLE: StateMachine[S] = StateMachine(
    states=tuple(S),
    transitions={
        (status, action): target or status
        for action, (_, sources, target) in ACTIONS.items()
        for status in S
        if status in sources
    },
    refusals={
        (status, action): f"{{name}} cannot be {verb}: {_reason(action, status)}."
        for action, (verb, sources, _) in ACTIONS.items()
        for status in S
        if status not in sources
    },
)


def allowed_actions(status: S) -> list[str]:
    """The actions open to a participant in `status`, in table order."""
    return PARTICIPANT_LIFECYCLE.allowed(status)
