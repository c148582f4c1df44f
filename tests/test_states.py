"""The one state-machine shape (academy/core/states.py): a checked table, its questions and its refusals."""

import enum

import pytest

from academy.core.errors import InvalidTransition
from academy.core.states import StateMachine


class Light(enum.StrEnum):
    OFF = "off"
    ON = "on"
    BROKEN = "broken"


def light(**changes) -> StateMachine[Light]:
    table = {
        "states": tuple(Light),
        "transitions": {
            (Light.OFF, "switch_on"): Light.ON,
            (Light.ON, "switch_off"): Light.OFF,
            (Light.ON, "dim"): Light.ON,
        },
        "refusals": {
            (Light.OFF, "switch_off"): "The {what} is already off.",
            (Light.OFF, "dim"): "Switch the {what} on first.",
            (Light.ON, "switch_on"): "The {what} is already on.",
            (Light.BROKEN, "switch_on"): "A broken {what} stays off.",
            (Light.BROKEN, "switch_off"): "A broken {what} is off already.",
            (Light.BROKEN, "dim"): "A broken {what} cannot be dimmed.",
        },
        "field": "light",
    }
    return StateMachine(**{**table, **changes})


def test_questions_about_the_table():
    machine = light()
    assert machine.actions == ("switch_on", "switch_off", "dim")
    assert machine.allowed(Light.ON) == ["switch_off", "dim"]
    assert machine.allowed(Light.BROKEN) == []
    assert machine.can(Light.OFF, "switch_on")
    assert not machine.can(Light.OFF, "dim")
    assert machine.target(Light.ON, "dim") == Light.ON
    assert machine.target(Light.OFF, "dim") is None
    assert machine.states_allowing("switch_off", "dim") == {Light.ON}


def test_check_gives_the_next_state_or_the_reason_with_the_context_filled_in():
    machine = light()
    assert machine.check(Light.OFF, "switch_on", what="lamp") == Light.ON
    assert machine.refusal(Light.OFF, "switch_on") is None
    assert machine.refusal(Light.ON, "switch_on", what="lamp") == "The lamp is already on."
    with pytest.raises(InvalidTransition) as refused:
        machine.check(Light.BROKEN, "dim", what="lamp")
    assert (refused.value.message, refused.value.field) == ("A broken lamp cannot be dimmed.", "light")


def test_an_unknown_action_is_a_mistake_in_the_code_not_a_refusal():
    with pytest.raises(KeyError, match="no such action"):
        light().check(Light.ON, "explode")


def test_the_table_is_frozen():
    machine = light()
    with pytest.raises(TypeError):
        machine.transitions[(Light.BROKEN, "switch_on")] = Light.ON
    with pytest.raises(AttributeError):
        machine.field = "other"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"refusals": {}}, "neither allowed nor refused"),
        ({"states": (Light.OFF, Light.ON)}, "unknown states"),
        ({"transitions": {(Light.OFF, "switch_on"): "lit"}}, "unknown states"),
    ],
)
def test_a_table_with_gaps_or_strays_is_refused_when_built(changes, problem):
    with pytest.raises(ValueError, match=problem):
        light(**changes)


def test_a_pair_cannot_be_both_allowed_and_refused():
    refusals = dict(light().refusals)
    refusals[(Light.OFF, "switch_on")] = "No."
    with pytest.raises(ValueError, match="both allowed and refused"):
        light(refusals=refusals)
