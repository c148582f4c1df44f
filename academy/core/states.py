"""One shape for every lifecycle: a frozen table of what each action does in each state.

A `StateMachine` is data. `transitions` maps `(state, action)` to the state the action leads to (the
same state when the action is allowed but changes nothing), and `refusals` maps every other
`(state, action)` pair to the plain-language reason it is refused. The table is checked when it is
built: each pair of a known state and a known action is either allowed or refused with its reason,
never both and never neither, so a new state or action cannot be forgotten.

A reason may name what only the caller knows as `str.format` fields ("{name} cannot be paused: ..."),
filled from the keywords given to `refusal` and `check`.
"""

import dataclasses
from collections.abc import Hashable, Mapping
from types import MappingProxyType
from typing import Generic, TypeVar

from academy.core.errors import InvalidTransition

State = TypeVar("State", bound=Hashable)


@dataclasses.dataclass(frozen=True, eq=False)
class StateMachine(Generic[State]):
    """Which action is allowed in which state, what it leads to, and why the others are refused."""

    states: tuple[State, ...]
    transitions: Mapping[tuple[State, str], State]
    refusals: Mapping[tuple[State, str], str]
    field: str | None = None  # the form field a refusal is shown against, if any
    actions: tuple[str, ...] = dataclasses.field(init=False)  # in table order: first allowed, then only refused

    def __post_init__(self) -> None:
        states = tuple(self.states)
        transitions = MappingProxyType(dict(self.transitions))
        refusals = MappingProxyType(dict(self.refusals))
        actions = tuple(dict.fromkeys(action for _, action in (*transitions, *refusals)))
        for name, value in (("states", states), ("transitions", transitions), ("refusals", refusals)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "actions", actions)
        self._check_table()

    def _check_table(self) -> None:
        known = set(self.states)
        strays = {s for s, _ in (*self.transitions, *self.refusals)} | set(self.transitions.values())
        if strays - known:
            raise ValueError(f"unknown states in the table: {sorted(map(str, strays - known))}")
        both = self.transitions.keys() & self.refusals.keys()
        if both:
            raise ValueError(f"both allowed and refused: {sorted(map(str, both))}")
        missing = [(s, a) for s in self.states for a in self.actions if (s, a) not in self.transitions]
        missing = [pair for pair in missing if pair not in self.refusals]
        if missing:
            raise ValueError(f"neither allowed nor refused: {[(str(s), a) for s, a in missing]}")

    def can(self, state: State, action: str) -> bool:
        """Whether `action` is allowed in `state`."""
        self._known(action)
        return (state, action) in self.transitions

    def allowed(self, state: State) -> list[str]:
        """The actions allowed in `state`, in table order."""
        return [action for action in self.actions if (state, action) in self.transitions]

    def target(self, state: State, action: str) -> State | None:
        """The state `action` leads to from `state`, or None when it is refused there."""
        self._known(action)
        return self.transitions.get((state, action))

    def refusal(self, state: State, action: str, **context: object) -> str | None:
        """None when `action` is allowed in `state`, else the reason it is not, with `context` filled in."""
        if self.can(state, action):
            return None
        return self.refusals[(state, action)].format(**context)

    def check(self, state: State, action: str, **context: object) -> State:
        """The state `action` leads to from `state`; InvalidTransition, giving the reason, if it is refused."""
        reason = self.refusal(state, action, **context)
        if reason is not None:
            raise InvalidTransition(reason, field=self.field)
        return self.transitions[(state, action)]

    def states_allowing(self, *actions: str) -> frozenset[State]:
        """The states in which at least one of `actions` is allowed."""
        return frozenset(s for s in self.states for a in actions if self.can(s, a))

    def _known(self, action: str) -> None:
        if action not in self.actions:
            raise KeyError(f"no such action: {action!r}")
