"""Concerns and action plans: raised by the assessor or line manager; hidden from mentors and the NQSW."""

import pytest

from academy.assessment.policies import can_view_concerns
from academy.assessment.services.concerns import close_concern, raise_concern, update_action_plan
from academy.core.errors import DomainError, InvalidTransition, NotAllowed
from tests.conftest import sign_in
from tests.factories import make_team


@pytest.fixture
def team(db):
    return make_team()


def concern(team, by=None):
    return raise_concern(
        team.participant,
        by=by or team.assessor,
        category="progress",
        description="Recording is behind on three cases.",
        action_plan="Weekly check-in on recording for six weeks.",
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [("assessor", True), ("line_manager", True), ("coordinator", True), ("mentor", False), ("nqsw", False)],
)
def test_who_sees_concerns(client, team, coordinator, who, sees):
    user = coordinator if who == "coordinator" else getattr(team, who)
    item = concern(team)
    assert can_view_concerns(user, team.participant) is sees
    sign_in(client, user)
    listing = client.get(f"/participants/{team.participant.id}/concerns")
    single = client.get(f"/concerns/{item.id}")
    if sees:
        assert listing.status_code == 200
        assert "Progress" in listing.get_data(as_text=True)
        assert single.status_code == 200
        assert "Recording is behind" in single.get_data(as_text=True)
    else:
        assert listing.status_code == (404 if who == "nqsw" else 403)
        assert single.status_code == 404 if who == "nqsw" else single.status_code == 403


@pytest.mark.parametrize(
    ("who", "allowed"), [("assessor", True), ("line_manager", True), ("mentor", False), ("nqsw", False)]
)
def test_who_raises_concerns(team, who, allowed):
    if allowed:
        assert concern(team, by=getattr(team, who)).raised_by_id == getattr(team, who).id
    else:
        with pytest.raises(NotAllowed):
            concern(team, by=getattr(team, who))


def test_plan_updates_and_closing(team, coordinator):
    item = concern(team)
    update_action_plan(item, by=team.line_manager, action_plan="Fortnightly now", review_on=None)
    assert item.action_plan == "Fortnightly now"
    with pytest.raises(DomainError, match="action plan"):
        update_action_plan(item, by=team.line_manager, action_plan=" ", review_on=None)
    close_concern(item, by=coordinator)
    with pytest.raises(InvalidTransition):
        update_action_plan(item, by=team.assessor, action_plan="Reopen", review_on=None)
    with pytest.raises(InvalidTransition):
        close_concern(item, by=coordinator)


def test_raise_through_the_page(client, team):
    sign_in(client, team.line_manager)
    url = f"/participants/{team.participant.id}/concerns"
    empty = client.post_form(url, {"category": "capability"})
    assert empty.status_code == 400
    assert "Describe the concern" in empty.get_data(as_text=True)
    response = client.post_form(
        url, {"category": "capability", "description": "Missed visits", "action_plan": "Shadow a senior"}
    )
    assert response.status_code == 302
    assert "Capability" in client.get(url).get_data(as_text=True)
