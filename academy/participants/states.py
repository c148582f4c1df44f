"""The participant lifecycle: which action may happen in which status, and what it leads to."""

from dataclasses import dataclass

from academy.participants.models import ParticipantStatus as S


@dataclass(frozen=True)
class Transition:
    """An action allowed from `sources`, leading to `target` (None: the status does not change)."""

    verb: str  # for messages: "paused", "resumed"...
    sources: frozenset[S]
    target: S | None


CURRENT = frozenset({S.ENROLLED, S.ACTIVE, S.PAUSED})

TRANSITIONS: dict[str, Transition] = {
    "activate": Transition("started", frozenset({S.ENROLLED}), S.ACTIVE),
    "pause": Transition("paused", frozenset({S.ACTIVE}), S.PAUSED),
    "resume": Transition("resumed", frozenset({S.PAUSED}), S.ACTIVE),
    "change_fte": Transition("given a new FTE", CURRENT, None),
    "leave": Transition("recorded as leaving", CURRENT, S.LEFT),
    "withdraw": Transition("withdrawn", CURRENT, S.WITHDRAWN),
    "advance_year": Transition("moved to the next programme year", frozenset({S.ACTIVE}), None),
    "complete": Transition("completed", frozenset({S.ACTIVE}), S.COMPLETED),
    "fail": Transition("recorded as failing the ASYE", frozenset({S.ACTIVE}), S.FAILED),
}

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


def refusal(action: str, status: S) -> str | None:
    """None when `action` is allowed from `status`, else the reason it is not."""
    transition = TRANSITIONS[action]
    if status in transition.sources:
        return None
    if (action, status) in REASONS:
        return REASONS[(action, status)]
    if status not in CURRENT:
        return f"they are {status.label.lower()} and their record is closed"
    return f"that is not possible while they are {status.label.lower()}"


def allowed_actions(status: S) -> list[str]:
    """The actions open to a participant in `status`, in table order."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources]
